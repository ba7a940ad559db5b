"""S1, S2, S3: violations and their tiers, suspensions applied and lifted by the
software, investigations of improper access and the letters to affected clients."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from agencies.models import License
from compliance import sanctions
from compliance.models import AffectedClient, Investigation, Violation
from hmis.models import AuditEntry
from tests.clients.states import make_client
from tests.compliance.pdfs import pdf_text
from tests.factories import LicenseFactory
from tests.timetravel import noon

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 2)


def record(admin_client, person, agency, *, law=False, day=DAY):
    return admin_client.post(reverse("oversight:violations"), {
        "user": person.pk, "agency": agency.pk, "occurred_on": day.isoformat(), "description": "Shared a password",
        "is_law_violation": "on" if law else ""})


def licenses_of(person):
    return {lic.agency.name: lic.status for lic in License.objects.filter(user=person).select_related("agency")}


def test_s1_first_violation_suspends_until_the_agency_reports_the_remedy(tenancy, signed_in):
    admin = signed_in(tenancy.admin)
    with time_machine.travel(noon(DAY)):
        record(admin, tenancy.worker_a, tenancy.agency_a)
        violation = Violation.objects.get()
        assert violation.tier == 1 and violation.minimum_until is None
        assert licenses_of(tenancy.worker_a) == {"Agency A": "suspended"}
        # the suspended person cannot open client pages
        assert signed_in(tenancy.worker_a).get(reverse("clients:search")).status_code == 403
        director = signed_in(tenancy.director_a)
        page = director.get(reverse("oversight:agency_compliance"))
        assert b"1st violation" in page.content
        director.post(reverse("oversight:agency_compliance"), {"action": "remedy", "violation": violation.pk,
                                                               "remedy": "Retrained; password changed"})
    violation.refresh_from_db()
    assert violation.lifted_at is not None
    assert licenses_of(tenancy.worker_a) == {"Agency A": "active"}


def test_s1_second_violation_30_days_not_shortened_by_the_remedy_and_counted_across_agencies(tenancy, signed_in):
    admin = signed_in(tenancy.admin)
    LicenseFactory(user=tenancy.worker_a, agency=tenancy.agency_b)  # the person also works at B
    with time_machine.travel(noon(DAY - timedelta(days=400))):
        Violation.objects.create(user=tenancy.worker_a, agency=tenancy.agency_b, occurred_on=DAY - timedelta(days=400),
                                 description="old", tier=1, recorded_by=tenancy.admin, suspended_on=DAY,
                                 lifted_at=noon(DAY - timedelta(days=390)))
    with time_machine.travel(noon(DAY)):
        record(admin, tenancy.worker_a, tenancy.agency_a)
        violation = Violation.objects.latest("pk")
        assert violation.tier == 2  # the violation at B more than a year ago still counts
        assert violation.minimum_until == DAY + timedelta(days=30)
        assert licenses_of(tenancy.worker_a) == {"Agency A": "suspended", "Agency B": "suspended"}
        sanctions.report_remedy(actor=tenancy.director_a, violation=violation, remedy="Retrained")
        assert licenses_of(tenancy.worker_a)["Agency A"] == "suspended"  # the remedy does not shorten it
    sanctions.run_sanctions(DAY + timedelta(days=29))
    assert licenses_of(tenancy.worker_a)["Agency A"] == "suspended"
    sanctions.run_sanctions(DAY + timedelta(days=30))
    assert licenses_of(tenancy.worker_a) == {"Agency A": "active", "Agency B": "active"}


def test_s1_second_violation_continues_past_30_days_until_the_remedy(tenancy):
    sanctions.record_violation(actor=tenancy.admin, user=tenancy.worker_a, agency=tenancy.agency_a,
                               occurred_on=date.today(), description="first")
    first = Violation.objects.get()
    sanctions.report_remedy(actor=tenancy.director_a, violation=first, remedy="done")
    second = sanctions.record_violation(actor=tenancy.admin, user=tenancy.worker_a, agency=tenancy.agency_a,
                                        occurred_on=date.today(), description="second")
    sanctions.run_sanctions(date.today() + timedelta(days=45))
    assert licenses_of(tenancy.worker_a) == {"Agency A": "suspended"}
    with time_machine.travel(noon(date.today() + timedelta(days=46))):
        sanctions.report_remedy(actor=tenancy.director_a, violation=second, remedy="done")
    assert licenses_of(tenancy.worker_a) == {"Agency A": "active"}


def test_s1_violation_of_law_is_third_tier_at_once_and_the_panel_decides(tenancy, signed_in):
    admin = signed_in(tenancy.admin)
    with time_machine.travel(noon(DAY)):
        record(admin, tenancy.worker_a, tenancy.agency_a, law=True)
    violation = Violation.objects.get()
    assert violation.tier == 3 and violation.tier_label == "3rd or later"
    # the panel keeps the license, but the 30 days still run: whichever is later
    with time_machine.travel(noon(DAY + timedelta(days=3))):
        admin = signed_in(tenancy.admin)
        admin.post(reverse("oversight:violation", args=[violation.pk]), {"action": "panel", "decision": "keep"})
    assert licenses_of(tenancy.worker_a) == {"Agency A": "suspended"}
    sanctions.run_sanctions(DAY + timedelta(days=30))
    assert licenses_of(tenancy.worker_a) == {"Agency A": "active"}


def test_s1_the_panel_can_end_the_license(tenancy):
    for n in range(3):
        violation = sanctions.record_violation(actor=tenancy.admin, user=tenancy.worker_a, agency=tenancy.agency_a,
                                               occurred_on=date.today(), description=f"v{n}")
    assert violation.tier == 3
    sanctions.panel_decide(actor=tenancy.admin, violation=violation, decision="end", note="Repeated misuse")
    assert licenses_of(tenancy.worker_a) == {"Agency A": "revoked"}


def test_s1_the_advisory_committee_agenda_lists_violations_until_told(tenancy, signed_in):
    sanctions.record_violation(actor=tenancy.admin, user=tenancy.worker_a, agency=tenancy.agency_a,
                               occurred_on=date.today(), description="x")
    admin = signed_in(tenancy.admin)
    assert b"1st violation, Agency A" in admin.get(reverse("oversight:committee")).content
    admin.post(reverse("oversight:committee"), {"meeting_on": date.today().isoformat()})
    assert Violation.objects.get().committee_told_on == date.today()
    assert b"1st violation, Agency A" not in admin.get(reverse("oversight:committee")).content


def test_s1_only_the_lead_records_violations_and_bad_input_keeps_what_was_typed(tenancy, signed_in):
    assert signed_in(tenancy.director_a).get(reverse("oversight:violations")).status_code == 403
    response = record(signed_in(tenancy.admin), tenancy.worker_a, tenancy.agency_b)  # no license at B
    assert b"holds no license at that agency" in response.content and b"Shared a password" in response.content
    assert not Violation.objects.exists()


def test_s2_access_revoked_at_once_pending_review(tenancy, signed_in):
    signed_in(tenancy.admin).post(reverse("oversight:investigations"), {
        "user": tenancy.worker_b.pk, "agency": tenancy.agency_b.pk, "kind": "other", "concern": "Complaint"})
    investigation = Investigation.objects.get()
    assert licenses_of(tenancy.worker_b) == {"Agency B": "suspended"}
    assert not investigation.affected.exists()
    sanctions.lead_decide(actor=tenancy.admin, investigation=investigation, decision="keep", note="Unfounded")
    assert licenses_of(tenancy.worker_b) == {"Agency B": "active"}


def test_s3_improper_access_finds_affected_clients_and_letters_offer_an_audit(tenancy, signed_in):
    tenancy.agency_a.grievance_contact_name = "Rosa Díaz"
    tenancy.agency_a.grievance_contact_phone = "555-0100"
    tenancy.agency_a.save()
    looked_at = make_client(tenancy.worker_b, project=tenancy.housing_b)
    untouched = make_client(tenancy.worker_b, project=tenancy.housing_b, first="Other", ssn="234567890")
    snooper = signed_in(tenancy.worker_a)
    # the consent shares with other agencies, so the page opens, but A has no reason to look
    snooper.get(reverse("clients:detail", args=[looked_at.client_id]))
    admin = signed_in(tenancy.admin)
    admin.post(reverse("oversight:investigations"), {
        "user": tenancy.worker_a.pk, "agency": tenancy.agency_a.pk, "kind": "improper_access",
        "concern": "Looked up a neighbour", "access_from": (date.today() - timedelta(days=1)).isoformat()})
    investigation = Investigation.objects.get()
    affected = AffectedClient.objects.get()
    assert affected.client == looked_at and untouched.pk != affected.client_id
    assert licenses_of(tenancy.worker_a) == {"Agency A": "suspended"}

    for language, phrases in {"en": ["full audit", "Rosa Díaz, 555-0100", "Agency A"],
                              "es": ["auditoría completa", "Rosa Díaz, 555-0100"]}.items():
        response = admin.get(reverse("oversight:notification_letter", args=[investigation.pk, affected.pk, language]))
        text = pdf_text(response)
        assert all(p in text for p in phrases), text
        assert response["Content-Disposition"].endswith(f'notification-{looked_at.display_id}-{language}.pdf"')
    assert AuditEntry.objects.filter(access_kind="print", client_ref=looked_at.client_id, actor=tenancy.admin).exists()

    # the agency submits a plan; the Lead disagrees; the governance committee decides
    signed_in(tenancy.director_a).post(reverse("oversight:agency_compliance"), {
        "action": "plan", "investigation": investigation.pk, "plan": "Supervised access for 90 days"})
    admin.post(reverse("oversight:investigation", args=[investigation.pk]),
               {"action": "lead", "decision": "disagree", "note": "Not enough"})
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.GOVERNANCE
    admin.post(reverse("oversight:investigation", args=[investigation.pk]),
               {"action": "governance", "decision": "end", "note": "License ended 11/20"})
    investigation.refresh_from_db()
    assert investigation.outcome == Investigation.Outcome.ENDED
    assert licenses_of(tenancy.worker_a) == {"Agency A": "revoked"}


def test_s3_only_a_submitted_plan_goes_to_governance(tenancy):
    investigation = sanctions.open_investigation(actor=tenancy.admin, user=tenancy.worker_a, agency=tenancy.agency_a,
                                                 kind="improper_access", concern="x")
    with pytest.raises(Exception, match="Only a submitted plan"):
        sanctions.lead_decide(actor=tenancy.admin, investigation=investigation, decision="disagree", note="no")
