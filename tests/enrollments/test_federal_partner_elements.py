"""H1, D2: the federal partners' elements HMIS CSV carries on Enrollment.csv, Exit.csv and
Client.csv (PATH P3; RHY R1, R2, R11–R13, R15–R20; VA V1, V4, V6, V7, V9, V10; HOPWA W5),
asked where the project's funders require them, of the household members HUD names, with
their dependent questions, through the pages a case worker uses."""

import re
from datetime import date

import pytest
from django.urls import reverse

from agencies.models import ProjectFunder
from agencies.requirements import default_elements
from enrollments.models import Enrollment, ProgramAnswers, VeteranInformation
from hmis import dates
from tests.enrollments.test_stays import START, enroll, household_of_three
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

RHY_START = {"referral_source": 7, "count_outreach_referral_approaches": 3, "former_ward_child_welfare": 1,
             "child_welfare_years": 1, "child_welfare_months": 4, "former_ward_juvenile_justice": 0,
             "unemployment_fam": 1, "mental_health_disorder_fam": 0, "physical_disability_fam": 0,
             "alcohol_drug_use_disorder_fam": 0, "insufficient_income": 1, "incarcerated_parent": 0,
             # RHY's assessment elements (R4–R10), asked with them
             "general_health_status": 1, "dental_health_status": 2, "mental_health_status": 1, "pregnancy_status": 0,
             "last_grade_completed": 5, "school_status": 3, "employed": 1, "employment_type": 2}
# The answers an exit asks again (START less the project-start-only questions).
AT_EXIT = {k: v for k, v in START.items() if k not in (
    "living_situation", "length_of_stay", "date_to_street_essh", "times_homeless_past_three_years",
    "months_homeless_past_three_years", "disabling_condition", "date_of_engagement", "domestic_violence_survivor",
    "currently_fleeing")}
RHY_EXIT = {"project_completion_status": 1, "exchange_for_sex": 0, "workplace_violence_threats": 0,
            "workplace_promise_difference": 0, "counseling_received": 1, "individual_counseling": 1,
            "family_counseling": 0, "group_counseling": 1, "session_count_at_exit": 6, "sessions_in_plan": 8,
            "post_exit_counseling_plan": 1, "destination_safe_client": 1, "destination_safe_worker": 1,
            "pos_adult_connections": 1, "pos_peer_connections": 2, "pos_community_connections": 0,
            # RHY's assessment elements asked again at exit (R4–R9)
            "general_health_status": 1, "dental_health_status": 2, "mental_health_status": 1,
            "last_grade_completed": 5, "school_status": 3, "employed": 1, "employment_type": 2}


def page_of(response) -> str:
    return response.content.decode()


def fund(project, *codes):
    for code in codes:
        ProjectFunder.objects.create(project=project, funder=code, start_date=date(2020, 1, 1), grant_id="G-1")


def error_on(page: str, name: str, text: str) -> bool:
    return bool(re.search(rf'id="id_{name}_error"[^>]*>{re.escape(text)}', page))


def test_d2_default_federal_partner_elements_follow_the_projects_funders(tenancy):
    def defaults(funders, project_type=0):
        project = ProjectFactory(agency=tenancy.agency_a, project_type=project_type)
        fund(project, *funders)
        return set(default_elements(project))

    rhy_start, rhy_exit = {"R1", "R11", "R12", "R13"}, {"R15", "R16", "R17", "R18", "R19", "R20"}
    path = defaults([21], project_type=4)
    assert "P3" in path and not path & (rhy_start | rhy_exit)
    basic_center = defaults([22])
    assert rhy_start | rhy_exit | {"R2"} <= basic_center and "P3" not in basic_center
    transitional_living = defaults([24], project_type=2)
    assert rhy_start | rhy_exit <= transitional_living and "R2" not in transitional_living  # R2 is BCP's own
    assert not defaults([25], project_type=4) & (rhy_start | rhy_exit)  # RHY street outreach: not these
    prevention = defaults([33], project_type=12)
    assert {"V1", "V4", "V6", "V7", "V10"} <= prevention
    assert "V7" not in defaults([33], project_type=13)  # HP targeting criteria: SSVF prevention only
    vash = defaults([20], project_type=3)
    assert {"V1", "V6", "V9"} <= vash and "V4" not in vash
    assert "W5" in defaults([15], project_type=3)
    assert not defaults([2], project_type=3) & {"P3", "R1", "V1", "W5", "V9"}  # CoC PSH: none of them


