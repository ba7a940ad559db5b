"""Paths that bypassed a rule (issue 14, section 2): the HMIS CSV import into a victim
service provider's project (A6), a license edit lifting a sanction (S1), and the HMIS
Lead's license grant skipping the User Access Request (U1)."""

import io
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from agencies.models import License, UserAccessRequest
from agencies.services import access_request_decide
from compliance import sanctions
from compliance.models import Violation
from hmis.models import User
from tests.timetravel import noon

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 2)


# --- A6: the HMIS CSV import ------------------------------------------------------------


def _export_files(tmp_path) -> dict[str, str]:
    from tests.reports.test_hmis_csv import export, read_zip

    return {name: data.decode() for name, data in read_zip(export(tmp_path, "good.zip")).items()}


def _table(text):
    import csv

    return list(csv.reader(io.StringIO(text)))


def _dicts(text):
    import csv

    return list(csv.DictReader(io.StringIO(text)))


def _write_table(table) -> str:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    return buffer.getvalue()


def _set(files, name, where, column, value):
    """Set ``column`` to ``value`` in the rows of ``name`` for which where(row dict) holds."""
    table = _table(files[name])
    header = table[0]
    for row in table[1:]:
        if row and where(dict(zip(header, row, strict=True))):
            row[header.index(column)] = value
    files[name] = _write_table(table)


def _import(tmp_path, label, files):
    from tests.reports.test_hmis_csv import write_zip

    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("import_hmis_csv", str(write_zip(tmp_path / f"{label}.zip", files)), stdout=io.StringIO())
    from reports.models import ImportRun

    return ImportRun.objects.latest("run_at")


def test_a6_import_refuses_stays_in_a_vsp_project(tmp_path):
    from agencies.models import Agency, Project
    from clients.models import Client
    from enrollments.models import Enrollment

    call_command("seed_demo", verbosity=0)
    files = _export_files(tmp_path)
    vsp_project = Project.objects.get(agency__is_victim_service_provider=True)
    first_stay = _dicts(files["Enrollment.csv"])[0]
    counts = (Client.objects.count(), Enrollment.objects.count(), Agency.objects.count())

    # 1. A stay moved into the victim service provider's project of this HMIS, though the
    #    export itself does not call the organization a victim service provider.
    moved = dict(files)
    _set(moved, "Enrollment.csv", lambda r: r["EnrollmentID"] == first_stay["EnrollmentID"], "ProjectID",
         str(vsp_project.pk))
    _set(moved, "Organization.csv", lambda r: True, "VictimServiceProvider", "0")
    run = _import(tmp_path, "into-our-vsp", moved)
    errors = [p for p in run.errors if p[0] == "Enrollment.csv" and p[2] == "ProjectID"]
    assert [(p[0], p[1], p[2]) for p in errors] == [("Enrollment.csv", 2, "ProjectID")]
    assert "victim service provider" in errors[0][3] and "A6" in errors[0][3]

    # 2. An organization the export names a victim service provider: each of its stays is refused.
    flagged = dict(files)
    organization = next(r["OrganizationID"] for r in _dicts(files["Project.csv"])
                        if r["ProjectID"] == first_stay["ProjectID"])
    _set(flagged, "Organization.csv", lambda r: r["OrganizationID"] == organization, "VictimServiceProvider", "1")
    run = _import(tmp_path, "vsp-in-export", flagged)
    assert ["Enrollment.csv", 2, "ProjectID"] in [p[:3] for p in run.errors]
    assert all(p[0] == "Enrollment.csv" and p[2] == "ProjectID" for p in run.errors)

    # all or nothing: not one row loaded
    assert (Client.objects.count(), Enrollment.objects.count(), Agency.objects.count()) == counts
    assert not Enrollment.objects.filter(project=vsp_project).exists()
    # the same export without the VSP stay still loads
    call_command("import_hmis_csv", str(tmp_path / "good.zip"), stdout=io.StringIO())


# --- S1: a license under sanction ---------------------------------------------------------


def _second_violation(tenancy):
    Violation.objects.create(user=tenancy.worker_a, agency=tenancy.agency_a, occurred_on=DAY - timedelta(days=400),
                             description="old", tier=1, recorded_by=tenancy.admin, suspended_on=DAY - timedelta(days=400),
                             lifted_at=noon(DAY - timedelta(days=390)))
    violation = sanctions.record_violation(actor=tenancy.admin, user=tenancy.worker_a, agency=tenancy.agency_a,
                                           occurred_on=DAY, description="Shared a password")
    assert violation.tier == 2
    return violation


