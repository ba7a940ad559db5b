"""The agency's own administration and the HMIS Lead's queue: A3, A8, U1, U6, and the
license dashboard."""

from datetime import date
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from agencies.models import License, UserAccessRequest
from hmis.models import Notification, User
from tests.factories import LicenseFactory, UserFactory
from tests.timetravel import noon

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep_a(tenancy):
    user = UserFactory(username="rep_a")
    LicenseFactory(user=user, agency=tenancy.agency_a, role=License.Role.AUTHORIZED_REPRESENTATIVE)
    return user


REQUEST = {"first_name": "Priya", "last_name": "Raman", "email": "priya@example.org", "username": "praman",
           "role": "end_user", "access_level": "full", "reason": "New shelter case manager"}


def test_u1_a_representative_requests_an_account_and_the_hmis_lead_approves(tenancy, rep_a, signed_in):
    rep = signed_in(rep_a)
    response = rep.post(reverse("access_request_new"), {**REQUEST, "projects": [tenancy.shelter_a.pk]})
    assert response.status_code == 302
    uar = UserAccessRequest.objects.get()
    assert uar.status == "requested" and Notification.objects.filter(recipient=tenancy.admin).exists()
    assert not User.objects.filter(username="praman").exists()  # no account before approval

    admin = signed_in(tenancy.admin)
    page = admin.post(reverse("access_request_decide", args=[uar.pk]), {"decision": "approve"}, follow=True)
    assert "first password" in page.content.decode()
    person = User.objects.get(username="praman")
    license = License.objects.get(user=person)
    assert license.agency == tenancy.agency_a and list(license.projects.all()) == [tenancy.shelter_a]
    assert person.password_change_required


def test_u1_only_authorized_representatives_request_and_denials_need_a_reason(tenancy, rep_a, signed_in):
    refused = signed_in(tenancy.worker_a).post(reverse("access_request_new"), REQUEST)
    assert "Only the agency's Authorized Representative" in unescape(refused.content.decode())
    signed_in(rep_a).post(reverse("access_request_new"), REQUEST)
    uar = UserAccessRequest.objects.get()
    admin = signed_in(tenancy.admin)
    page = admin.post(reverse("access_request_decide", args=[uar.pk]), {"decision": "deny"}, follow=True)
    assert "Give the reason" in page.content.decode()
    admin.post(reverse("access_request_decide", args=[uar.pk]), {"decision": "deny", "reason": "Training not scheduled"})
    uar.refresh_from_db()
    assert uar.status == "denied" and uar.decision_reason == "Training not scheduled"
    assert Notification.objects.filter(recipient=rep_a, subject__contains="denied").exists()


def test_u6_revocation_is_immediate_and_late_ones_are_reported(tenancy, rep_a, signed_in):
    worker = signed_in(tenancy.worker_a)
    assert worker.get(reverse("clients:search")).status_code == 200
    license = License.objects.get(user=tenancy.worker_a)
    with time_machine.travel(noon(date(2026, 11, 27))):  # the Friday after Thanksgiving
        rep = signed_in(rep_a)
        # Left on Monday 11/20; business days after: 11/23, 11/24, 11/25, (26 holiday), 11/27 = 4 > 3.
        rep.post(reverse("license_revoke", args=[license.pk]), {"left_on": "2026-11-20", "reason": "Left the agency"})
    license.refresh_from_db()
    assert license.status == "revoked" and license.revoked_late and license.left_on == date(2026, 11, 20)
    assert worker.get(reverse("clients:search")).status_code == 403  # at once, same session
    assert Notification.objects.filter(recipient=tenancy.admin, subject__contains="Late revocation").exists()


def test_u6_a_revocation_within_three_business_days_is_not_late(tenancy, rep_a, signed_in):
    license = License.objects.get(user=tenancy.worker_a)
    with time_machine.travel(noon(date(2026, 11, 25))):
        signed_in(rep_a).post(reverse("license_revoke", args=[license.pk]), {"left_on": "2026-11-20"})
    license.refresh_from_db()
    assert license.status == "revoked" and not license.revoked_late


def test_a3_the_agency_changes_its_representatives_and_designated_contacts(tenancy, rep_a, signed_in):
    license = License.objects.get(user=tenancy.worker_a)
    signed_in(tenancy.director_a).post(reverse("license_role", args=[license.pk]), {"role": "designated_contact"})
    license.refresh_from_db()
    assert license.role == "designated_contact"
    page = signed_in(tenancy.worker_b).get(reverse("my_agency")).content.decode()
    assert "worker_a" not in page  # each agency sees its own people
    refused = signed_in(tenancy.worker_a).post(reverse("license_role", args=[license.pk]), {"role": "authorized_representative"}, follow=True)
    assert "Only the agency's" in unescape(refused.content.decode())


