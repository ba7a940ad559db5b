"""A10 breaches, A11 monitoring and its letter, A12 clean-up notices."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, License, ProjectFunder
from agencies.selectors import projects_for_data_entry
from compliance import oversight
from compliance.models import Breach, CleanupNotice, MonitoringVisit
from hmis.models import Notification
from tests.compliance.pdfs import pdf_text
from tests.factories import LicenseFactory, UserFactory
from tests.timetravel import noon

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 2)


def status_of(agency):
    return Agency.objects.get(pk=agency.pk).status


def test_a10_breach_reported_late_puts_the_agency_on_probation(tenancy, signed_in):
    director = signed_in(tenancy.director_a)
    knew = timezone.localtime() - timedelta(hours=30)
    director.post(reverse("oversight:agency_compliance"), {
        "action": "breach", "discovered_at": knew.strftime("%Y-%m-%dT%H:%M"), "description": "Laptop stolen"})
    breach = Breach.objects.get()
    assert breach.reported_late and not breach.further_breach
    assert status_of(tenancy.agency_a) == Agency.Status.PROBATION
    assert Notification.objects.filter(recipient=tenancy.admin, subject__startswith="Data breach").exists()


def test_a10_breach_within_24_hours_is_on_time_and_the_lead_ends_probation(tenancy, signed_in):
    oversight.report_breach(actor=tenancy.director_a, agency=tenancy.agency_a,
                            discovered_at=timezone.now() - timedelta(hours=23), description="Email to wrong person")
    breach = Breach.objects.get()
    assert not breach.reported_late
    admin = signed_in(tenancy.admin)
    admin.post(reverse("oversight:breach", args=[breach.pk]), {"action": "compliant", "note": "Encryption installed"})
    assert status_of(tenancy.agency_a) == Agency.Status.PARTICIPATING
    breach.refresh_from_db()
    assert breach.resolved_at and breach.resolution == "Encryption installed"


def test_a10_a_further_breach_on_probation_can_suspend_the_agency(tenancy, signed_in):
    for _ in range(2):
        oversight.report_breach(actor=tenancy.director_a, agency=tenancy.agency_a,
                                discovered_at=timezone.now() - timedelta(hours=1), description="x")
    further = Breach.objects.latest("pk")
    assert further.further_breach
    signed_in(tenancy.admin).post(reverse("oversight:breach", args=[further.pk]), {"action": "suspend"})
    assert status_of(tenancy.agency_a) == Agency.Status.SUSPENDED
    assert not License.objects.get(user=tenancy.worker_a).is_active


def test_a10_a_first_breach_does_not_allow_suspension_and_future_dates_are_refused(tenancy):
    oversight.report_breach(actor=tenancy.director_a, agency=tenancy.agency_a,
                            discovered_at=timezone.now() - timedelta(hours=1), description="x")
    with pytest.raises(Exception, match="further breach"):
        oversight.suspend_for_breach(actor=tenancy.admin, agency=tenancy.agency_a)
    with pytest.raises(Exception, match="future"):
        oversight.report_breach(actor=tenancy.director_a, agency=tenancy.agency_a,
                                discovered_at=timezone.now() + timedelta(hours=1), description="x")
    with pytest.raises(Exception, match="Only the agency's"):
        oversight.report_breach(actor=tenancy.worker_a, agency=tenancy.agency_a,
                                discovered_at=timezone.now(), description="x")


def test_a11_visits_need_two_weeks_notice(tenancy, signed_in):
    admin = signed_in(tenancy.admin)
    with time_machine.travel(noon(MONDAY)):
        admin = signed_in(tenancy.admin)
        response = admin.post(reverse("oversight:monitoring"), {"agency": tenancy.agency_a.pk, "visit_on": "2026-11-13"})
        assert b"at least 2 weeks&#x27; notice: the earliest visit date is 11/16/2026" in response.content
        assert b'value="2026-11-13"' in response.content  # what was typed is kept
        admin.post(reverse("oversight:monitoring"), {"agency": tenancy.agency_a.pk, "visit_on": "2026-11-16"})
    visit = MonitoringVisit.objects.get()
    assert visit.fiscal_year == 2027
    # 10 business days after the visit, Thanksgiving (11/26) skipped
    assert visit.letter_due_on == date(2026, 12, 1)
    assert Notification.objects.filter(recipient=tenancy.director_a, subject__startswith="HMIS monitoring visit").exists()


def test_a11_agencies_without_a_visit_this_fiscal_year_are_listed(tenancy):
    tenancy.agency_a.status = Agency.Status.PARTICIPATING
    tenancy.agency_a.save()
    assert tenancy.agency_a in oversight.agencies_due_monitoring()
    MonitoringVisit.objects.create(agency=tenancy.agency_a, fiscal_year=2027, visit_on=date(2026, 12, 1),
                                   noticed_on=date(2026, 11, 1), scheduled_by=tenancy.admin)
    assert tenancy.agency_a not in oversight.agencies_due_monitoring(date(2026, 11, 21))


def _visit_with_findings(t, *, projects=()):
    visit = MonitoringVisit.objects.create(agency=t.agency_a, fiscal_year=2027, visit_on=MONDAY,
                                           noticed_on=MONDAY - timedelta(days=20), scheduled_by=t.admin,
                                           letter_due_on=date(2026, 11, 17))
    oversight.add_finding(actor=t.admin, visit=visit, description="Privacy notice posted", compliant=True)
    oversight.add_finding(actor=t.admin, visit=visit, description="Consent forms missing", compliant=False,
                          corrective_action="Scan the signed ROIs", projects=projects)
    return visit


def test_a11_compliance_letter_goes_to_the_named_recipients_and_opens_a_30_day_cure(tenancy, signed_in):
    LicenseFactory(user=UserFactory(username="rep_a", first_name="Rene", last_name="Rep"), agency=tenancy.agency_a,
                   role=License.Role.AUTHORIZED_REPRESENTATIVE)
    ProjectFunder.objects.create(project=tenancy.shelter_a, funder=8, start_date=date(2025, 1, 1))   # ESG mandates HMIS
    ProjectFunder.objects.create(project=tenancy.shelter_a, funder=46, other_funder="City", start_date=date(2025, 1, 1))
    visit = _visit_with_findings(tenancy)
    with time_machine.travel(noon(date(2026, 11, 10))):
        admin = signed_in(tenancy.admin)
        admin.post(reverse("oversight:visit", args=[visit.pk]), {"action": "letter"})
    visit.refresh_from_db()
    assert visit.letter_sent_on == date(2026, 11, 10) and visit.cure_due_on == date(2026, 12, 10)
    text = pdf_text(signed_in(tenancy.director_a).get(reverse("oversight:visit_letter", args=[visit.pk])))
    assert "Agency Director: " + tenancy.director_a.display_name in text
    assert "Authorized Representatives: Rene Rep" in text
    assert "HUD: ESG – Emergency Shelter" in text and "Local or Other" not in text
    assert "HMIS Advisory Committee" in text
    assert "Consent forms missing" in text and "12/10/2026" in text
    # another agency cannot read it
    assert signed_in(tenancy.worker_b).get(reverse("oversight:visit_letter", args=[visit.pk])).status_code == 404


def test_a11_an_uncured_agency_wide_finding_closes_access_and_a_cure_reopens_it(tenancy):
    visit = _visit_with_findings(tenancy)
    oversight.send_letter(actor=tenancy.admin, visit=visit)
    visit.refresh_from_db()
    oversight.run_oversight(visit.cure_due_on)
    assert status_of(tenancy.agency_a) != Agency.Status.SUSPENDED  # the last day of the cure period
    oversight.run_oversight(visit.cure_due_on + timedelta(days=1))
    assert status_of(tenancy.agency_a) == Agency.Status.SUSPENDED
    visit.refresh_from_db()
    oversight.record_cure(actor=tenancy.admin, visit=visit)
    assert status_of(tenancy.agency_a) == Agency.Status.PARTICIPATING


def test_a11_a_finding_on_named_projects_closes_only_those(tenancy):
    visit = _visit_with_findings(tenancy, projects=[tenancy.shelter_a])
    oversight.send_letter(actor=tenancy.admin, visit=visit)
    visit.refresh_from_db()
    oversight.run_oversight(visit.cure_due_on + timedelta(days=1))
    assert status_of(tenancy.agency_a) != Agency.Status.SUSPENDED
    director_license = License.objects.get(user=tenancy.director_a)
    assert list(projects_for_data_entry(director_license)) == [tenancy.outreach_a]


def test_a11_findings_wait_for_the_visit_and_non_compliance_needs_an_action(tenancy):
    visit = MonitoringVisit.objects.create(agency=tenancy.agency_a, fiscal_year=2027, visit_on=date.today() + timedelta(days=20),
                                           noticed_on=date.today(), scheduled_by=tenancy.admin)
    with pytest.raises(Exception, match="after the visit"):
        oversight.add_finding(actor=tenancy.admin, visit=visit, description="x", compliant=True)
    visit.visit_on = date.today()
    visit.save()
    with pytest.raises(Exception, match="what the agency must do"):
        oversight.add_finding(actor=tenancy.admin, visit=visit, description="x", compliant=False)


def test_a12_missed_cleanup_deadline_gives_a_letter_then_30_days_then_escalation(tenancy, signed_in):
    with time_machine.travel(noon(MONDAY)):
        admin = signed_in(tenancy.admin)
        admin.post(reverse("oversight:cleanups"), {"agency": tenancy.agency_a.pk, "description": "Exit 40 stale stays",
                                                   "deadline": "2026-11-20"})
    notice = CleanupNotice.objects.get()
    oversight.run_oversight(date(2026, 11, 20))
    notice.refresh_from_db()
    assert notice.noncompliance_letter_on is None
    oversight.run_oversight(date(2026, 11, 21))
    notice.refresh_from_db()
    assert notice.noncompliance_letter_on == date(2026, 11, 21) and notice.escalation_due_on == date(2026, 12, 21)
    text = pdf_text(signed_in(tenancy.director_a).get(reverse("oversight:cleanup_letter", args=[notice.pk])))
    assert "letter of non-compliance" in text and "12/21/2026" in text and "Exit 40 stale stays" in text
    oversight.run_oversight(date(2026, 12, 22))
    notice.refresh_from_db()
    assert notice.escalated_on == date(2026, 12, 22)
    assert Notification.objects.filter(recipient=tenancy.admin, subject__startswith="Tell funders").exists()
    assert b"Exit 40 stale stays" in signed_in(tenancy.admin).get(reverse("oversight:committee")).content
    # running the job again tells no one twice
    assert oversight.run_oversight(date(2026, 12, 23)) == {"closed": 0, "letters": 0, "escalated": 0}


def test_a12_a_completed_cleanup_is_not_escalated(tenancy):
    with time_machine.travel(noon(MONDAY)):
        notice = oversight.issue_cleanup(actor=tenancy.admin, agency=tenancy.agency_a, description="x",
                                         deadline=date(2026, 11, 20))
        oversight.complete_cleanup(actor=tenancy.admin, notice=notice)
    assert oversight.run_oversight(date(2026, 12, 30))["letters"] == 0


def test_lead_compliance_pages_open(tenancy, signed_in):
    admin = signed_in(tenancy.admin)
    for name in ["hub", "violations", "investigations", "breaches", "monitoring", "cleanups", "committee",
                 "data_requests", "retention"]:
        assert admin.get(reverse(f"oversight:{name}")).status_code == 200, name
    assert signed_in(tenancy.worker_a).get(reverse("oversight:agency_compliance")).status_code == 404
    assert signed_in(tenancy.director_a).get(reverse("oversight:agency_compliance")).status_code == 200