def test_s1_license_edit_cannot_lift_a_second_violation_suspension(tenancy, signed_in):
    with time_machine.travel(noon(DAY)):
        _second_violation(tenancy)
        license = License.objects.get(user=tenancy.worker_a)
        assert (license.status, license.status_reason) == ("suspended", sanctions.SANCTION_REASON)
        admin = signed_in(tenancy.admin)
        url = reverse("agencies:license_edit", args=[license.pk])
        response = admin.post(url, {"role": "designated_contact", "access_level": "view_only", "status": "active",
                                    "status_reason": "", "projects": [tenancy.shelter_a.pk]})
        page = response.content.decode()
        assert response.status_code == 200  # re-rendered with what was typed, not saved
        assert "suspended under the sanctions policy" in page and "not by editing the license" in page
        assert 'value="designated_contact" selected' in page and 'value="view_only" selected' in page
        license.refresh_from_db()
        assert (license.status, license.role, license.access_level) == ("suspended", "end_user", "full")
        # other changes may be saved while it stays suspended; the sanction's mark is kept
        admin.post(url, {"role": "end_user", "access_level": "view_only", "status": "suspended",
                         "status_reason": "On leave", "projects": [tenancy.shelter_a.pk]})
        license.refresh_from_db()
        assert (license.status, license.status_reason, license.access_level) == (
            "suspended", sanctions.SANCTION_REASON, "view_only")
    # once the 30 days are served and the remedy reported, the daily job lifts it as before
    violation = Violation.objects.get(tier=2)
    Violation.objects.filter(pk=violation.pk).update(remedy="Retrained", remedy_reported_at=noon(DAY))
    sanctions.run_sanctions(DAY + timedelta(days=30))
    assert License.objects.get(user=tenancy.worker_a).status == "active"


def test_s1_daily_job_resuspends_a_license_active_under_a_sanction(tenancy):
    with time_machine.travel(noon(DAY)):
        _second_violation(tenancy)
    # made active by some path around the sanction (a direct edit, an old form, the admin site)
    License.objects.filter(user=tenancy.worker_a).update(status="active", status_reason="")
    sanctions.run_sanctions(DAY + timedelta(days=10))
    license = License.objects.get(user=tenancy.worker_a)
    assert (license.status, license.status_reason) == ("suspended", sanctions.SANCTION_REASON)
    assert License.objects.get(user=tenancy.worker_b).status == "active"  # others untouched
    sanctions.run_sanctions(DAY + timedelta(days=10))  # twice does no harm
    assert License.objects.get(user=tenancy.worker_a).status == "suspended"


# --- U1: the HMIS Lead's license grant --------------------------------------------------


GRANT = {"role": "end_user", "access_level": "full"}


def test_u1_grant_without_a_request_and_without_a_reason_is_refused(tenancy, signed_in):
    person = User.objects.create_user("newhire", password="Sturdy-Lamp-4821")
    admin = signed_in(tenancy.admin)
    response = admin.post(reverse("agencies:license_grant", args=[person.pk]),
                          {**GRANT, "agency": tenancy.agency_a.pk, "projects": [tenancy.shelter_a.pk],
                           "override_reason": "   "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "User Access Request" in page and "give the reason" in page
    assert re.search(rf'value="{tenancy.shelter_a.pk}"[^>]*checked', page)  # what was typed is kept
    assert not License.objects.filter(user=person).exists()
    # a request waiting for the Lead is named, so the Lead approves it there
    UserAccessRequest.objects.create(agency=tenancy.agency_a, requested_by=tenancy.director_a, first_name="New",
                                     last_name="Hire", email="new@example.org", username="newhire", reason="Intake")
    page = admin.post(reverse("agencies:license_grant", args=[person.pk]),
                      {**GRANT, "agency": tenancy.agency_a.pk}).content.decode()
    assert "An access request for newhire at Agency A is waiting" in page
    assert not License.objects.filter(user=person).exists()


def test_u1_grant_with_a_reason_is_recorded_and_shown_on_the_persons_page(tenancy, signed_in):
    person = User.objects.create_user("newhire", password="Sturdy-Lamp-4821")
    admin = signed_in(tenancy.admin)
    response = admin.post(reverse("agencies:license_grant", args=[person.pk]),
                          {**GRANT, "agency": tenancy.agency_a.pk, "override_reason": "Covering the front desk"})
    assert response.status_code == 302
    license = License.objects.get(user=person)
    assert license.grant_override_reason == "Covering the front desk" and license.granted_by == tenancy.admin
    page = admin.get(reverse("agencies:person_detail", args=[person.pk])).content.decode()
    assert "Granted without a User Access Request" in page and "Covering the front desk" in page
    assert tenancy.admin.display_name in page


def test_u1_a_license_from_an_approved_request_needs_no_override(tenancy, signed_in):
    request = UserAccessRequest.objects.create(
        agency=tenancy.agency_a, requested_by=tenancy.director_a, first_name="New", last_name="Hire",
        email="new@example.org", username="newhire", reason="Intake")
    access_request_decide(actor=tenancy.admin, request=request, approve=True)
    license = License.objects.get(user__username="newhire")
    assert license.grant_override_reason == ""
    page = signed_in(tenancy.admin).get(reverse("agencies:person_detail", args=[license.user_id])).content.decode()
    assert "Granted without a User Access Request" not in page
