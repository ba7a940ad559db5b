"""The HMIS Lead's oversight of agencies: breaches (A10), yearly monitoring with its
compliance letter and cure period (A11), data clean-up notices (A12) and the advisory
committee's agenda (S1, A11, A12)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agencies.hud_lists import FundingSource
from agencies.models import Agency, License, Project, ProjectFunder
from agencies.selectors import agency_managers
from hmis import dates
from hmis.errors import PolicyError
from hmis.notify import hmis_lead_admins, notify

from .models import Breach, CleanupNotice, Investigation, MonitoringFinding, MonitoringVisit, Violation
from .sanctions import _require_agency_manager, _require_lead

# Funders that do not mandate HMIS participation (A11 letters go to those that do).
NON_MANDATING_FUNDERS = {FundingSource.NOT_APPLICABLE, FundingSource.LOCAL_OTHER}


# --- A10: breaches -----------------------------------------------------------------


@transaction.atomic
def report_breach(*, actor, agency: Agency, discovered_at, description: str, clients_affected=None) -> Breach:
    """A10: reported within 24 hours of knowing; the agency goes on probation. A further
    breach while on probation lets the HMIS Lead suspend the agency."""
    if not actor.is_system_admin:
        _require_agency_manager(actor, agency, "A10")
    agency.refresh_from_db(fields=["status"])
    now = timezone.now()
    if discovered_at > now:
        raise PolicyError("The breach cannot be discovered in the future.", rule="A10", field="discovered_at")
    if agency.status == Agency.Status.TERMINATED:
        raise PolicyError("The agency no longer participates.", rule="A10")
    further = agency.status == Agency.Status.PROBATION
    breach = Breach.objects.create(
        agency=agency, discovered_at=discovered_at, description=description, clients_affected=clients_affected,
        reported_by=actor, reported_late=now - discovered_at > timedelta(hours=Breach.REPORT_WITHIN_HOURS),
        further_breach=further)
    if agency.status in (Agency.Status.PARTICIPATING, Agency.Status.ONBOARDING):
        Agency.objects.filter(pk=agency.pk).update(status=Agency.Status.PROBATION)
        agency.status = Agency.Status.PROBATION
    subject = f"{'Further breach' if further else 'Data breach'} reported by {agency.name}"
    body = ("The agency was already on probation: the HMIS Lead may suspend it." if further
            else "The agency is on probation until the HMIS Lead finds it compliant.")
    if breach.reported_late:
        body += " The report came more than 24 hours after the agency knew."
    notify([*hmis_lead_admins(), *agency_managers(agency)], subject=subject, body=body,
           link=f"/compliance/breaches/{breach.pk}/", dedupe_key=f"breach:{breach.pk}")
    return breach


@transaction.atomic
def find_compliant(*, actor, agency: Agency, note: str) -> int:
    """A10: probation (or a breach suspension) ends when the HMIS Lead finds the agency compliant."""
    _require_lead(actor, "A10")
    if not note.strip():
        raise PolicyError("Say how the agency showed it is compliant.", rule="A10", field="note")
    resolved = Breach.objects.filter(agency=agency, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=note)
    if agency.status in (Agency.Status.PROBATION, Agency.Status.SUSPENDED):
        Agency.objects.filter(pk=agency.pk).update(status=Agency.Status.PARTICIPATING)
    notify(agency_managers(agency), subject=f"{agency.name} is found compliant", body="Probation has ended.",
           link="/compliance/agency/", dedupe_key=f"breach-compliant:{agency.pk}:{timezone.now():%Y%m%d%H%M%S}")
    return resolved


@transaction.atomic
def suspend_for_breach(*, actor, agency: Agency) -> Agency:
    _require_lead(actor, "A10")
    if not Breach.objects.filter(agency=agency, resolved_at__isnull=True, further_breach=True).exists():
        raise PolicyError("An agency is suspended only for a further breach while on probation.", rule="A10")
    Agency.objects.filter(pk=agency.pk).update(status=Agency.Status.SUSPENDED)
    notify(agency_managers(agency), subject=f"{agency.name} is suspended from the HMIS",
           body="A further data breach during probation (A10).", dedupe_key=f"breach-suspended:{agency.pk}")
    agency.refresh_from_db()
    return agency


# --- A11: monitoring ---------------------------------------------------------------


@transaction.atomic
def schedule_visit(*, actor, agency: Agency, visit_on, noticed_on=None) -> MonitoringVisit:
    _require_lead(actor, "A11")
    noticed_on = noticed_on or dates.today()
    if noticed_on > dates.today():
        raise PolicyError("The notice date cannot be in the future.", rule="A11", field="noticed_on")
    if (visit_on - noticed_on).days < MonitoringVisit.NOTICE_DAYS:
        earliest = noticed_on + timedelta(days=MonitoringVisit.NOTICE_DAYS)
        raise PolicyError(f"Agencies get at least 2 weeks' notice: the earliest visit date is {earliest:%m/%d/%Y}.",
                          rule="A11", field="visit_on")
    visit = MonitoringVisit.objects.create(
        agency=agency, visit_on=visit_on, noticed_on=noticed_on, fiscal_year=dates.fiscal_year_of(visit_on),
        scheduled_by=actor, letter_due_on=dates.add_business_days(visit_on, MonitoringVisit.LETTER_BUSINESS_DAYS))
    notify(letter_people(agency), subject=f"HMIS monitoring visit on {visit_on:%m/%d/%Y}",
           body="The HMIS Lead will review the agency's HMIS practice (A11).", link="/compliance/agency/",
           dedupe_key=f"monitoring-notice:{visit.pk}")
    return visit


@transaction.atomic
def add_finding(*, actor, visit: MonitoringVisit, description: str, compliant: bool, corrective_action: str = "",
                projects=()) -> MonitoringFinding:
    _require_lead(actor, "A11")
    if visit.visit_on > dates.today():
        raise PolicyError("Findings are recorded after the visit.", rule="A11")
    if visit.letter_sent_on:
        raise PolicyError("The compliance letter was already sent.", rule="A11")
    if not compliant and not corrective_action.strip():
        raise PolicyError("Say what the agency must do to cure a non-compliant finding.", rule="A11",
                          field="corrective_action")
    if any(p.agency_id != visit.agency_id for p in projects):
        raise PolicyError("Choose projects of the monitored agency.", rule="A11", field="projects")
    finding = MonitoringFinding.objects.create(visit=visit, description=description, compliant=compliant,
                                               corrective_action=corrective_action)
    finding.projects.set(projects)
    return finding


def letter_people(agency: Agency):
    """The agency's people a compliance letter is addressed to (A11)."""
    roles = (License.Role.EXECUTIVE_DIRECTOR, License.Role.AUTHORIZED_REPRESENTATIVE, License.Role.DESIGNATED_CONTACT)
    return agency_managers(agency, roles=roles)


