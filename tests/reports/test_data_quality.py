"""D4: the data quality dashboard per agency, project and user, with the records
behind each number, and each agency's data monitoring plan."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencies.models import Agency
from hmis.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())


def user(name):
    return User.objects.get(username=name)


def test_d4_dashboard_measures_the_four_parts_per_project_and_lists_the_late_record(demo, signed_in):
    from clients.models import Client

    page = signed_in(user("worker_b")).get(reverse("reports:dashboard")).content.decode()
    for part in ("Timeliness", "Completeness", "Accuracy", "Consistency"):
        assert part in page
    assert "Northside Permanent Supportive Housing" in page
    assert "Riverbend" not in page  # another agency's projects are not measured for Agency B
    grace = Client.objects.get(search_name="grace yazzie")
    assert grace.display_id in page and "entered after the deadline" in page
    assert "<svg" in page


def test_d4_drill_down_shows_only_the_records_behind_a_number(demo, signed_in):
    client = signed_in(user("lead"))
    page = client.get(reverse("reports:dashboard"), {"start": "2000-01-01", "end": "2100-01-01", "group_by": "agency",
                                                     "part": "timeliness"}).content.decode()
    records = page.split('id="records"')[1]
    assert "Project start entered after the deadline" in records
    assert "Not answered" not in records


def test_d4_per_user_grouping_for_the_hmis_lead(demo, signed_in):
    page = signed_in(user("lead")).get(reverse("reports:dashboard"), {
        "start": "2000-01-01", "end": "2100-01-01", "group_by": "user"}).content.decode()
    assert "Wanda Walker" in page and "Will Baker" in page and "Cora Cole" in page


def test_d4_each_agency_keeps_its_data_monitoring_plan(demo, signed_in):
    agency_a = Agency.objects.get(name__startswith="Agency A")
    director = signed_in(user("director_a"))
    director.post(reverse("reports:monitoring_plan", args=[agency_a.pk]),
                  {"plan": "The director reviews timeliness every Monday."})
    agency_a.refresh_from_db()
    assert agency_a.data_monitoring_plan == "The director reviews timeliness every Monday."
    assert "reviews timeliness every Monday" in director.get(reverse("reports:dashboard")).content.decode()
    refused = signed_in(user("worker_a")).post(reverse("reports:monitoring_plan", args=[agency_a.pk]),
                                               {"plan": "Overwritten"}, follow=True)
    assert "Only the agency" in refused.content.decode()
    agency_a.refresh_from_db()
    assert agency_a.data_monitoring_plan.startswith("The director")


def test_t3_reporting_only_users_see_the_dashboard_but_not_client_pages(demo, signed_in):
    reporter = signed_in(user("reporter_b"))
    page = reporter.get(reverse("reports:dashboard")).content.decode()
    assert "Timeliness" in page and "/enrollments/" not in page


# Income, annual assessment and exit (HUD's Data Quality report Q4 reading, reports/dataquality.py).
def _stay(entry, exit=None):
    from agencies.models import Project
    from enrollments.models import Enrollment

    project = Project(project_type=3, required_elements=["4.02"])  # collects 4.02 (D2), no database needed
    return Enrollment(project=project, relationship_to_hoh=1, entry_date=entry, exit_date=exit)


def _answers(stage, day, income=None, **sources):
    from enrollments.models import Assessment

    return Assessment(stage=stage, information_date=day, income_from_any_source=income, **sources)


def test_d4_income_yes_without_a_source_and_no_with_one_are_accuracy_errors():
    from datetime import date

    from reports.dataquality import income_problems

    stay = _stay(date(2026, 1, 5), exit=date(2026, 3, 1))
    found = income_problems(stay, [_answers(1, date(2026, 1, 5), income=1),            # Yes, no source ticked
                                   _answers(3, date(2026, 3, 1), income=0, earned=1)],  # No, yet earned income Yes
                            as_of=date(2026, 6, 30))
    assert found == [("accuracy", "Income at project start: Yes, but no source named"),
                     ("accuracy", "Income at exit: No, but a source named")]


def test_d4_missing_or_refused_income_at_start_and_exit_is_incomplete():
    from datetime import date

    from reports.dataquality import income_problems

    stay = _stay(date(2026, 1, 5), exit=date(2026, 3, 1))
    # Start answered 9 (prefers not to answer), no exit assessment at all: both incomplete.
    found = income_problems(stay, [_answers(1, date(2026, 1, 5), income=9)], as_of=date(2026, 6, 30))
    assert found == [("completeness", "Income and sources at project start not answered"),
                     ("completeness", "Income and sources at exit not answered")]
    # Answered well at both: nothing found.
    assert income_problems(stay, [_answers(1, date(2026, 1, 5), income=1, earned=1),
                                  _answers(3, date(2026, 3, 1), income=0)], as_of=date(2026, 6, 30)) == []


def test_d4_annual_assessment_is_due_within_30_days_of_each_anniversary():
    from datetime import date

    from reports.dataquality import income_problems

    stay = _stay(date(2024, 3, 10))
    start = _answers(1, date(2024, 3, 10), income=0)
    # As of 2026-04-30 two anniversaries have closed windows: 2025-03-10 and 2026-03-10 (+30 days = 04-09).
    # The 2025 annual was done 25 days after its anniversary (inside the window); the 2026 one is missing.
    found = income_problems(stay, [start, _answers(5, date(2025, 4, 4), income=0)], as_of=date(2026, 4, 30))
    assert found == [("timeliness", "No annual assessment within 30 days of 03/10/2026")]
    # On 2026-04-01 the 2026 window is still open: not yet late.
    assert income_problems(stay, [start, _answers(5, date(2025, 4, 4), income=0)], as_of=date(2026, 4, 1)) == []
    # An annual 31 days early does not count.
    assert ("timeliness", "No annual assessment within 30 days of 03/10/2025") in income_problems(
        stay, [start, _answers(5, date(2025, 2, 7), income=0)], as_of=date(2025, 6, 1))


def test_d4_income_is_not_counted_for_children_or_projects_that_do_not_collect_it():
    from datetime import date

    from clients.models import Client
    from reports.dataquality import income_problems

    stay = _stay(date(2026, 1, 5))
    stay.project.required_elements = ["4.04"]  # the project does not collect 4.02
    assert income_problems(stay, [], as_of=date(2026, 6, 30)) == []
    child = _stay(date(2026, 1, 5))
    child.relationship_to_hoh = 2
    child.client = Client(dob=date(2018, 5, 1))
    assert income_problems(child, [], as_of=date(2026, 6, 30)) == []


def test_d4_dashboard_lists_a_missing_annual_assessment(demo, signed_in):
    from datetime import timedelta

    from agencies.requirements import required_elements
    from enrollments.models import Enrollment
    from hmis import dates

    stay = next(e for e in Enrollment.objects.filter(exit_date__isnull=True, relationship_to_hoh=1)
                .select_related("project") if "4.02" in required_elements(e.project))
    long_ago = dates.today() - timedelta(days=400)
    Enrollment.objects.filter(pk=stay.pk).update(entry_date=long_ago)
    stay.assessments.filter(stage=5).delete()
    page = signed_in(user("lead")).get(reverse("reports:dashboard"), {
        "start": str(long_ago), "end": str(dates.today()), "group_by": "project", "part": "timeliness"}).content.decode()
    anniversary = long_ago.replace(year=long_ago.year + 1)
    assert f"No annual assessment within 30 days of {anniversary:%m/%d/%Y}" in page
