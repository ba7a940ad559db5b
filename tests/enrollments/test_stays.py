"""Project stays through the pages: a household enters, gets an update and an annual
assessment and exits; the rules of entry (C6, A6, T5, 3.917), validation that keeps
what was typed, optimistic locking, and timeliness (D1)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agencies.models import License
from clients import services as client_services
from consent import services as consent_services
from enrollments.models import Assessment, Enrollment, Service
from enrollments.services import alert_late_entries
from hmis import dates
from hmis.models import Notification
from tests.clients.states import BASE
from tests.timetravel import noon

pytestmark = pytest.mark.django_db

START = {
    "living_situation": 116, "length_of_stay": 4, "date_to_street_essh": "", "times_homeless_past_three_years": 2,
    "months_homeless_past_three_years": 105, "disabling_condition": 0, "date_of_engagement": "",
    # H1: "Yes" names its sources (income with its amount); the total is their sum.
    "income_from_any_source": 1, "earned": "on", "earned_amount": "640.00", "total_monthly_income": "640.00",
    "benefits_from_any_source": 1, "snap": "on", "insurance_from_any_source": 1, "medicaid": "on",
    "physical_disability": 0, "developmental_disability": 0,
    "chronic_health_condition": 0, "hiv_aids": 0, "mental_health_disorder": 0, "substance_use_disorder": 0,
    "domestic_violence_survivor": 0, "currently_fleeing": "",
}


def household_of_three(tenancy, signed_on=None):
    license = License.objects.get(user=tenancy.worker_a)
    roi = consent_services.roi_record(actor=tenancy.worker_a, license=license, sharing_level="full",
                                      consent_type="signed", signed_on=signed_on or dates.today(),
                                      taken_by=tenancy.worker_a, project=tenancy.shelter_a)
    people = []
    household = None
    for first, dob, ssn in (("Nadia", date(1990, 1, 5), "212550001"), ("Omar", date(1988, 3, 3), "212550002"),
                            ("Sami", date(2018, 9, 9), "212550003")):
        person = client_services.client_create(actor=tenancy.worker_a, license=license, roi=roi, household=household,
                                               first_name=first, last_name="Haddad", dob=dob, ssn=ssn, **BASE)
        household = household or person.household_memberships.get().household
        people.append(person)
    return people


def enroll(worker, people, *, entry_date, project, **overrides):
    head, partner, child = people
    data = {**START, "project": project.pk, "entry_date": entry_date.isoformat(),
            "information_date": entry_date.isoformat(), "date_to_street_essh": (entry_date - timedelta(days=200)).isoformat(),
            f"relationship_{head.client_id}": 1, f"relationship_{partner.client_id}": 3,
            f"relationship_{child.client_id}": 2, **overrides}
    return worker.post(reverse("enrollments:enroll", args=[head.client_id]), data)


def test_d1_c6_household_of_three_enters_gets_update_annual_and_exits(tenancy, signed_in):
    entry = dates.today() - timedelta(days=370)
    from tests.factories import complete_training

    complete_training(tenancy.worker_a, fiscal_year=dates.fiscal_year_of(entry))  # trained back then too (U4)
    with time_machine.travel(noon(entry)):
        people = household_of_three(tenancy)
        worker = signed_in(tenancy.worker_a)
        response = enroll(worker, people, entry_date=entry, project=tenancy.shelter_a)
        assert response.status_code == 302, response.content.decode()[:2000]
    stays = Enrollment.objects.order_by("relationship_to_hoh")
    assert [s.relationship_to_hoh for s in stays] == [1, 2, 3]
    assert len({s.household_id for s in stays}) == 1
    assert all(s.assessments.filter(stage=1).exists() for s in stays)
    assert not any(s.entered_late for s in stays)

    # Renewed consent covers the rest of the stay (C6).
    consent_services.roi_record(actor=tenancy.worker_a, license=License.objects.get(user=tenancy.worker_a),
                                sharing_level="full", consent_type="signed", signed_on=entry + timedelta(days=360),
                                taken_by=tenancy.worker_a, project=tenancy.shelter_a, clients=people)
    head_stay = stays[0]
    worker = signed_in(tenancy.worker_a)
    from enrollments.forms import ASSESSMENT_FORM_FIELDS

    update = {k: v for k, v in START.items() if k in ASSESSMENT_FORM_FIELDS}
    response = worker.post(reverse("enrollments:assessment_new", args=[head_stay.enrollment_id]),
                           {**update, "stage": 2, "information_date": (entry + timedelta(days=100)).isoformat()})
    assert response.status_code == 302
    # An annual assessment outside 30 days of the anniversary is refused with the window.
    early = worker.post(reverse("enrollments:assessment_new", args=[head_stay.enrollment_id]),
                        {**update, "stage": 5, "information_date": (entry + timedelta(days=200)).isoformat()})
    assert "annual assessment is due between" in early.content.decode()
    annual = worker.post(reverse("enrollments:assessment_new", args=[head_stay.enrollment_id]),
                         {**update, "stage": 5, "information_date": (entry + timedelta(days=365)).isoformat()})
    assert annual.status_code == 302

    before = worker.post(reverse("enrollments:exit", args=[head_stay.enrollment_id]),
                         {**update, "exit_date": (entry - timedelta(days=1)).isoformat(), "destination": 410,
                          "version": head_stay.version})
    assert "cannot be before the project start date" in before.content.decode()
    done = worker.post(reverse("enrollments:exit", args=[head_stay.enrollment_id]),
                       {**update, "exit_date": dates.today().isoformat(), "destination": 410, "version": head_stay.version})
    assert done.status_code == 302
    assert set(Enrollment.objects.values_list("exit_date", flat=True)) == {dates.today()}
    assert Assessment.objects.filter(stage=3).count() == 3


def test_c6_no_enrollment_outside_an_active_roi(tenancy, signed_in):
    people = household_of_three(tenancy)
    response = enroll(signed_in(tenancy.worker_a), people, entry_date=dates.today() - timedelta(days=3),
                      project=tenancy.shelter_a)
    assert "No active ROI of your agency covers" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_t5_a6_only_assigned_projects_and_never_a_vsp(tenancy, signed_in):
    people = household_of_three(tenancy)
    response = enroll(signed_in(tenancy.worker_a), people, entry_date=dates.today(), project=tenancy.outreach_a)
    assert "Select a valid choice" in response.content.decode()  # not offered: not assigned
    from enrollments.services import enroll_household
    from hmis.errors import PolicyError

    with pytest.raises(PolicyError):
        enroll_household(actor=tenancy.worker_v, license=License.objects.get(user=tenancy.worker_v),
                         project=tenancy.shelter_v, entry_date=dates.today(), members=[(people[0], 1)], **{})


def test_3917_conditional_questions_and_the_form_keeps_what_was_typed(tenancy, signed_in):
    people = household_of_three(tenancy)
    response = enroll(signed_in(tenancy.worker_a), people, entry_date=dates.today(), project=tenancy.shelter_a,
                      times_homeless_past_three_years="", length_of_stay="")
    page = response.content.decode()
    assert "Say how long the client stayed there" in page
    assert 'value="640.00"' in page
    assert not Enrollment.objects.exists()
    two_heads = enroll(signed_in(tenancy.worker_a), people, entry_date=dates.today(), project=tenancy.shelter_a,
                       **{f"relationship_{people[1].client_id}": 1})
    assert "exactly one head of household" in two_heads.content.decode()


def test_no_overlapping_stays_and_plausible_ages(tenancy, signed_in):
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    assert enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a).status_code == 302
    again = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a)
    assert "already has a stay" in again.content.decode()
    child_head = enroll(worker, people, entry_date=dates.today(), project=tenancy.outreach_a)
    assert child_head.status_code == 200


def test_two_people_editing_one_enrollment_cannot_overwrite_each_other(tenancy, signed_in):
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a)
    stay = Enrollment.objects.get(relationship_to_hoh=1)
    form = {k: v for k, v in START.items() if k in (
        "living_situation", "length_of_stay", "times_homeless_past_three_years", "months_homeless_past_three_years",
        "disabling_condition")}
    form |= {"date_to_street_essh": "2026-01-01", "previous_street_essh": "", "date_of_engagement": "", "move_in_date": ""}
    first = worker.post(reverse("enrollments:edit", args=[stay.enrollment_id]), {**form, "disabling_condition": 1, "version": 1})
    assert first.status_code == 302
    stale = worker.post(reverse("enrollments:edit", args=[stay.enrollment_id]), {**form, "disabling_condition": 0, "version": 1})
    page = stale.content.decode()
    assert "Someone else saved this enrollment" in page and "The version saved by someone else" in page
    stay.refresh_from_db()
    assert stay.disabling_condition == 1 and stay.version == 2


def test_move_in_date_is_for_permanent_housing_only(tenancy, signed_in):
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a)
    stay = Enrollment.objects.get(relationship_to_hoh=1)
    from enrollments.services import enrollment_update
    from hmis.errors import PolicyError

    with pytest.raises(PolicyError, match="permanent housing"):
        enrollment_update(actor=tenancy.worker_a, license=License.objects.get(user=tenancy.worker_a), enrollment=stay,
                          version=stay.version, move_in_date=dates.today())


def test_bed_nights_fall_within_the_stay_once_a_night(tenancy, signed_in):
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a)
    stay = Enrollment.objects.get(relationship_to_hoh=1)
    url = reverse("enrollments:bed_night", args=[stay.enrollment_id])
    worker.post(url, {"date_provided": dates.today().isoformat()})
    again = worker.post(url, {"date_provided": dates.today().isoformat()}, follow=True)
    assert "already recorded" in again.content.decode()
    before = worker.post(url, {"date_provided": (dates.today() - timedelta(days=5)).isoformat()}, follow=True)
    assert "within the stay" in before.content.decode()
    assert Service.objects.count() == 1


def test_d1_late_entries_are_flagged_and_alerted_once_without_pii(tenancy, signed_in, django_capture_on_commit_callbacks):
    consent_day = dates.today() - timedelta(days=10)
    people = household_of_three(tenancy, signed_on=consent_day)
    collected = dates.today() - timedelta(days=5)  # more than 72 hours ago
    worker = signed_in(tenancy.worker_a)
    response = enroll(worker, people, entry_date=collected, project=tenancy.shelter_a)
    assert response.status_code == 302
    assert all(s.entered_late for s in Enrollment.objects.all())
    page = worker.get(reverse("enrollments:detail", args=[Enrollment.objects.get(relationship_to_hoh=1).enrollment_id]))
    assert "Entered late" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        first = alert_late_entries()
        second = alert_late_entries()
    assert first == 6 and second == 0  # 3 enrollments + 3 start assessments
    # One notification each for the worker and the director, naming every client by HMIS Client ID.
    to_worker = Notification.objects.get(recipient=tenancy.worker_a)
    to_director = Notification.objects.get(recipient=tenancy.director_a)
    assert to_worker.subject.startswith("Late entries: 6 records for client")
    assert to_director.subject.startswith(f"{tenancy.agency_a.name}: Late entries: 6 records")
    for person in people:
        assert person.display_id in to_worker.subject and to_worker.body.count(person.display_id) == 2
    assert len(mail.outbox) == 2
    # The notifications page shows the records one to a line, and links to the data quality dashboard.
    page = worker.get(reverse("notifications")).content.decode()
    assert page.count("<br>- project start for client") == 3 and page.count("<br>- assessment for client") == 3
    assert reverse("reports:dashboard") in page
    for text in [n.subject + n.body for n in Notification.objects.all()] + [m.subject + m.body for m in mail.outbox]:
        assert "Haddad" not in text and "Nadia" not in text and "212550001" not in text


def test_d1_entry_deadline_counts_days_as_hud_does():
    day = date(2026, 11, 2)
    deadline = dates.entry_deadline(day, 72)
    assert timezone.localtime(deadline).date() == date(2026, 11, 6) and timezone.localtime(deadline).hour == 0
    assert not dates.is_late(day, deadline - timedelta(minutes=1), 72)
    assert dates.is_late(day, deadline + timedelta(minutes=1), 72)


def test_a7_other_agencies_see_stays_but_never_in_a_protected_project(tenancy, signed_in):
    people = household_of_three(tenancy)
    enroll(signed_in(tenancy.worker_a), people, entry_date=dates.today(), project=tenancy.shelter_a)
    page = signed_in(tenancy.worker_b).get(reverse("clients:detail", args=[people[0].client_id])).content.decode()
    assert "A Shelter" in page  # full sharing: participating agencies see the stay
    from tests.clients.states import make_client

    License.objects.get(user=tenancy.worker_b).projects.add(tenancy.protected_b)
    protected = make_client(tenancy.worker_b, project=tenancy.protected_b, first="Pia", ssn="212550009")
    from enrollments.services import enroll_household

    enroll_household(actor=tenancy.worker_b, license=License.objects.get(user=tenancy.worker_b),
                     project=tenancy.protected_b, entry_date=dates.today(), members=[(protected, 1)],
                     living_situation=99, disabling_condition=99)
    seen = signed_in(tenancy.worker_a).get(reverse("clients:detail", args=[protected.client_id])).content.decode()
    assert "B Clinic" not in seen


def test_d2_contacts_and_coordinated_entry_records_within_the_stay(tenancy, signed_in):
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a)
    stay = Enrollment.objects.get(relationship_to_hoh=1)
    url = lambda kind: reverse("enrollments:record", args=[stay.enrollment_id, kind])  # noqa: E731
    assert worker.post(url("contact"), {"information_date": dates.today().isoformat(),
                                        "current_living_situation": 116, "location_details": "Under the bridge"}).status_code == 302
    assert worker.post(url("ce-assessment"), {"information_date": dates.today().isoformat(), "assessment_location": "Office",
                                              "assessment_type": 3, "assessment_level": 2, "prioritization_status": 1}).status_code == 302
    missing_date = worker.post(url("ce-event"), {"information_date": dates.today().isoformat(), "event": 14,
                                                 "referral_result": 1, "result_date": ""})
    assert "date of the referral result" in missing_date.content.decode()
    before = worker.post(url("contact"), {"information_date": (dates.today() - timedelta(days=3)).isoformat(),
                                          "current_living_situation": 116})
    assert "within the stay" in before.content.decode()
    page = worker.get(reverse("enrollments:detail", args=[stay.enrollment_id])).content.decode()
    assert "Place not meant for habitation" in page and "Housing needs assessment" in page
    assert worker.get(url("nonsense")).status_code == 404


def test_d1_an_intake_nearing_its_deadline_without_a_project_start_alerts_once(tenancy):
    from enrollments.services import alert_incomplete_intakes

    collected = dates.today() - timedelta(days=3)
    people = household_of_three(tenancy, signed_on=collected)
    deadline = dates.entry_deadline(collected, 72)
    assert alert_incomplete_intakes(now=deadline - timedelta(hours=20)) == 0  # not yet close
    assert alert_incomplete_intakes(now=deadline - timedelta(hours=5)) == 1
    assert alert_incomplete_intakes(now=deadline - timedelta(hours=4)) == 0  # once
    note = Notification.objects.get(recipient=tenancy.worker_a)
    assert all(p.display_id in note.body for p in people) and "Haddad" not in note.subject + note.body


def test_d2_other_household_members_give_their_own_project_start_answers(tenancy, signed_in):
    from agencies.models import ProjectFunder
    from enrollments.forms import ASSESSMENT_FORM_FIELDS

    ProjectFunder.objects.create(project=tenancy.shelter_a, funder=8, start_date=date(2020, 1, 1))
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a)
    partner = Enrollment.objects.get(relationship_to_hoh=3)
    url = reverse("enrollments:member_start", args=[partner.enrollment_id])
    missing = worker.post(url, {"income_from_any_source": 0})
    assert "Required in this project" in missing.content.decode()
    answers = {k: v for k, v in START.items() if k in ASSESSMENT_FORM_FIELDS} | {"income_from_any_source": 1, "earned_amount": "900",
                                                                                "total_monthly_income": ""}  # H1: added up
    assert worker.post(url, answers).status_code == 302
    start = partner.assessments.get(stage=1)
    assert start.income_from_any_source == 1 and start.total_monthly_income == 900 and start.hiv_aids == 0
