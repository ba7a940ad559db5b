"""R1, R2 at any door (seed 000: the audit request form "is accessible at any agency that
participates in HMIS", or goes to the HMIS Lead): the taker logs it by HMIS Client ID and
date of birth; the agency serving the client produces it and is told by Client ID only (E1);
the taker learns the due date and whether it was produced, nothing of the record."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from agencies.models import License
from compliance.models import ClientRightsRequest
from hmis.models import Notification
from tests.clients.states import enroll, make_client
from tests.factories import LicenseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def served_by_b(tenancy):
    """A client of Agency B (limited sharing: Agency A sees only the basics) with a stay at
    B Housing, and B's director, who is told of requests."""
    person = make_client(tenancy.worker_b, project=tenancy.housing_b, sharing="limited", first="Ines", last="Vallejo",
                         dob=date(1975, 3, 9))
    enroll(tenancy.worker_b, person, tenancy.housing_b)
    director_b = UserFactory(username="director_b")
    LicenseFactory(user=director_b, agency=tenancy.agency_b, role=License.Role.EXECUTIVE_DIRECTOR)
    return person, director_b


def _take(client, person, **overrides):
    data = {"client_id": person.display_id, "dob": "1975-03-09", "kind": "audit",
            "received_on": date.today().isoformat(), "language": "es", **overrides}
    return client.post(reverse("compliance:rights_requests"), data)


def test_r2_another_agency_takes_the_request_and_the_serving_agency_produces_it(tenancy, signed_in, served_by_b):
    person, director_b = served_by_b
    worker_a = signed_in(tenancy.worker_a)
    response = _take(worker_a, person)
    assert response.status_code == 302
    made = ClientRightsRequest.objects.get()
    assert (made.agency, made.taken_at, made.taken_by_hmis_lead, made.kind) == (
        tenancy.agency_b, tenancy.agency_a, False, "audit")
    # E1: B's director is told by Client ID only
    note = Notification.objects.get(recipient=director_b)
    assert person.display_id in note.subject and "Ines" not in note.subject + note.body
    assert "Vallejo" not in note.subject + note.body and "1975" not in note.subject + note.body
    # B sees it in its queue and on the client's requests page, and produces it
    worker_b = signed_in(tenancy.worker_b)
    queue = worker_b.get(reverse("compliance:rights_requests")).content.decode()
    assert person.display_id in queue and "Agency A" in queue
    assert "1 to produce" in worker_b.get(reverse("home")).content.decode()
    page = worker_b.get(reverse("compliance:client_rights", args=[person.client_id])).content.decode()
    assert "Handed in at Agency A" in page
    printout = worker_b.get(reverse("compliance:client_rights_printout", args=[person.client_id, made.pk]))
    assert printout.status_code == 200 and printout["Content-Type"] == "application/pdf"
    # A sees the status only: produced, by B; never the name
    taken = worker_a.get(reverse("compliance:rights_requests")).content.decode()
    assert "Agency B" in taken and "Not yet" not in taken and "Vallejo" not in taken
    # and A still cannot open the printout itself
    assert worker_a.get(reverse("compliance:client_rights_printout",
                                args=[person.client_id, made.pk])).status_code == 404


def test_r1_the_hmis_lead_takes_a_request_for_a_copy(tenancy, signed_in, served_by_b):
    person, director_b = served_by_b
    lead = signed_in(tenancy.admin)
    assert _take(lead, person, kind="copy", language="en").status_code == 302
    made = ClientRightsRequest.objects.get()
    assert (made.agency, made.taken_at, made.taken_by_hmis_lead) == (tenancy.agency_b, None, True)
    assert Notification.objects.filter(recipient=director_b).exists()
    page = lead.get(reverse("compliance:rights_requests")).content.decode()
    assert "Taken by the HMIS Lead" in page and person.display_id in page
    assert "Handed in to the HMIS Lead" in signed_in(tenancy.worker_b).get(
        reverse("compliance:client_rights", args=[person.client_id])).content.decode()


def test_r1_a_wrong_date_of_birth_finds_no_one_and_keeps_what_was_typed(tenancy, signed_in, served_by_b):
    """The pair is the check: the page tells a stranger neither a date of birth nor which IDs exist."""
    person, _ = served_by_b
    worker_a = signed_in(tenancy.worker_a)
    response = _take(worker_a, person, dob="1975-03-10")
    text = response.content.decode()
    assert response.status_code == 400
    assert "No client has this HMIS Client ID and date of birth" in text
    assert f'value="{person.display_id}"' in text and 'value="1975-03-10"' in text
    response = _take(worker_a, person, client_id="ZZZZ-ZZZZ")
    assert "No client has this HMIS Client ID and date of birth" in response.content.decode()
    assert not ClientRightsRequest.objects.exists() and not Notification.objects.exists()


def test_r1_a_request_at_the_serving_agency_itself_is_its_own(tenancy, signed_in, served_by_b):
    person, director_b = served_by_b
    assert _take(signed_in(tenancy.worker_b), person).status_code == 302
    made = ClientRightsRequest.objects.get()
    assert (made.agency, made.taken_at) == (tenancy.agency_b, None)
    assert not Notification.objects.filter(recipient=director_b).exists()  # nobody else to tell


def test_r1_overdue_requests_show_how_late_they_are_most_urgent_first(tenancy, signed_in, served_by_b):
    person, _ = served_by_b
    worker_a = signed_in(tenancy.worker_a)
    _take(worker_a, person, received_on=(date.today() - timedelta(days=30)).isoformat())
    _take(worker_a, person, kind="copy")
    page = signed_in(tenancy.worker_b).get(reverse("compliance:rights_requests")).content.decode()
    late = ClientRightsRequest.objects.get(kind="audit")
    overdue = (date.today() - late.due_on).days
    assert f"({overdue} days overdue)" in page
    assert page.index("An audit of who viewed") < page.index("A copy of their personal information")


def test_r1_refusals_reporting_only_licenses_and_future_dates(tenancy, signed_in, served_by_b):
    person, _ = served_by_b
    assert signed_in(tenancy.reporter_b).get(reverse("compliance:rights_requests")).status_code == 403
    response = _take(signed_in(tenancy.worker_a), person,
                     received_on=(date.today() + timedelta(days=2)).isoformat())
    assert response.status_code == 400 and "cannot be received in the future" in response.content.decode()
    response = _take(signed_in(tenancy.worker_a), person, kind="correction")
    assert response.status_code == 400 and not ClientRightsRequest.objects.exists()