def test_h1_d2_a_path_project_asks_path_status_not_referral_source(tenancy, signed_in):
    fund(tenancy.shelter_a, 21)
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    page = page_of(worker.get(reverse("enrollments:enroll", args=[people[0].client_id])))
    assert 'name="client_enrolled_in_path"' in page and 'name="referral_source"' not in page
    # The reason is asked only after "No"; the date after either answer (P3.A, P3.1).
    assert 'data-show-when="client_enrolled_in_path" data-show-values="0"' in page
    missing = page_of(enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a,
                             client_enrolled_in_path=0))
    assert error_on(missing, "reason_not_enrolled", "Answer this follow-up question")
    assert error_on(missing, "date_of_path_status", "Answer this follow-up question")
    assert not Enrollment.objects.exists()
    # "Yes" does not ask why not: a reason sent along is cleared (HUD: null unless P3.2 = 0).
    done = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, client_enrolled_in_path=1,
                  connection_with_soar=0, date_of_path_status=dates.today().isoformat(), reason_not_enrolled=2)
    assert done.status_code == 302, re.findall(r"_error\"[^>]*>[^<]*", page_of(done))
    head = Enrollment.objects.get(relationship_to_hoh=1)
    answers = head.program_answers
    assert (answers.client_enrolled_in_path, answers.date_of_path_status, answers.reason_not_enrolled) == \
        (1, dates.today(), None)
    # Only the head answered: no row is invented for the others.
    assert ProgramAnswers.objects.count() == 1


def test_h1_d2_rhy_start_answers_required_of_the_head_and_asked_of_an_adult_member(tenancy, signed_in):
    fund(tenancy.shelter_a, 24)
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    missing = page_of(enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a))
    for name in ("referral_source", "former_ward_child_welfare", "former_ward_juvenile_justice", "unemployment_fam"):
        assert error_on(missing, name, "Required in this project"), name
    assert 'class="usa-error-summary' in missing or "usa-alert--error" in missing
    done = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, **RHY_START,
                  juvenile_justice_years=2)  # not asked after "No": cleared
    assert done.status_code == 302, re.findall(r"_error\"[^>]*>[^<]*", page_of(done))
    head = Enrollment.objects.get(relationship_to_hoh=1).program_answers
    assert (head.referral_source, head.count_outreach_referral_approaches, head.child_welfare_years,
            head.child_welfare_months, head.juvenile_justice_years, head.insufficient_income) == (7, 3, 1, 4, None, 1)
    # The partner (an adult) answers R1 and R11–R13 on their own stay; the child (8) is not asked.
    partner = Enrollment.objects.get(relationship_to_hoh=3)
    url = reverse("enrollments:member_start", args=[partner.enrollment_id])
    page = page_of(worker.get(url))
    assert 'name="referral_source"' in page and 'name="unemployment_fam"' in page
    child = Enrollment.objects.get(relationship_to_hoh=2)
    assert 'name="referral_source"' not in page_of(worker.get(reverse("enrollments:member_start",
                                                                        args=[child.enrollment_id])))
    member = {"insurance_from_any_source": 0, "physical_disability": 0, "developmental_disability": 0,
              "chronic_health_condition": 0, "hiv_aids": 0, "mental_health_disorder": 0, "substance_use_disorder": 0,
              "income_from_any_source": 0, "benefits_from_any_source": 0, "domestic_violence_survivor": 0}
    assert worker.post(url, {**member, **RHY_START, "referral_source": 1}).status_code == 302
    saved = partner.program_answers
    assert (saved.referral_source, saved.count_outreach_referral_approaches) == (1, None)  # 3 only follows Outreach
    # The stay page shows them.
    stay = page_of(worker.get(reverse("enrollments:detail", args=[partner.enrollment_id])))
    shown = stay.split('data-testid="partner-answers"')[1]
    assert "Referral source (R1)</dt><dd>Self-Referral" in shown


