"""H1: program-specific data elements 4.02–4.11 (and the federal partners' W3–W6, P4,
R4–R10, C3) through the pages a case worker uses: dependent questions asked and checked
per HUD, asked of the household members HUD names, and update, annual and exit forms that
start from the stay's last answers, marked as carried forward."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from enrollments.models import Assessment, Enrollment
from hmis import dates
from tests.enrollments.test_stays import START, enroll, household_of_three
from tests.timetravel import noon

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    return response.content.decode()


def start_of_head():
    return Assessment.objects.get(stage=1, enrollment__relationship_to_hoh=1)


def test_h1_income_yes_names_its_sources_each_with_an_amount_and_a_total_that_adds_up(tenancy, signed_in):
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    no_source = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a,
                       earned="", earned_amount="")
    assert "Mark each source of income" in page_of(no_source)  # "Yes" with no source listed
    no_amount = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, earned_amount="")
    assert "Enter the monthly amount (more than $0) of this source" in page_of(no_amount)
    zero = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, earned_amount="0")
    assert "Enter the monthly amount (more than $0)" in page_of(zero)
    # 640 earned + 300.50 SSI is 940.50: a total of 900 does not add up.
    wrong_total = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, ssi="on",
                         ssi_amount="300.50", total_monthly_income="900")
    page = page_of(wrong_total)
    assert "The total must equal the sum of the amounts ($940.50)" in page
    assert 'value="300.50"' in page  # what was typed is kept
    assert not Enrollment.objects.exists()
    # Left blank, the total is the sum.
    done = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, ssi="on",
                  ssi_amount="300.50", total_monthly_income="")
    assert done.status_code == 302
    start = start_of_head()
    assert (start.earned, start.earned_amount, start.ssi, start.ssi_amount) == (1, Decimal("640.00"), 1, Decimal("300.50"))
    assert start.total_monthly_income == Decimal("940.50")
    assert (start.unemployment, start.unemployment_amount) == (0, None)  # not ticked under "Yes": No
    assert (start.snap, start.wic, start.medicaid, start.medicare) == (1, 0, 1, 0)


def test_h1_follow_up_questions_are_asked_only_when_they_apply(tenancy, signed_in):
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    missing = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a,
                     domestic_violence_survivor=1, physical_disability=1, substance_use_disorder=2)
    page = page_of(missing)
    # DV "Yes" asks when it occurred and whether fleeing (4.11.A, 4.11.B); a disability "Yes"
    # (4.10: a drug use disorder, list 4.10.2) asks whether it is indefinite and impairing.
    for name in ("when_occurred", "currently_fleeing", "physical_disability_indefinite",
                 "substance_use_disorder_indefinite"):
        assert re.search(rf'id="id_{name}_error"[^>]*>Answer this follow-up question', page), name
    answered = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a,
                      income_from_any_source=0,  # No: the ticked source and its amount do not apply
                      domestic_violence_survivor=0, when_occurred=1,  # No: "when" is not asked
                      physical_disability=1, physical_disability_indefinite=1,
                      substance_use_disorder=2, substance_use_disorder_indefinite=8)
    assert answered.status_code == 302
    start = start_of_head()
    assert (start.income_from_any_source, start.earned, start.earned_amount, start.total_monthly_income) == \
        (0, 0, None, None)  # every source No when there is no income
    assert (start.domestic_violence_survivor, start.when_occurred, start.currently_fleeing) == (0, None, None)
    assert (start.physical_disability_indefinite, start.substance_use_disorder, start.substance_use_disorder_indefinite) \
        == (1, 2, 8)
    assert start.developmental_disability == 0 and start.hiv_aids == 0


def test_h1_plain_html_shows_every_follow_up_marked_for_the_script_that_hides_them(tenancy, signed_in):
    people = household_of_three(tenancy)
    page = page_of(signed_in(tenancy.worker_a).get(reverse("enrollments:enroll", args=[people[0].client_id])))
    # The follow-ups are in the page, in a fieldset that names what asks them...
    assert 'data-show-when="income_from_any_source" data-show-values="1"' in page
    assert 'name="earned_amount"' in page and 'name="when_occurred"' in page
    assert 'data-show-when="substance_use_disorder" data-show-values="1 2 3"' in page
    assert "Answer if “Survivor of domestic violence (4.11)” is Yes" in page
    # ...and the script that shows them as answers change is loaded; nothing is hidden without it.
    assert "js/dependent_questions.js" in page and " hidden" not in page.split("<main")[1].split("</main>")[0]


def test_h1_update_annual_and_exit_start_from_the_last_answers_marked_carried_forward(tenancy, signed_in):
    entry = dates.today() - timedelta(days=370)
    from tests.factories import complete_training

    complete_training(tenancy.worker_a, fiscal_year=dates.fiscal_year_of(entry))
    with time_machine.travel(noon(entry)):
        people = household_of_three(tenancy)
        worker = signed_in(tenancy.worker_a)
        assert enroll(worker, people, entry_date=entry, project=tenancy.shelter_a).status_code == 302
    from agencies.models import License
    from consent import services as consent_services

    consent_services.roi_record(actor=tenancy.worker_a, license=License.objects.get(user=tenancy.worker_a),
                                sharing_level="full", consent_type="signed", signed_on=entry + timedelta(days=360),
                                taken_by=tenancy.worker_a, project=tenancy.shelter_a, clients=people)
    head = Enrollment.objects.get(relationship_to_hoh=1)
    worker = signed_in(tenancy.worker_a)
    url = reverse("enrollments:assessment_new", args=[head.enrollment_id])
    update_page = page_of(worker.get(url))
    assert f"carried forward from the project start on {entry:%m/%d/%Y}" in update_page
    assert re.search(r'name="earned"[^>]*checked', update_page)  # the ticked source
    assert 'name="earned_amount" value="640.00"' in update_page
    # The case worker confirms most answers and changes some: she now also gets SSI.
    carried = {k: v for k, v in START.items() if k not in ("living_situation", "length_of_stay", "date_to_street_essh",
                                                         "times_homeless_past_three_years", "disabling_condition",
                                                         "months_homeless_past_three_years", "date_of_engagement")}
    update_day = entry + timedelta(days=100)
    saved = worker.post(url, {**carried, "stage": 2, "information_date": update_day.isoformat(), "ssi": "on",
                              "ssi_amount": "300.50", "total_monthly_income": ""})
    assert saved.status_code == 302
    update = head.assessments.get(stage=2)
    assert (update.earned_amount, update.ssi_amount, update.total_monthly_income) == \
        (Decimal("640.00"), Decimal("300.50"), Decimal("940.50"))
    # The annual assessment starts from the update, the most recent answers.
    annual_page = page_of(worker.get(url))
    assert f"carried forward from the update on {update_day:%m/%d/%Y}" in annual_page
    assert 'name="ssi_amount" value="300.50"' in annual_page
    # 4.11 is asked at an update, not at an annual assessment: an answer sent is not kept.
    annual = worker.post(url, {**carried, "stage": 5, "information_date": (entry + timedelta(days=365)).isoformat(),
                               "ssi": "on", "ssi_amount": "300.50", "total_monthly_income": "940.50",
                               "domestic_violence_survivor": 1})
    assert annual.status_code == 302
    assert head.assessments.get(stage=5).domestic_violence_survivor is None
    # The exit starts from the annual assessment; the worker changes the income and exits.
    exit_url = reverse("enrollments:exit", args=[head.enrollment_id])
    exit_page = page_of(worker.get(exit_url))
    assert f"carried forward from the annual assessment on {entry + timedelta(days=365):%m/%d/%Y}" in exit_page
    assert 'name="domestic_violence_survivor"' not in exit_page  # not asked at exit either
    head.refresh_from_db()
    done = worker.post(exit_url, {**carried, "exit_date": dates.today().isoformat(), "destination": 410,
                                  "version": head.version, "earned": "", "earned_amount": "",
                                  "ssi": "on", "ssi_amount": "300.50", "total_monthly_income": ""})
    assert done.status_code == 302, page_of(done)[-3000:]
    at_exit = head.assessments.get(stage=3)
    assert (at_exit.earned, at_exit.ssi, at_exit.total_monthly_income) == (0, 1, Decimal("300.50"))


def test_h1_children_are_asked_insurance_and_disabilities_not_income_or_domestic_violence(tenancy, signed_in):
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a)
    child = Enrollment.objects.get(relationship_to_hoh=2)  # Sami, 8
    url = reverse("enrollments:member_start", args=[child.enrollment_id])
    page = page_of(worker.get(url))
    assert 'name="insurance_from_any_source"' in page and 'name="hiv_aids"' in page
    assert 'name="income_from_any_source"' not in page and 'name="domestic_violence_survivor"' not in page
    answers = {"insurance_from_any_source": 1, "schip": "on", "physical_disability": 0, "developmental_disability": 0,
               "chronic_health_condition": 0, "hiv_aids": 0, "mental_health_disorder": 0, "substance_use_disorder": 0,
               "income_from_any_source": 1, "earned": "on", "earned_amount": "40", "domestic_violence_survivor": 1}
    assert worker.post(url, answers).status_code == 302
    start = child.assessments.get(stage=1)
    assert (start.insurance_from_any_source, start.schip, start.medicaid) == (1, 1, 0)
    assert start.income_from_any_source is None and start.domestic_violence_survivor is None  # not asked of a child


def test_h1_d2_a_youth_project_asks_and_requires_its_own_elements(tenancy, signed_in):
    tenancy.shelter_a.required_elements = ["R4-R6", "C3"]  # the HMIS Lead's choice for this project (D2)
    tenancy.shelter_a.save()
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    missing = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a)
    page = page_of(missing)
    for name in ("last_grade_completed", "school_status", "employed", "current_school_attend"):
        assert re.search(rf'id="id_{name}_error"[^>]*>Required in this project', page), name
    done = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, last_grade_completed=5,
                  school_status=3, employed=1, employment_type=2, current_school_attend=2, current_ed_status=1)
    assert done.status_code == 302
    start = start_of_head()
    assert (start.last_grade_completed, start.employed, start.employment_type, start.not_employed_reason) == (5, 1, 2, None)
    assert (start.current_school_attend, start.current_ed_status, start.most_recent_ed_status) == (2, 1, None)


def test_h1_d2_the_enroll_page_asks_only_what_the_workers_projects_collect(tenancy, signed_in):
    """Before a project is chosen the page asks what any project this worker may enroll
    into collects; once one is chosen (the form comes back), only that project's elements.
    worker_a enrolls into A Shelter only, which has no HOPWA funding: no T-cell question (W4)."""
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    page = page_of(worker.get(reverse("enrollments:enroll", args=[people[0].client_id])))
    assert 'name="income_from_any_source"' in page  # 4.02: the shelter's defaults (federal funding)
    assert 'name="t_cell_count_available"' not in page
    tenancy.shelter_a.required_elements = ["4.02", "W4-W6"]
    tenancy.shelter_a.save()
    page = page_of(worker.get(reverse("enrollments:enroll", args=[people[0].client_id])))
    assert 'name="t_cell_count_available"' in page


def test_h1_the_stay_page_lists_each_source_with_its_amount(tenancy, signed_in):
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, ssi="on", ssi_amount="300.50",
           total_monthly_income="")
    start = start_of_head()
    page = page_of(worker.get(reverse("enrollments:detail", args=[start.enrollment.enrollment_id])))
    answers = page.split(f'data-testid="answers-{start.record_id}"')[1].split("</details>")[0]
    # The enroll helper's earned income 640.00 and the SSI typed here, each with its amount; the sum as total.
    assert "Monthly amount: Earned income (employment)</dt><dd>640.00" in answers
    assert "Monthly amount: Supplemental Security Income (SSI)</dt><dd>300.50" in answers
    assert "940.50" in answers
    assert "Unemployment" not in answers  # a source the client does not have is not listed