def test_a8_the_agency_records_its_privacy_notice_and_hipaa_status(tenancy, signed_in):
    director = signed_in(tenancy.director_a)
    director.post(reverse("my_agency_edit"), {"privacy_notice_url": "agency-a.example.org/privacy",
                                              "consumer_notice_posted": "on", "hipaa_covered": "on"})
    tenancy.agency_a.refresh_from_db()
    assert tenancy.agency_a.privacy_notice_url == "https://agency-a.example.org/privacy"
    assert tenancy.agency_a.consumer_notice_posted and tenancy.agency_a.hipaa_covered


def test_license_dashboard_counts_seats_filters_and_downloads_csv(tenancy, rep_a, signed_in):
    admin = signed_in(tenancy.admin)
    page = admin.get(reverse("license_dashboard"), {"agency": tenancy.agency_b.pk}).content.decode()
    assert "viewer_b" in page and "worker_a" not in page
    csv_response = admin.get(reverse("license_dashboard"), {"status": "active", "format": "csv"})
    assert csv_response["Content-Type"] == "text/csv"
    rows = csv_response.content.decode().splitlines()
    assert rows[0].startswith("agency,username") and any("worker_c" in r for r in rows)
    assert signed_in(tenancy.worker_a).get(reverse("license_dashboard")).status_code == 403


def test_a4_termination_needs_30_days_notice_and_on_the_date_access_ends_and_projects_close(tenancy, rep_a, signed_in):
    from datetime import timedelta

    from agencies.services import run_terminations
    from clients.models import Client
    from consent.models import Roi
    from hmis import dates
    from tests.clients.states import make_client

    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    rep = signed_in(rep_a)
    too_soon = rep.post(reverse("termination_notice"), {"termination_date": (dates.today() + timedelta(days=20)).isoformat()})
    assert "30 days" in too_soon.content.decode()
    end = dates.today() + timedelta(days=31)
    rep.post(reverse("termination_notice"), {"termination_date": end.isoformat()})
    tenancy.agency_a.refresh_from_db()
    assert tenancy.agency_a.termination_date == end
    assert run_terminations(end - timedelta(days=1)) == 0
    assert run_terminations(end) == 1 and run_terminations(end) == 0  # safe to run twice
    tenancy.agency_a.refresh_from_db()
    assert tenancy.agency_a.status == "terminated"
    assert not License.objects.filter(agency=tenancy.agency_a, status="active").exists()
    assert set(tenancy.agency_a.projects.values_list("operating_end", flat=True)) == {end}
    assert Roi.objects.filter(agency=tenancy.agency_a).exists() and Client.objects.filter(pk=person.pk).exists()  # C8


def test_a5_participation_letters_for_participating_and_onboarding_agencies(tenancy, signed_in):
    from io import BytesIO

    from pypdf import PdfReader

    director = signed_in(tenancy.director_a)
    response = director.get(reverse("participation_letter", args=[tenancy.agency_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "Agency A" in PdfReader(BytesIO(response.content)).pages[0].extract_text()
    tenancy.agency_b.status = "onboarding"
    tenancy.agency_b.save()
    assert signed_in(tenancy.admin).get(reverse("participation_letter", args=[tenancy.agency_b.pk]))["Content-Type"] == "application/pdf"
    tenancy.agency_c.status = "suspended"
    tenancy.agency_c.save()
    refused = signed_in(tenancy.admin).get(reverse("participation_letter", args=[tenancy.agency_c.pk]), follow=True)
    assert "no participation letter is issued" in refused.content.decode()
    assert signed_in(tenancy.worker_a).get(reverse("participation_letter", args=[tenancy.agency_a.pk])).status_code == 403


def test_license_dashboard_shows_each_persons_status(tenancy, rep_a, signed_in):
    from compliance.services import RECERT_REASON
    from tests.factories import LicenseFactory, UserFactory

    trainee = UserFactory(username="trainee")
    LicenseFactory(user=trainee, agency=tenancy.agency_b, trained=False)
    License.objects.filter(user=tenancy.worker_c).update(status="suspended", status_reason=RECERT_REASON)
    signed_in(rep_a).post(reverse("access_request_new"), REQUEST)
    page = signed_in(tenancy.admin).get(reverse("license_dashboard")).content.decode()
    assert "In training" in page and "Recertification due" in page and "praman" in page
    rows = signed_in(tenancy.admin).get(reverse("license_dashboard"), {"format": "csv"}).content.decode()
    assert "In training" in rows


def test_u2_a_returning_user_is_given_a_license_and_must_retrain(tenancy, signed_in):
    from compliance.training import training_complete

    license = License.objects.get(user=tenancy.worker_c)
    license.status = "revoked"
    license.save()
    assert training_complete(tenancy.worker_c)
    signed_in(tenancy.admin).post(reverse("agencies:license_grant", args=[tenancy.worker_c.pk]),
                                  {"agency": tenancy.agency_b.pk, "role": "end_user", "access_level": "full",
                                   "override_reason": "Returning staff member"})
    tenancy.worker_c.refresh_from_db()
    assert tenancy.worker_c.training_reset_at is not None and not training_complete(tenancy.worker_c)
