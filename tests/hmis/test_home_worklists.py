"""Issue 21: the home page's work lists name the client where the viewer may see the name
(consent/visibility.py decides, C12), are sorted by urgency with "N days overdue" or "due
in N days", cost no query per row; the HMIS Lead's home counts what waits on them."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import License
from clients.models import Client, ClientGroupObjectPermission
from consent.models import ClientLock, GapApproval, Roi
from hmis.dates import today
from hmis.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())


def _worker_b():
    return License.objects.select_related("user", "agency").get(user__username="worker_b")


def _intake(license, first, last, signed_days_ago):
    """An intake begun (consent and client recorded) and left without a stay."""
    from clients import services as client_services
    from consent import services as consent_services

    project = license.agency.projects.get(name="Northside Permanent Supportive Housing")
    roi = consent_services.roi_record(actor=license.user, license=license, sharing_level="full", consent_type="signed",
                                      signed_on=today(), taken_by=license.user, project=project)
    from hmis.demo import DEMO_CLIENT_DEFAULTS

    fields = {k: v for k, v in DEMO_CLIENT_DEFAULTS.items() if k != "ssn_data_quality"}
    client = client_services.client_create(
        actor=license.user, license=license, roi=roi, first_name=first, last_name=last,
        dob=today() - timedelta(days=12000), ssn="", ssn_data_quality=99, white=True, **fields)
    Roi.objects.filter(pk=roi.pk).update(signed_on=today() - timedelta(days=signed_days_ago))
    return client


def _section(page, heading):
    return page.split(f">{heading}</h3>")[1].split("</section>")[0]


def _home(signed_in, username):
    return signed_in(User.objects.get(username=username)).get(reverse("home")).content.decode()


def test_c12_intakes_to_finish_show_names_the_worker_may_see_sorted_with_days_overdue(demo, signed_in):
    b = _worker_b()
    old = _intake(b, "Odalys", "Overdue", signed_days_ago=365)
    fresh = _intake(b, "Fenna", "Fresh", signed_days_ago=0)
    page = _home(signed_in, "worker_b")
    section = _section(page, "Intakes to finish")
    items = re.findall(r'<li data-testid="work-item">(.*?)</li>', section, re.S)
    # Most overdue first; a year-overdue intake says so, a new one says when it is due.
    assert old.display_id in items[0] and "Odalys Overdue" in items[0]
    assert "362 days overdue" in items[0]  # signed a year ago, due by the end of the third day after (D1)
    assert fresh.display_id in items[-1] and "Fenna Fresh" in items[-1] and "due in 3 days" in items[-1]
    henry = Client.objects.get(search_name="henry lindqvist")
    assert henry.display_id in section and "Henry Lindqvist" in section


def test_c12_a_work_list_never_names_a_client_the_viewer_may_not_see(demo, signed_in):
    b = _worker_b()
    hidden = _intake(b, "Zelda", "Unseen", signed_days_ago=1)
    # The agency no longer serves the client, and no other agency shares them: the client
    # page would refuse it (consent/visibility.py), so the list shows the HMIS Client ID only.
    ClientGroupObjectPermission.objects.filter(content_object=hidden, group_id=b.agency.group_id).delete()
    section = _section(_home(signed_in, "worker_b"), "Intakes to finish")
    assert hidden.display_id in section
    assert "Zelda" not in section and "Unseen" not in section


def test_consents_expiring_soon_say_in_how_many_days_soonest_first(demo, signed_in):
    b = _worker_b()
    later = _intake(b, "Lorna", "Later", signed_days_ago=0)
    sooner = _intake(b, "Sonia", "Sooner", signed_days_ago=0)
    Roi.objects.filter(clients=later).update(expires_on=today() + timedelta(days=20))
    Roi.objects.filter(clients=sooner).update(expires_on=today() + timedelta(days=2))
    section = _section(_home(signed_in, "worker_b"), "Consents expiring soon")
    assert section.index("Sonia Sooner") < section.index("Lorna Later")
    assert "expires in 2 days" in section and "expires in 20 days" in section


def test_late_entries_say_how_late(demo, signed_in):
    section = _section(_home(signed_in, "worker_b"), "Your entries flagged late")
    grace = Client.objects.get(search_name="grace yazzie")
    assert grace.display_id in section and "Grace Yazzie" in section
    assert re.search(r"\d+ days? late|after its deadline", section)


def test_the_home_page_makes_no_query_per_work_list_row(demo, signed_in):
    b = _worker_b()
    browser = signed_in(b.user)
    _intake(b, "Una", "One", signed_days_ago=2)
    Roi.objects.filter(agency=b.agency).update(expires_on=today() + timedelta(days=10))
    browser.get(reverse("home"))  # warm the session and the compiled lists
    with CaptureQueriesContext(connection) as few:
        first = browser.get(reverse("home")).content.decode()
    for n in range(4):
        _intake(b, f"Extra{n}", "Client", signed_days_ago=n * 30)
    Roi.objects.filter(agency=b.agency).update(expires_on=today() + timedelta(days=10))
    with CaptureQueriesContext(connection) as many:
        second = browser.get(reverse("home")).content.decode()
    assert second.count('data-testid="work-item"') >= first.count('data-testid="work-item"') + 8
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]


def test_the_hmis_leads_home_counts_what_waits_on_them_with_links(demo, signed_in):
    admin = User.objects.filter(is_system_admin=True).first()
    client = Client.objects.get(search_name="henry lindqvist")
    b = _worker_b()
    ClientLock.objects.create(client=client, agency=b.agency, part=ClientLock.Part.DEMOGRAPHICS,
                              source=ClientLock.Source.CLIENT_REQUEST, status=ClientLock.Status.REQUESTED,
                              requested_by=b.user)
    GapApproval.objects.create(client=client, agency=b.agency, starts_on=today() - timedelta(days=40),
                               ends_on=today() - timedelta(days=30), reason="Paper records",
                               status=GapApproval.Status.REQUESTED, requested_by=b.user)
    page = signed_in(admin).get(reverse("home")).content.decode()
    waiting = page.split('data-testid="lead-waiting"')[1].split("</ul>")[0]
    locks = waiting.split('data-testid="waiting-locks"')[1].split("</li>")[0]
    assert reverse("consent:lock_requests") in locks and ">1</span>" in locks
    gaps = waiting.split('data-testid="waiting-gaps"')[1].split("</li>")[0]
    assert reverse("consent:gap_requests") in gaps and ">1</span>" in gaps
    for name in ("access_requests", "oversight:data_requests", "oversight:breaches", "oversight:violations",
                 "reports:import", "agreements_admin"):
        assert reverse(name) in waiting
    assert "Henry" not in waiting  # counts only, never a name (E1)


def test_the_header_search_posts_to_the_client_search_for_those_who_may_search(demo, signed_in):
    page = _home(signed_in, "worker_b")
    form = re.search(r'<form class="hmis-header-search"[^>]*>', page).group(0)
    assert 'method="post"' in form and f'action="{reverse("clients:search")}"' in form
    results = signed_in(User.objects.get(username="worker_b")).post(reverse("clients:search"), {"text": "Lindqvist"})
    assert "Lindqvist" in results.content.decode()


def test_no_header_search_for_a_license_that_may_not_open_client_data(demo, signed_in):
    b = _worker_b()
    License.objects.filter(pk=b.pk).update(access_level=License.AccessLevel.REPORTING_ONLY)
    page = _home(signed_in, "worker_b")
    assert "hmis-header-search" not in page


def test_an_annual_assessment_past_its_window_says_how_many_days_overdue(demo, signed_in):
    import time_machine

    from enrollments.models import Enrollment
    from enrollments.services import ANNUAL_WINDOW_DAYS
    from hmis.dates import add_months, fiscal_year_of
    from tests.factories import complete_training, sign_agreement
    from tests.timetravel import noon

    stay = Enrollment.objects.get(client__search_name="rosa delgado")
    later = stay.entry_date + timedelta(days=400)
    sign_agreement(stay.agency, fiscal_year=fiscal_year_of(later))
    worker = User.objects.get(username="worker_a")
    complete_training(worker, fiscal_year=fiscal_year_of(later))
    with time_machine.travel(noon(later)):
        page = signed_in(worker).get(reverse("home")).content.decode()
    section = _section(page, "Annual assessments due")
    overdue = (later - (add_months(stay.entry_date, 12) + timedelta(days=ANNUAL_WINDOW_DAYS))).days
    assert stay.client.display_id in section and "Rosa Delgado" in section
    assert f"{overdue} days overdue" in section
