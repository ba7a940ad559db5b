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