def letter_recipients(agency: Agency) -> list[tuple[str, list[str]]]:
    """A11: the director, authorized representatives, designated contacts, funders that
    mandate HMIS participation and the advisory committee."""
    by_role = {role: [] for role in (License.Role.EXECUTIVE_DIRECTOR, License.Role.AUTHORIZED_REPRESENTATIVE,
                                     License.Role.DESIGNATED_CONTACT)}
    for lic in License.objects.filter(agency=agency, status=License.Status.ACTIVE, role__in=list(by_role)).select_related("user"):
        by_role[lic.role].append(lic.user.display_name)
    funders = sorted({FundingSource(f).label for f in ProjectFunder.objects.filter(project__agency=agency)
                      .exclude(funder__in=NON_MANDATING_FUNDERS).values_list("funder", flat=True)})
    return [
        ("Agency Director", by_role[License.Role.EXECUTIVE_DIRECTOR]),
        ("Authorized Representatives", by_role[License.Role.AUTHORIZED_REPRESENTATIVE]),
        ("Designated Contacts", by_role[License.Role.DESIGNATED_CONTACT]),
        ("Funders that mandate HMIS participation", funders),
        ("HMIS Advisory Committee", ["HMIS Advisory Committee"]),
    ]


@transaction.atomic
def send_letter(*, actor, visit: MonitoringVisit) -> MonitoringVisit:
    """A11: the compliance letter, due 10 business days after the visit; a non-compliant
    finding opens 30 days to cure."""
    _require_lead(actor, "A11")
    if visit.letter_sent_on:
        raise PolicyError("The letter was already sent.", rule="A11")
    if not visit.findings.exists():
        raise PolicyError("Record the visit's findings before sending the letter.", rule="A11")
    today = dates.today()
    visit.findings_recorded_at = visit.findings_recorded_at or timezone.now()
    visit.letter_sent_on, visit.letter_sent_by = today, actor
    if visit.compliant is False:
        visit.cure_due_on = today + timedelta(days=MonitoringVisit.CURE_DAYS)
    visit.save()
    body = (f"Findings need to be cured by {visit.cure_due_on:%m/%d/%Y}, or access is closed." if visit.cure_due_on
            else "The agency was found compliant.")
    notify(letter_people(visit.agency), subject=f"HMIS compliance letter for {visit.agency.name}", body=body,
           link=f"/compliance/monitoring/{visit.pk}/letter.pdf", dedupe_key=f"monitoring-letter:{visit.pk}")
    return visit