def test_h1_d2_an_rhy_projects_exit_asks_r15_to_r20_with_their_follow_ups(tenancy, signed_in):
    fund(tenancy.shelter_a, 22)
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    assert enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, **RHY_START).status_code == 302
    head = Enrollment.objects.get(relationship_to_hoh=1)
    url = reverse("enrollments:exit", args=[head.enrollment_id])
    page = page_of(worker.get(url))
    for name in ("exchange_for_sex", "workplace_violence_threats", "project_completion_status", "counseling_received",
                 "destination_safe_worker", "aftercare_provided"):
        assert f'name="{name}"' in page, name
    assert 'data-show-when="counseling_received" data-show-values="1"' in page
    # R16.A/B follow R16.1 or R16.2: the group names both.
    assert 'data-show-when="workplace_violence_threats workplace_promise_difference" data-show-values="1"' in page
    base = {**AT_EXIT, "exit_date": dates.today().isoformat(), "destination": 410}
    missing = page_of(worker.post(url, {**base, "version": head.version}))
    for name in ("exchange_for_sex", "workplace_violence_threats", "project_completion_status", "counseling_received",
                 "pos_peer_connections"):
        assert error_on(missing, name, "Required in this project"), name
    assert Enrollment.objects.get(pk=head.pk).exit_date is None
    follow_up_missing = page_of(worker.post(url, {**base, **RHY_EXIT, "workplace_promise_difference": 1,
                                                  "project_completion_status": 3, "version": head.version}))
    for name in ("coerced_to_continue_work", "labor_exploit_past_three_months", "early_exit_reason"):
        assert error_on(follow_up_missing, name, "Answer this follow-up question"), name
    done = worker.post(url, {**base, **RHY_EXIT, "counseling_received": 0, "exchange_for_sex": 1,
                             "exchange_for_sex_past_three_months": 0, "count_of_exchange_for_sex": 1,
                             "asked_or_forced_to_exchange_for_sex": 0, "asked_or_forced_past_three_months": 1,
                             "version": head.version})
    assert done.status_code == 302, re.findall(r"_error\"[^>]*>[^<]*", page_of(done))
    answers = ProgramAnswers.objects.get(enrollment=head)
    # "No" counseling: the types and the session count are cleared; the plan questions stay.
    assert (answers.counseling_received, answers.individual_counseling, answers.group_counseling,
            answers.session_count_at_exit, answers.sessions_in_plan, answers.post_exit_counseling_plan) == \
        (0, None, None, None, 8, 1)
    assert (answers.exchange_for_sex, answers.count_of_exchange_for_sex, answers.asked_or_forced_past_three_months) \
        == (1, 1, None)
    assert answers.referral_source == 7  # the start answers are kept beside the exit answers
    # R20 comes after the exit, on the member's exit answers: within 180 days of the exit.
    member_exit = reverse("enrollments:member_exit", args=[head.enrollment_id])
    later = {**AT_EXIT, **RHY_EXIT, "counseling_received": 0, "aftercare_provided": 1,
             "aftercare_date": date(2000, 1, 1).isoformat(), "telephone": 1, "email_social_media": 0,
             "in_person_individual": 0, "in_person_group": 0}
    assert error_on(page_of(worker.post(member_exit, later)), "aftercare_date", "Aftercare is recorded from the exit")
    assert worker.post(member_exit, {**later, "aftercare_date": dates.today().isoformat()}).status_code == 302
    answers.refresh_from_db()
    assert (answers.aftercare_provided, answers.aftercare_date, answers.telephone) == (1, dates.today(), 1)


def test_h1_d2_veterans_information_is_asked_of_a_veteran_head_in_a_va_project(tenancy, signed_in):
    fund(tenancy.shelter_a, 33)
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    ssvf = {"percent_ami": 1, "vamc_station": "402", "military_branch": 1, "discharge_status": 1,
            "year_entered_service": 2005, "year_separated": 2009, "iraq_oif": 1}
    # Nadia is not a veteran (3.07 No): her V1 answers are not kept; V4 and V6 are (head of household).
    assert enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, **ssvf).status_code == 302
    assert not VeteranInformation.objects.exists()
    head = Enrollment.objects.get(relationship_to_hoh=1)
    assert (head.program_answers.percent_ami, head.program_answers.vamc_station) == (1, "402")
    Enrollment.objects.all().delete()
    people[0].veteran_status = 1
    people[0].save(update_fields=["veteran_status"])
    wrong = page_of(enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a,
                           **{**ssvf, "year_separated": 2001, "military_branch": ""}))
    assert error_on(wrong, "year_separated", "The year of separation cannot be before"), \
        re.findall(r"_error\"[^>]*>[^<]*", wrong)
    assert error_on(wrong, "military_branch", "Required in this project")
    not_hud = page_of(enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a,
                             **{**ssvf, "vamc_station": "12345"}))
    assert error_on(not_hud, "vamc_station", "Select a valid choice")  # V6.1 is HUD's list
    assert enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, **ssvf).status_code == 302
    veteran = VeteranInformation.objects.get(client=people[0])
    assert (veteran.year_entered_service, veteran.iraq_oif, veteran.military_branch, veteran.korean_war) == \
        (2005, 1, 1, None)
    page = page_of(worker.get(reverse("enrollments:detail", args=[Enrollment.objects.get(
        relationship_to_hoh=1).enrollment_id])))
    assert "Branch of the military</dt><dd>Army" in page and "(402) Togus, ME" in page


