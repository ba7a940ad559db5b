"""Violations and sanctions (S1), access revoked pending review (S2) and improper
access investigations (S3).

A person under sanction has every license suspended with SANCTION_REASON: the history
counts across agencies, so the sanction follows the person. Suspensions are lifted by
the software (``evaluate`` and the daily ``run_sanctions``) only when no violation or
investigation of the person is still open.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef
from django.utils import timezone

from agencies.models import License
from agencies.selectors import agency_managers
from hmis import dates
from hmis.errors import PolicyError
from hmis.notify import hmis_lead_admins, notify

from .models import AffectedClient, Investigation, Violation

SANCTION_REASON = "Suspended under the HMIS sanctions policy (S1-S3)"
SUSPENSION_DAYS = 30
THIRD_TIER = 3


def _require_lead(actor, rule: str) -> None:
    if not actor.is_system_admin:
        raise PolicyError("Only the HMIS Lead can do this.", rule=rule)


def _require_agency_manager(actor, agency, rule: str) -> None:
    from agencies.services import AGENCY_MANAGERS, _require_agency_role

    _require_agency_role(actor, agency, AGENCY_MANAGERS, rule)


def suspend_person(user) -> int:
    """Suspend every usable license of the person. A recertification suspension is
    taken over so that finishing training does not lift a sanction."""
    return License.objects.filter(user=user, status__in=[License.Status.ACTIVE, License.Status.SUSPENDED]).update(
        status=License.Status.SUSPENDED, status_reason=SANCTION_REASON)


def person_under_sanction(user) -> bool:
    return (Violation.objects.filter(user=user, lifted_at__isnull=True).exists()
            or Investigation.objects.filter(user=user).exclude(status=Investigation.Status.CLOSED).exists())


def lift_if_clear(user) -> int:
    """Restore the licenses a sanction suspended, once nothing about the person is open.
    (Training and the agency's agreement are still checked by License.is_active.)"""
    if person_under_sanction(user):
        return 0
    return License.objects.filter(user=user, status=License.Status.SUSPENDED, status_reason=SANCTION_REASON).update(
        status=License.Status.ACTIVE, status_reason="")


def tier_for(user, *, is_law_violation: bool) -> int:
    """S1: the tier counts the person's whole history across agencies; violations never
    expire. A violation of law is handled as a third violation at once."""
    tier = Violation.objects.filter(user=user).count() + 1
    return max(tier, THIRD_TIER) if is_law_violation else tier


def _tell(violation: Violation, subject: str, body: str) -> None:
    link = "/compliance/agency/"
    notify([violation.user, *agency_managers(violation.agency)], subject=subject, body=body, link=link,
           dedupe_key=f"violation:{violation.pk}:{subject}")


@transaction.atomic
def record_violation(*, actor, user, agency, occurred_on, description: str, is_law_violation: bool = False) -> Violation:
    _require_lead(actor, "S1")
    if occurred_on > dates.today():
        raise PolicyError("A violation cannot have happened in the future.", rule="S1", field="occurred_on")
    if not License.objects.filter(user=user, agency=agency).exists():
        raise PolicyError("This person holds no license at that agency.", rule="S1", field="agency")
    today = dates.today()
    tier = tier_for(user, is_law_violation=is_law_violation)
    violation = Violation.objects.create(
        user=user, agency=agency, occurred_on=occurred_on, description=description, is_law_violation=is_law_violation,
        tier=tier, recorded_by=actor, suspended_on=today,
        minimum_until=today + timedelta(days=SUSPENSION_DAYS) if tier >= 2 else None)
    suspend_person(user)
    what = {
        1: "The license is suspended until the agency reports how it remedied the violation.",
        2: f"The license is suspended for {SUSPENSION_DAYS} days, not shortened by the remedy, and after that until the agency reports the remedy.",
    }.get(tier, f"The license is suspended for at least {SUSPENSION_DAYS} days or until the review panel decides, whichever is later.")
    _tell(violation, f"{violation.tier_label} violation recorded for {user.username}", what)
    if tier >= THIRD_TIER:
        notify(hmis_lead_admins(), subject=f"Convene a review panel for {user.username}",
               body="A 3rd (or law) violation: the panel decides whether the license ends.",
               link=f"/compliance/violations/{violation.pk}/", dedupe_key=f"violation-panel:{violation.pk}")
    return violation


@transaction.atomic
def report_remedy(*, actor, violation: Violation, remedy: str) -> Violation:
    """The agency tells the HMIS Lead what it did; tier 1 is lifted at once, tier 2 once
    the 30 days have also passed."""
    _require_agency_manager(actor, violation.agency, "S1")
    if not remedy.strip():
        raise PolicyError("Say what the agency did to remedy the violation.", rule="S1", field="remedy")
    if violation.remedy_reported_at:
        raise PolicyError("The remedy was already reported.", rule="S1")
    violation.remedy, violation.remedy_reported_at = remedy.strip(), timezone.now()
    violation.save(update_fields=["remedy", "remedy_reported_at"])
    evaluate(violation)
    return violation


@transaction.atomic
def record_training(*, actor, violation: Violation, given_on) -> Violation:
    _require_lead(actor, "S1")
    violation.training_given_on = given_on
    violation.save(update_fields=["training_given_on"])
    return violation


@transaction.atomic
def panel_decide(*, actor, violation: Violation, decision: str, note: str = "") -> Violation:
    """S1, 3rd tier: the review panel ends or keeps the license."""
    _require_lead(actor, "S1")
    if violation.tier < THIRD_TIER:
        raise PolicyError("Only a 3rd or later violation goes to the review panel.", rule="S1")
    if decision not in Violation.PanelDecision.values:
        raise PolicyError("Choose what the panel decided.", rule="S1", field="decision")
    violation.panel_decision, violation.panel_decided_on, violation.panel_note = decision, dates.today(), note
    violation.save(update_fields=["panel_decision", "panel_decided_on", "panel_note"])
    if decision == Violation.PanelDecision.END:
        end_license(actor=actor, user=violation.user, agency=violation.agency, reason="Ended by the review panel (S1)")
        violation.lifted_at = timezone.now()
        violation.save(update_fields=["lifted_at"])
        lift_if_clear(violation.user)
    else:
        evaluate(violation)
    return violation


def end_license(*, actor, user, agency, reason: str) -> None:
    License.objects.filter(user=user, agency=agency).exclude(status=License.Status.REVOKED).update(
        status=License.Status.REVOKED, status_reason=reason, revoked_at=timezone.now(), revoked_by=actor,
        left_on=dates.today())


def may_lift(violation: Violation, day) -> bool:
    """S1: when the suspension of one violation may end."""
    if violation.tier == 1:
        return violation.remedy_reported_at is not None
    minimum_served = day >= violation.minimum_until
    if violation.tier == 2:
        return minimum_served and violation.remedy_reported_at is not None
    return minimum_served and violation.panel_decision == Violation.PanelDecision.KEEP


def evaluate(violation: Violation, day=None) -> bool:
    day = day or dates.today()
    if violation.lifted_at or not may_lift(violation, day):
        return False
    violation.lifted_at = timezone.now()
    violation.save(update_fields=["lifted_at"])
    if lift_if_clear(violation.user):
        _tell(violation, f"Suspension of {violation.user.username} lifted", "The license is usable again.")
    return True


def people_under_sanction():
    """Everyone with a violation not yet lifted or an investigation not closed."""
    from hmis.models import User

    return User.objects.filter(
        Exists(Violation.objects.filter(user=OuterRef("pk"), lifted_at__isnull=True))
        | Exists(Investigation.objects.filter(user=OuterRef("pk")).exclude(status=Investigation.Status.CLOSED)))


def reapply_sanctions() -> int:
    """S1: a license of a person under an unexpired sanction that is active again (by
    whatever path) is suspended again. Returns how many people it found so."""
    people = people_under_sanction().filter(licenses__status=License.Status.ACTIVE).distinct()
    count = 0
    for person in people:
        with transaction.atomic():
            suspend_person(person)
            count += 1
    return count


def run_sanctions(day=None) -> int:
    """Daily: lift the suspensions whose conditions are met (30 days served, remedy or
    panel), then suspend again any license that is active under an unexpired sanction."""
    day = day or dates.today()
    lifted = 0
    for violation in Violation.objects.filter(lifted_at__isnull=True).select_related("user", "agency"):
        with transaction.atomic():
            lifted += evaluate(violation, day)
    reapply_sanctions()
    return lifted


# --- S2, S3: investigations -------------------------------------------------------


def affected_clients_from_log(user, start, end):
    """S3: the clients whose records the person read, printed, exported or changed in
    the period, from the access and change logs (entries carry the HMIS Client ID)."""
    from hmis.models import AuditEntry

    entries = AuditEntry.objects.filter(actor=user).exclude(client_ref="")
    if start:
        entries = entries.filter(timestamp__date__gte=start)
    if end:
        entries = entries.filter(timestamp__date__lte=end)
    return entries.values("client_ref").annotate(n=Count("id"), first=Min("timestamp"), last=Max("timestamp"))


@transaction.atomic
def open_investigation(*, actor, user, agency, kind: str, concern: str, access_from=None, access_to=None) -> Investigation:
    """S2/S3: access is taken away at once, pending review."""
    from clients.models import Client

    _require_lead(actor, "S3")
    if access_from and access_to and access_from > access_to:
        raise PolicyError("The period ends before it starts.", rule="S3", field="access_to")
    if not License.objects.filter(user=user, agency=agency).exists():
        raise PolicyError("This person holds no license at that agency.", rule="S3", field="agency")
    investigation = Investigation.objects.create(user=user, agency=agency, kind=kind, concern=concern,
                                                 access_from=access_from, access_to=access_to, opened_by=actor)
    suspend_person(user)
    if kind == Investigation.Kind.IMPROPER_ACCESS:
        rows = list(affected_clients_from_log(user, access_from, access_to))
        clients = Client.objects.in_bulk([r["client_ref"] for r in rows], field_name="client_id")
        AffectedClient.objects.bulk_create([
            AffectedClient(investigation=investigation, client=clients[r["client_ref"]], accesses=r["n"],
                           first_access_at=r["first"], last_access_at=r["last"])
            for r in rows if r["client_ref"] in clients])
    notify([user, *agency_managers(agency)], subject=f"{user.username} is suspended pending investigation",
           body="The agency may submit a plan to keep the person (S3).", link="/compliance/agency/",
           dedupe_key=f"investigation:{investigation.pk}")
    return investigation


@transaction.atomic
def submit_plan(*, actor, investigation: Investigation, plan: str) -> Investigation:
    _require_agency_manager(actor, investigation.agency, "S3")
    if investigation.status != Investigation.Status.OPEN:
        raise PolicyError("A plan can be submitted only while the investigation is open.", rule="S3")
    if not plan.strip():
        raise PolicyError("Describe the plan.", rule="S3", field="plan")
    investigation.agency_plan, investigation.plan_submitted_by = plan.strip(), actor
    investigation.plan_submitted_at, investigation.status = timezone.now(), Investigation.Status.PLAN
    investigation.save()
    notify(hmis_lead_admins(), subject=f"Plan submitted for {investigation.user.username}",
           link=f"/compliance/investigations/{investigation.pk}/", dedupe_key=f"investigation-plan:{investigation.pk}")
    return investigation


def _close(investigation: Investigation, *, actor, keep: bool) -> None:
    investigation.outcome = Investigation.Outcome.REINSTATED if keep else Investigation.Outcome.ENDED
    investigation.status, investigation.closed_at = Investigation.Status.CLOSED, timezone.now()
    investigation.save()
    if not keep:
        end_license(actor=actor, user=investigation.user, agency=investigation.agency,
                    reason="Ended after an investigation (S2/S3)")
    lift_if_clear(investigation.user)


@transaction.atomic
def lead_decide(*, actor, investigation: Investigation, decision: str, note: str = "") -> Investigation:
    """decision: "keep" (reinstate), "end" (license ended) or "disagree" (the plan goes to
    the governance committee)."""
    _require_lead(actor, "S3")
    if investigation.status not in (Investigation.Status.OPEN, Investigation.Status.PLAN):
        raise PolicyError("This investigation is not waiting for the HMIS Lead.", rule="S3")
    investigation.lead_note = note
    if decision == "disagree":
        if investigation.status != Investigation.Status.PLAN:
            raise PolicyError("Only a submitted plan can go to the governance committee.", rule="S3")
        if not note.strip():
            raise PolicyError("Say why the HMIS Lead disagrees with the plan.", rule="S3", field="note")
        investigation.status = Investigation.Status.GOVERNANCE
        investigation.save()
        return investigation
    if decision not in ("keep", "end"):
        raise PolicyError("Choose a decision.", rule="S3", field="decision")
    _close(investigation, actor=actor, keep=decision == "keep")
    return investigation


@transaction.atomic
def governance_decide(*, actor, investigation: Investigation, keep: bool, note: str, decided_on) -> Investigation:
    _require_lead(actor, "S3")
    if investigation.status != Investigation.Status.GOVERNANCE:
        raise PolicyError("This investigation is not with the governance committee.", rule="S3")
    if not note.strip():
        raise PolicyError("Record what the governance committee decided.", rule="S3", field="note")
    investigation.governance_note, investigation.governance_decided_on = note, decided_on
    _close(investigation, actor=actor, keep=keep)
    return investigation


LETTER_TEXT = {
    "en": {
        "title": "Notice about access to your HMIS record",
        "intro": "We are writing to tell you that a staff member of {agency} may have looked at your information "
                 "in the Homeless Management Information System (HMIS) without a valid reason. "
                 "Their access was suspended while we investigate.",
        "dates": "The access happened between {first} and {last}.",
        "audit": "You have the right to a full audit of your record: a list of everyone who viewed, printed, "
                 "exported or changed it, and when. Ask any agency that serves you, or the HMIS Lead, and you "
                 "will receive it within 5 business days, free of charge.",
        "grievance": "You may file a grievance with the agency, without consequence. Grievance contact:",
        "no_contact": "the agency's director (no grievance contact is on file)",
        "lead": "You may also contact the HMIS Lead:", "client_id": "HMIS Client ID", "date": "Date",
    },
    "es": {
        "title": "Aviso sobre el acceso a su expediente del HMIS",
        "intro": "Le escribimos para informarle que un miembro del personal de {agency} pudo haber consultado su "
                 "información en el Sistema de Información para la Gestión de Personas sin Hogar (HMIS) sin un "
                 "motivo válido. Su acceso fue suspendido mientras investigamos.",
        "dates": "El acceso ocurrió entre el {first} y el {last}.",
        "audit": "Usted tiene derecho a una auditoría completa de su expediente: una lista de todas las personas "
                 "que lo vieron, imprimieron, exportaron o cambiaron, y cuándo. Pídala a cualquier agencia que le "
                 "atienda, o al HMIS Lead, y la recibirá en un plazo de 5 días hábiles, sin costo.",
        "grievance": "Puede presentar una queja ante la agencia, sin consecuencias. Contacto para quejas:",
        "no_contact": "la dirección de la agencia (no hay contacto para quejas registrado)",
        "lead": "También puede comunicarse con el HMIS Lead:", "client_id": "Número de cliente del HMIS", "date": "Fecha",
    },
}


def notification_letter(*, actor, affected: AffectedClient, language: str, request=None) -> tuple[bytes, str]:
    """S3: the letter to one affected client, with the agency's grievance contact and
    the offer of a full audit (R2). Producing it is logged as a print of the record."""
    from agencies.models import HmisLead
    from hmis.audit import log_access
    from hmis.models import AuditEntry
    from hmis.pdf import render_pdf

    if language not in LETTER_TEXT:
        raise PolicyError("Choose English or Spanish.", rule="R4")
    t = LETTER_TEXT[language]
    agency = affected.investigation.agency
    client = affected.client
    fmt = "%m/%d/%Y"
    context = {
        "t": t, "lang": language, "client": client, "today": dates.today(), "lead": HmisLead.objects.first(),
        "intro": t["intro"].format(agency=agency.name),
        "dates": t["dates"].format(first=timezone.localtime(affected.first_access_at).strftime(fmt),
                                   last=timezone.localtime(affected.last_access_at).strftime(fmt)),
        "contact": agency.grievance_contact or t["no_contact"], "agency": agency,
    }
    pdf = render_pdf("compliance/notification_letter_pdf.html", context, request)
    log_access(client, kind=AuditEntry.AccessKind.PRINT, actor=actor, client_ref=client.client_id,
               note="Improper-access notification letter (S3)")
    AffectedClient.objects.filter(pk=affected.pk).update(letter_produced_at=timezone.now())
    return pdf, f"notification-{client.display_id}-{language}.pdf"


@transaction.atomic
def mark_notified(*, actor, affected: AffectedClient, reached: bool) -> AffectedClient:
    _require_lead(actor, "S3")
    if reached:
        affected.notified_on, affected.not_reachable = dates.today(), False
    else:
        affected.notified_on, affected.not_reachable = None, True
    affected.save(update_fields=["notified_on", "not_reachable"])
    return affected