@transaction.atomic
def record_cure(*, actor, visit: MonitoringVisit) -> MonitoringVisit:
    """The HMIS Lead confirms the findings were cured; access closed for them reopens."""
    _require_lead(actor, "A11")
    if not visit.cure_due_on or visit.cured_on:
        raise PolicyError("Nothing is waiting to be cured.", rule="A11")
    visit.cured_on = dates.today()
    visit.save(update_fields=["cured_on"])
    if visit.access_closed_on:
        _reopen_access(visit)
    return visit


def _closing_scope(visit: MonitoringVisit):
    """Non-compliant findings name projects, or none (agency-wide)."""
    failing = [f for f in visit.findings.prefetch_related("projects") if not f.compliant]
    agency_wide = any(not f.projects.all() for f in failing)
    projects = {p.pk for f in failing for p in f.projects.all()}
    return agency_wide, projects


def _close_access(visit: MonitoringVisit, day) -> None:
    agency_wide, projects = _closing_scope(visit)
    if agency_wide:
        Agency.objects.filter(pk=visit.agency_id).update(status=Agency.Status.SUSPENDED)
    else:
        Project.objects.filter(pk__in=projects).update(access_closed_on=day)
    MonitoringVisit.objects.filter(pk=visit.pk).update(access_closed_on=day)
    notify([*letter_people(visit.agency), *hmis_lead_admins()],
           subject=f"HMIS access closed for {visit.agency.name}" + ("" if agency_wide else " (named projects)"),
           body="The 30-day cure period of the monitoring findings lapsed (A11).",
           dedupe_key=f"monitoring-closed:{visit.pk}")


def _reopen_access(visit: MonitoringVisit) -> None:
    agency_wide, projects = _closing_scope(visit)
    if agency_wide:
        Agency.objects.filter(pk=visit.agency_id, status=Agency.Status.SUSPENDED).update(status=Agency.Status.PARTICIPATING)
    Project.objects.filter(pk__in=projects).update(access_closed_on=None)


def agencies_due_monitoring(day=None):
    """A11: participating agencies without a visit in the current HUD fiscal year."""
    day = day or dates.today()
    visited = MonitoringVisit.objects.filter(fiscal_year=dates.fiscal_year_of(day)).values("agency")
    return Agency.objects.filter(status__in=[Agency.Status.PARTICIPATING, Agency.Status.PROBATION]).exclude(pk__in=visited)


# --- A12: clean-up notices ------------------------------------------------------------


@transaction.atomic
def issue_cleanup(*, actor, agency: Agency, description: str, deadline, project=None) -> CleanupNotice:
    _require_lead(actor, "A12")
    if deadline <= dates.today():
        raise PolicyError("The deadline must be after today.", rule="A12", field="deadline")
    if project and project.agency_id != agency.pk:
        raise PolicyError("Choose a project of this agency.", rule="A12", field="project")
    notice = CleanupNotice.objects.create(agency=agency, project=project, description=description,
                                          issued_on=dates.today(), deadline=deadline, issued_by=actor)
    notify(letter_people(agency), subject=f"Data clean-up needed by {deadline:%m/%d/%Y}",
           body="The HMIS Lead issued a data clean-up notice (A12).", link="/compliance/agency/",
           dedupe_key=f"cleanup:{notice.pk}")
    return notice


@transaction.atomic
def complete_cleanup(*, actor, notice: CleanupNotice) -> CleanupNotice:
    _require_lead(actor, "A12")
    if notice.completed_on:
        raise PolicyError("Already complete.", rule="A12")
    notice.completed_on = dates.today()
    notice.save(update_fields=["completed_on"])
    return notice


# --- Daily job ------------------------------------------------------------------------