def test_h1_a_project_without_federal_partner_elements_asks_none_and_keeps_no_rows(tenancy, signed_in):
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    page = page_of(worker.get(reverse("enrollments:enroll", args=[people[0].client_id])))
    assert 'name="referral_source"' not in page and 'name="client_enrolled_in_path"' not in page
    # A crafted post of an element the project does not collect is not kept (D2).
    assert enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, referral_source=7,
                  percent_ami=1).status_code == 302
    assert not ProgramAnswers.objects.exists() and not VeteranInformation.objects.exists()


def test_h1_path_status_determined_after_the_start_is_recorded_on_its_own_page_for_the_head(tenancy, signed_in):
    """P3 is recorded "when status is determined", often days after the project start: the head of
    household's stay has a page for it (the member start page is for the other members)."""
    fund(tenancy.shelter_a, 21)
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    assert enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a,
                  connection_with_soar=0).status_code == 302  # status not yet determined: not required
    head = Enrollment.objects.get(relationship_to_hoh=1)
    url = reverse("enrollments:status_determination", args=[head.enrollment_id])
    assert url in page_of(worker.get(reverse("enrollments:detail", args=[head.enrollment_id])))
    page = page_of(worker.get(url))
    assert 'name="client_enrolled_in_path"' in page and 'name="income_from_any_source"' not in page

    refused = page_of(worker.post(url, {"client_enrolled_in_path": 0}))
    assert error_on(refused, "reason_not_enrolled", "Answer this follow-up question")
    assert not ProgramAnswers.objects.filter(enrollment=head).exists()  # nothing half-saved
    today = dates.today().isoformat()
    saved = worker.post(url, {"client_enrolled_in_path": 1, "date_of_path_status": today, "reason_not_enrolled": 3})
    assert saved.status_code == 302
    answers = ProgramAnswers.objects.get(enrollment=head)
    assert (answers.client_enrolled_in_path, answers.date_of_path_status, answers.reason_not_enrolled) == \
        (1, dates.today(), None)  # the reason is asked only after "No": cleared


def test_h1_rhy_bcp_status_recorded_later_keeps_the_start_answers_and_is_asked_of_a_child(tenancy, signed_in):
    fund(tenancy.shelter_a, 22)  # Basic Center Program: R2 of every client, when eligibility is determined
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    done = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, **RHY_START)
    assert done.status_code == 302, re.findall(r"_error\"[^>]*>[^<]*", page_of(done))
    head = Enrollment.objects.get(relationship_to_hoh=1)
    url = reverse("enrollments:status_determination", args=[head.enrollment_id])
    today = dates.today().isoformat()
    assert worker.post(url, {"eligible_for_rhy": 1, "date_of_bcp_status": today, "runaway_youth": 0}).status_code == 302
    answers = ProgramAnswers.objects.get(enrollment=head)
    assert (answers.eligible_for_rhy, answers.runaway_youth, answers.referral_source) == (1, 0, 7)  # R1 kept
    child = Enrollment.objects.get(relationship_to_hoh=2)
    child_url = reverse("enrollments:status_determination", args=[child.enrollment_id])
    assert 'name="eligible_for_rhy"' in page_of(worker.get(child_url))
    assert worker.post(child_url, {"eligible_for_rhy": 0, "date_of_bcp_status": today,
                                   "reason_no_services": 1}).status_code == 302
    assert ProgramAnswers.objects.get(enrollment=child).reason_no_services == 1


def test_h1_the_status_page_is_not_offered_where_the_project_records_neither_status(tenancy, signed_in):
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    assert enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a).status_code == 302
    head = Enrollment.objects.get(relationship_to_hoh=1)
    url = reverse("enrollments:status_determination", args=[head.enrollment_id])
    assert url not in page_of(worker.get(reverse("enrollments:detail", args=[head.enrollment_id])))
    assert worker.get(url).status_code == 404