def run_oversight(day=None) -> dict:
    """Daily and safe to run twice: close access when a cure period lapses (A11); a
    missed clean-up deadline produces the non-compliance letter, and 30 days later the
    funders and committee are told (A12)."""
    day = day or dates.today()
    closed = letters = escalated = 0
    lapsed = MonitoringVisit.objects.filter(cure_due_on__lt=day, cured_on__isnull=True, access_closed_on__isnull=True)
    for visit in lapsed.select_related("agency"):
        with transaction.atomic():
            _close_access(visit, day)
        closed += 1
    for notice in CleanupNotice.objects.filter(deadline__lt=day, completed_on__isnull=True,
                                               noncompliance_letter_on__isnull=True).select_related("agency"):
        CleanupNotice.objects.filter(pk=notice.pk).update(
            noncompliance_letter_on=day, escalation_due_on=day + timedelta(days=CleanupNotice.ESCALATION_DAYS))
        notify(letter_people(notice.agency), subject=f"Letter of non-compliance: data clean-up for {notice.agency.name}",
               body=f"The clean-up deadline passed. Complete it within {CleanupNotice.ESCALATION_DAYS} days before funders and the advisory committee are told.",
               link=f"/compliance/cleanup/{notice.pk}/letter.pdf", dedupe_key=f"cleanup-letter:{notice.pk}")
        letters += 1
    for notice in CleanupNotice.objects.filter(escalation_due_on__lt=day, completed_on__isnull=True,
                                               escalated_on__isnull=True).select_related("agency"):
        CleanupNotice.objects.filter(pk=notice.pk).update(escalated_on=day)
        notify(hmis_lead_admins(), subject=f"Tell funders and the advisory committee: clean-up at {notice.agency.name}",
               body="The 30 days after the non-compliance letter lapsed (A12). It is on the committee's agenda.",
               link="/compliance/committee/", dedupe_key=f"cleanup-escalated:{notice.pk}")
        escalated += 1
    return {"closed": closed, "letters": letters, "escalated": escalated}


# --- The advisory committee's agenda ----------------------------------------------------


def committee_agenda() -> dict:
    """What the advisory committee has not been told yet."""
    return {
        "violations": Violation.objects.filter(committee_told_on__isnull=True).select_related("user", "agency"),
        "investigations": Investigation.objects.filter(committee_told_on__isnull=True,
                                                       status=Investigation.Status.CLOSED).select_related("user", "agency"),
        "breaches": Breach.objects.filter(committee_told_on__isnull=True).select_related("agency"),
        "letters": MonitoringVisit.objects.filter(committee_told_on__isnull=True, letter_sent_on__isnull=False)
        .select_related("agency"),
        "cleanups": CleanupNotice.objects.filter(committee_told_on__isnull=True, escalated_on__isnull=False)
        .select_related("agency"),
    }


@transaction.atomic
def mark_committee_told(*, actor, meeting_on) -> int:
    _require_lead(actor, "S1")
    if meeting_on > dates.today():
        raise PolicyError("Record a meeting that has taken place.", rule="S1", field="meeting_on")
    return sum(items.update(committee_told_on=meeting_on) for items in committee_agenda().values())


# --- Letters ----------------------------------------------------------------------------


def monitoring_letter(visit: MonitoringVisit, request=None) -> tuple[bytes, str]:
    """A11: the compliance letter, addressed to the recipients the rule names."""
    from agencies.models import HmisLead
    from hmis.pdf import render_pdf

    paragraphs = [f"On {visit.visit_on:%m/%d/%Y} the HMIS Lead reviewed the HMIS practice of {visit.agency.name} "
                  f"for HUD fiscal year {visit.fiscal_year}. These are the findings."]
    if visit.cure_due_on:
        paragraphs.append(f"The agency is not compliant with the findings marked below. It has 30 days, until "
                          f"{visit.cure_due_on:%m/%d/%Y}, to cure them. If they are not cured by then, HMIS access "
                          "is closed for the agency, or for the projects named in the findings.")
    else:
        paragraphs.append("The agency is compliant. Thank you.")
    context = {"subject": f"HMIS compliance letter: {visit.agency.name}", "date": visit.letter_sent_on or dates.today(),
               "lead": HmisLead.objects.first(), "recipients": letter_recipients(visit.agency),
               "paragraphs": paragraphs, "findings": visit.findings.prefetch_related("projects")}
    return render_pdf("compliance/letter_pdf.html", context, request), f"compliance-letter-{visit.pk}.pdf"


def cleanup_letter(notice: CleanupNotice, request=None) -> tuple[bytes, str]:
    """A12: the letter of non-compliance after a missed clean-up deadline."""
    from agencies.models import HmisLead
    from hmis.pdf import render_pdf

    scope = f" for {notice.project.name}" if notice.project else ""
    paragraphs = [
        f"On {notice.issued_on:%m/%d/%Y} the HMIS Lead asked {notice.agency.name} to complete a data clean-up{scope} "
        f"by {notice.deadline:%m/%d/%Y}: {notice.description}",
        "The clean-up was not completed by the deadline. This is a letter of non-compliance.",
        f"The agency has 30 days, until {notice.escalation_due_on:%m/%d/%Y}, to complete it before the project "
        "funders and the HMIS Advisory Committee are told.",
    ]
    context = {"subject": f"Letter of non-compliance: {notice.agency.name}", "date": notice.noncompliance_letter_on,
               "lead": HmisLead.objects.first(), "recipients": letter_recipients(notice.agency),
               "paragraphs": paragraphs, "findings": None}
    return render_pdf("compliance/letter_pdf.html", context, request), f"noncompliance-letter-{notice.pk}.pdf"
