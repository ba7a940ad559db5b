"""Writes of consent (C1–C11). Keyword-only, atomic, the actor named, the rules
enforced here and nowhere else."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from agencies.hud_lists import EMERGENCY_SHELTER_TYPES
from agencies.models import Coc, License, Project
from hmis import dates
from hmis.errors import PolicyError
from hmis.notify import hmis_lead_admins, notify, notify_many

from . import documents
from .models import ClientLock, GapApproval, OptOutTally, Roi, RoiDocument, SharingLevel

RETENTION_YEARS = 7


def _require_data_entry(license: License | None) -> None:
    if license is None or not license.is_active:
        raise PolicyError("Choose the agency you are working for first.", rule="T4")
    if license.agency.is_victim_service_provider:
        raise PolicyError(
            "Victim service providers do not enter client data into the HMIS (VAWA).", rule="A6"
        )
    if license.access_level != License.AccessLevel.FULL:
        raise PolicyError("Your license does not include data entry.", rule="T3")


def coc_for(license: License, project: Project | None) -> Coc:
    """The CoC whose switches apply: the project's, else the agency's (strictest first:
    locked_record keeps data out of sight, no_record keeps it out of the database)."""
    if project is not None:
        return project.coc
    cocs = list(license.agency.cocs.all())
    no_record = [c for c in cocs if c.no_sharing_policy == Coc.NoSharingPolicy.NO_RECORD]
    return (no_record or cocs)[0]


def _check_project(license: License, project: Project | None) -> None:
    if project is None:
        if license.agency.roi_scope == license.agency.RoiScope.PROJECT:
            raise PolicyError("Your agency records an ROI per project: choose the project.", rule="C7", field="project")
        return
    if project.agency_id != license.agency_id:
        raise PolicyError("Choose a project of your agency.", rule="T5", field="project")
    from agencies.selectors import projects_for_data_entry

    if not projects_for_data_entry(license).filter(pk=project.pk).exists():
        raise PolicyError("You are not assigned to that project.", rule="T5", field="project")


def roi_expiry(coc: Coc, signed_on: date) -> date:
    """C6: an ROI expires one year (the CoC's roi_validity) after signing."""
    return dates.add_months(signed_on, coc.roi_validity_months) - timedelta(days=1)


def store_document(*, actor, upload, expires_on: date) -> RoiDocument:
    data, kind, digest, scan = documents.check_upload(upload)
    document = RoiDocument(
        content_type=kind, size=len(data), sha256=digest, scan_result=scan, uploaded_by=actor,
        retain_until=dates.add_months(expires_on, 12 * RETENTION_YEARS),
    )
    document.file.save(f"{document.uuid}.bin", ContentFile(data), save=False)
    document.save()
    return document


MAX_EXPECTED_NIGHTS = 90  # C4: how far ahead an intake may add its guest to the nights' counts
MAX_STAYING = 10_000


@transaction.atomic
def opt_out_record(*, actor, license: License, project: Project, served_on: date) -> OptOutTally:
    """C3 no_record and C4: nothing about the person is stored; only the anonymous tally
    (project, date, count), the guest added to that night's number staying, and an alert when
    a shelter has more opted-out clients staying at once than the CoC's threshold."""
    _require_data_entry(license)
    _check_project(license, project)
    tally, _ = OptOutTally.objects.select_for_update().get_or_create(project=project, date=served_on)
    OptOutTally.objects.filter(pk=tally.pk).update(count=F("count") + 1, staying=F("staying") + 1)
    tally.refresh_from_db()
    _alert_when_too_many_staying(tally, actor)
    return tally


@transaction.atomic
def opt_out_expected_nights(*, actor, license: License, tally: OptOutTally, nights: int) -> list[OptOutTally]:
    """C4: the guest taken in on ``tally``'s night is expected to stay ``nights`` nights in
    all: they are added to the number staying on each following night (the first night
    already counts them). Still only project, date and counts."""
    _require_data_entry(license)
    _check_project(license, tally.project)
    if not 1 <= nights <= MAX_EXPECTED_NIGHTS:
        raise PolicyError(f"Enter between 1 and {MAX_EXPECTED_NIGHTS} nights.", rule="C4", field="nights")
    changed = []
    for offset in range(1, nights):
        night, _ = OptOutTally.objects.select_for_update().get_or_create(
            project=tally.project, date=tally.date + timedelta(days=offset))
        OptOutTally.objects.filter(pk=night.pk).update(staying=F("staying") + 1)
        night.refresh_from_db()
        _alert_when_too_many_staying(night, actor)
        changed.append(night)
    return changed


@transaction.atomic
def opt_out_staying(*, actor, license: License, project: Project, night: date, staying: int) -> OptOutTally:
    """C4: the shelter's own count of guests without a record staying on ``night`` (taken at
    the nightly check-in); it replaces what intakes expected for that night."""
    _require_data_entry(license)
    _check_project(license, project)
    if project.project_type not in EMERGENCY_SHELTER_TYPES:
        raise PolicyError("Nightly counts are kept for emergency shelters only.", rule="C4", field="project")
    if night > dates.today():
        raise PolicyError("Count a night that has begun: tonight or an earlier night.", rule="C4", field="night")
    if not 0 <= staying <= MAX_STAYING:
        raise PolicyError(f"Enter a number from 0 to {MAX_STAYING:,}.", rule="C4", field="staying")
    tally, _ = OptOutTally.objects.select_for_update().get_or_create(project=project, date=night)
    OptOutTally.objects.filter(pk=tally.pk).update(staying=staying)
    tally.refresh_from_db()
    _alert_when_too_many_staying(tally, actor)
    return tally


def _alert_when_too_many_staying(tally: OptOutTally, actor) -> None:
    """C4: once a night, tell the agency's managers when an emergency shelter has more
    opted-out guests staying than the CoC's threshold. Counts and the project only (E1)."""
    project = tally.project
    threshold = project.coc.opt_out_alert_threshold
    if project.project_type not in EMERGENCY_SHELTER_TYPES or tally.staying <= threshold or tally.alert_sent:
        return
    from agencies.selectors import agency_managers

    recipients = agency_managers(project.agency, roles=(
        License.Role.EXECUTIVE_DIRECTOR, License.Role.AUTHORIZED_REPRESENTATIVE, License.Role.DESIGNATED_CONTACT))
    notify(
        [*recipients, actor],
        subject=f"{project.name}: {tally.staying} clients without HMIS records staying on {tally.date:%Y-%m-%d}",
        body=(f"{tally.staying} people who declined all sharing are staying at {project.name} on the night of "
              f"{tally.date:%Y-%m-%d}, more than the CoC's threshold of {threshold}. Keep their "
              "paper intake forms secure and plan emergency-shelter capacity accordingly."),
        link=reverse("consent:opt_out_tally"),
        dedupe_key=f"opt-out:{project.pk}:{tally.date:%Y-%m-%d}",
    )
    OptOutTally.objects.filter(pk=tally.pk).update(alert_sent=True)


class IntakeConsent:
    """What recording an intake's consent did: an ROI to enter the client under, or
    (C3 no_record) only the anonymous tally, nothing about the person stored."""

    def __init__(self, roi: Roi | None = None, tally: OptOutTally | None = None):
        self.roi, self.tally = roi, tally

    @property
    def stored_nothing(self) -> bool:
        return self.roi is None


def declines_all_sharing_without_record(license: License, project: Project | None, sharing_level: str) -> bool:
    """C3: under a no_record CoC, a client who declines all sharing has no record at all."""
    return (sharing_level == SharingLevel.NONE
            and coc_for(license, project).no_sharing_policy == Coc.NoSharingPolicy.NO_RECORD)


@transaction.atomic
def intake_consent(*, actor, license: License, sharing_level: str, consent_type: str, signed_on: date,
                   taken_by, project: Project | None = None, upload=None, clients=()) -> IntakeConsent:
    """The first step of every intake, on the web and through the API (C1, C3, C4): the
    no-sharing branch is decided here and nowhere else."""
    if declines_all_sharing_without_record(license, project, sharing_level):
        if project is None:
            raise PolicyError("Choose the project serving the client: the anonymous count is kept per project.",
                              rule="C4", field="project")
        return IntakeConsent(tally=opt_out_record(actor=actor, license=license, project=project, served_on=signed_on))
    roi = roi_record(actor=actor, license=license, sharing_level=sharing_level, consent_type=consent_type,
                     signed_on=signed_on, taken_by=taken_by, project=project, upload=upload, clients=clients)
    return IntakeConsent(roi=roi)


@transaction.atomic
def roi_record(
    *, actor, license: License, sharing_level: str, consent_type: str, signed_on: date,
    taken_by, project: Project | None = None, upload=None, clients=(),
) -> Roi:
    """C1, C5, C7: record an ROI before any client data. Under a no_record CoC a
    'no sharing' answer stores nothing: use opt_out_record instead."""
    _require_data_entry(license)
    _check_project(license, project)
    if signed_on > dates.today():
        raise PolicyError("The consent date cannot be in the future.", rule="C6", field="signed_on")
    coc = coc_for(license, project)
    if sharing_level == SharingLevel.NONE and coc.no_sharing_policy == Coc.NoSharingPolicy.NO_RECORD:
        raise PolicyError(
            "Under this CoC's policy a client who declines all sharing has no HMIS record at all.",
            rule="C3",
        )
    if consent_type == Roi.ConsentType.VERBAL and taken_by is None:
        raise PolicyError("Name the staff member who took the verbal consent.", rule="C5", field="taken_by")
    expires_on = roi_expiry(coc, signed_on)
    if expires_on < dates.today():
        raise PolicyError(
            f"A consent given on {signed_on:%m/%d/%Y} expired on {expires_on:%m/%d/%Y}; record a current one.",
            rule="C6", field="signed_on",
        )
    from .visibility import Viewer, client_access

    hidden = [c for c in clients if not client_access(Viewer(actor, license), c).visible]
    if hidden:
        raise PolicyError("A consent can cover only clients you may see.", rule="C12")
    document = store_document(actor=actor, upload=upload, expires_on=expires_on) if upload else None
    roi = Roi.objects.create(
        agency=license.agency, project=project, sharing_level=sharing_level, consent_type=consent_type,
        signed_on=signed_on, expires_on=expires_on, taken_by=taken_by or actor, recorded_by=actor,
        document=document,
    )
    for client in clients:
        roi_cover(roi=roi, client=client)
    return roi


def roi_cover(*, roi: Roi, client) -> None:
    """Add a household member to the ROI: their agency now serves them (guardian grant
    to the agency's group) and their sharing follows their newest consent."""
    roi.clients.add(client)
    assign_perm("clients.serve_client", roi.agency.group, client)
    if roi.sharing_level == SharingLevel.NONE:
        lock_for_no_sharing(client=client, agency=roi.agency, actor=roi.recorded_by)
    refresh_sharing(client)


def lock_for_no_sharing(*, client, agency, actor) -> ClientLock:
    """C3 locked_record: the whole record is the entering agency's alone."""
    lock, _ = ClientLock.objects.get_or_create(
        client=client, agency=agency, part=ClientLock.Part.RECORD,
        source=ClientLock.Source.NO_SHARING_POLICY,
        defaults={"status": ClientLock.Status.ACTIVE, "requested_by": actor},
    )
    return lock


def sharing_on(rois, day: date) -> tuple[str, date | None]:
    """The widest sharing the client's consents give on a day: each consent counts until a
    later one of its agency replaces it for the same scope (C6 expiry, C7, C9, C12). Stored
    on the client as a summary (the API's "sharing", and a necessary condition that lets
    visible_clients() skip clients nobody shares); consent/visibility.py decides from the
    ROIs themselves. The date is when that widest sharing next may end."""
    from clients.models import Client

    from .visibility import _RANK, consents_in_force

    widest, until = Client.Sharing.NONE, None
    for state, roi in consents_in_force([roi for roi in rois if roi.signed_on <= day], day):
        if state in (SharingLevel.FULL, SharingLevel.LIMITED):
            if _RANK[state] > _RANK[widest]:
                widest = state
            until = roi.expires_on if until is None else min(until, roi.expires_on)
    return widest, until


def refresh_sharing(client, day: date | None = None) -> None:
    """Store the summary of the client's current sharing (see sharing_on)."""
    # Read afresh: the client may carry a prefetched list of ROIs from before this change.
    sharing, until = sharing_on(Roi.objects.filter(clients=client), day or dates.today())
    type(client).objects.filter(pk=client.pk).update(sharing=sharing, sharing_until=until)
    client.sharing, client.sharing_until = sharing, until
    from .visibility import forget_consents

    forget_consents(client)


@transaction.atomic
def roi_revoke(*, actor, license: License, roi: Roi, revoked_on: date) -> Roi:
    """C9: from the revocation date nothing about the household is shared with other
    agencies, and the HMIS Lead is told."""
    _require_data_entry(license)
    # Two people revoking the same consent at once: the second waits, then sees it revoked.
    roi = Roi.objects.select_for_update().get(pk=roi.pk)
    if roi.agency_id != license.agency_id:
        raise PolicyError("Only the agency that recorded an ROI can record its revocation.", rule="C9")
    if roi.revoked_on:
        raise PolicyError(f"This ROI was already revoked on {roi.revoked_on:%m/%d/%Y}.", rule="C9")
    if revoked_on > dates.today() or revoked_on < roi.signed_on:
        raise PolicyError("The revocation date must be between the signing date and today.", field="revoked_on")
    roi.revoked_on, roi.revoked_by = revoked_on, actor
    roi.save()
    ids = []
    for client in roi.clients.all():
        refresh_sharing(client)
        ids.append(client.display_id)
    notify(
        hmis_lead_admins(),
        subject=f"Consent revoked for {', '.join(ids) or 'an ROI'}",
        body=(f"{license.agency.name} recorded that the client revoked consent on {revoked_on:%m/%d/%Y} "
              f"(ROI {roi.pk}, HMIS Client ID {', '.join(ids)}). Nothing about the household is shared "
              "with other agencies from that date."),
        link=reverse("clients:detail", args=[roi.clients.first().client_id]) if ids else "",
        dedupe_key=f"roi-revoked:{roi.pk}",
    )
    return roi


@transaction.atomic
def lock_request(*, actor, license: License, client, part: str, note: str = "") -> ClientLock:
    """C10: a client at risk asks to lock the record or parts; the HMIS Lead approves."""
    _require_data_entry(license)
    lock = ClientLock.objects.create(
        client=client, agency=license.agency, part=part, source=ClientLock.Source.CLIENT_REQUEST,
        status=ClientLock.Status.REQUESTED, requested_by=actor, decision_note=note,
    )
    notify(
        hmis_lead_admins(),
        subject=f"Lock requested for client {client.display_id}",
        body=f"{license.agency.name} asks to lock {lock.get_part_display().lower()} of client {client.display_id}.",
        link=reverse("consent:lock_requests"),
        dedupe_key=f"lock-request:{lock.pk}",
    )
    return lock


def _decide(decision, *, actor, approve: bool, note: str, rule: str, approved_status: str, what: str, link: str):
    """The HMIS Lead approves or denies a request once; the requester is told."""
    if not actor.is_system_admin:
        raise PolicyError(f"Only the HMIS Lead decides {what}.", rule=rule)
    if decision.status != decision.Status.REQUESTED:
        raise PolicyError("This request was already decided.")
    decision.status = approved_status if approve else decision.Status.DENIED
    decision.decided_by, decision.decided_at, decision.decision_note = actor, timezone.now(), note
    decision.save()
    notify(
        [decision.requested_by],
        subject=f"{what.capitalize()} {'approved' if approve else 'denied'} for client {decision.client.display_id}",
        body=note, link=link, dedupe_key=f"{type(decision).__name__.lower()}-decided:{decision.pk}",
    )
    return decision


@transaction.atomic
def lock_decide(*, actor, lock: ClientLock, approve: bool, note: str = "") -> ClientLock:
    _decide(lock, actor=actor, approve=approve, note=note, rule="C10", approved_status=ClientLock.Status.ACTIVE,
            what="locks", link=reverse("clients:detail", args=[lock.client.client_id]))
    if approve and lock.part == ClientLock.Part.RECORD:
        type(lock.client).objects.filter(pk=lock.client_id).update(locked_to_agency=lock.agency)
    return lock


def roi_covering(*, client, agency, day: date, project=None) -> Roi | None:
    """The agency's consent in force on ``day`` that covers data of ``project`` (C7): its
    newest ROI for that project, else its newest agency-wide ROI. Without a project
    (client-level data), the newest in force of any scope."""
    rois = [roi for roi in client.rois.filter(agency=agency).select_related("project")
            .order_by("-signed_on", "-recorded_at", "-pk") if roi.is_active_on(day)]
    if project is None:
        return rois[0] if rois else None
    for_project = [roi for roi in rois if roi.project_id == project.pk]
    agency_wide = [roi for roi in rois if roi.project_id is None]
    return (for_project or agency_wide or [None])[0]


def ensure_entry_allowed(*, client, agency, day: date, project=None) -> Roi | None:
    """C6: data may only be entered for dates an active ROI covers, or dates of a gap
    the HMIS Lead approved beforehand. Returns the covering ROI, which the record keeps
    (C12: it is shared by that consent); None for an approved gap (shared with nobody)."""
    roi = roi_covering(client=client, agency=agency, day=day, project=project)
    if roi:
        return roi
    approved = GapApproval.objects.filter(
        client=client, agency=agency, status=GapApproval.Status.APPROVED, starts_on__lte=day, ends_on__gte=day
    ).exists()
    if approved:
        return None
    raise PolicyError(
        f"No active ROI of your agency covers {day:%m/%d/%Y}. Ask the HMIS Lead to approve entering data "
        "for that gap, or record a current ROI.",
        rule="C6",
    )


@transaction.atomic
def gap_request(*, actor, license: License, client, starts_on: date, ends_on: date, reason: str) -> GapApproval:
    _require_data_entry(license)
    if ends_on < starts_on:
        raise PolicyError("The gap ends before it starts.", field="ends_on")
    request = GapApproval.objects.create(
        client=client, agency=license.agency, starts_on=starts_on, ends_on=ends_on, reason=reason,
        requested_by=actor,
    )
    notify(
        hmis_lead_admins(),
        subject=f"Approval asked to enter data in an ROI gap for client {client.display_id}",
        body=f"{license.agency.name}: {starts_on:%m/%d/%Y} to {ends_on:%m/%d/%Y}.",
        link=reverse("consent:gap_requests"), dedupe_key=f"gap-request:{request.pk}",
    )
    return request


@transaction.atomic
def gap_decide(*, actor, request: GapApproval, approve: bool, note: str = "") -> GapApproval:
    return _decide(request, actor=actor, approve=approve, note=note, rule="C6",
                   approved_status=GapApproval.Status.APPROVED, what="data entry in an ROI gap",
                   link=reverse("clients:detail", args=[request.client.client_id]))


def run_daily_roi_jobs(day: date | None = None) -> dict:
    """Daily (Celery beat), safe to run twice: sharing ends at expiry (C6), and case
    workers are warned roi_expiry_warning_days before (PII-free, E1)."""
    from clients.models import Client

    day = day or dates.today()
    expired = 0
    lapsed = (Client.objects.filter(sharing_until__lt=day).exclude(sharing=Client.Sharing.NONE)
              .only("pk", "sharing", "sharing_until").prefetch_related("rois"))
    with transaction.atomic():
        changed = []
        for client in lapsed.iterator(chunk_size=1000):
            client.sharing, client.sharing_until = sharing_on(client.rois.all(), day)
            changed.append(client)
            expired += 1
        Client.objects.bulk_update(changed, ["sharing", "sharing_until"], batch_size=1000)

    # Only ROIs inside the widest warning window can be due; each is then checked
    # against its own CoC's window.
    widest = max(Coc.objects.values_list("roi_expiry_warning_days", flat=True), default=0)
    candidates = (
        Roi.objects.filter(revoked_on__isnull=True, expiry_warning_sent_on__isnull=True, expires_on__gte=day,
                           expires_on__lte=day + timedelta(days=widest))
        .select_related("recorded_by", "agency", "project__coc")
        .prefetch_related("clients", "agency__cocs")
    )
    due, messages = [], []
    for roi in candidates.iterator(chunk_size=1000):
        coc = roi.project.coc if roi.project else coc_for_agency(roi.agency)
        if roi.expires_on > day + timedelta(days=coc.roi_expiry_warning_days):
            continue
        covered = list(roi.clients.all())  # prefetched: no query per ROI
        if not covered:
            continue
        ids = ", ".join(c.display_id for c in covered)
        messages.append((
            roi.recorded_by,
            f"ROI expires {roi.expires_on:%m/%d/%Y} for client {ids}"[:150],
            (f"The release of information for HMIS Client ID {ids} at {roi.agency.name} expires on "
             f"{roi.expires_on:%m/%d/%Y}. Ask the client to renew it before entering further data."),
            reverse("clients:detail", args=[covered[0].client_id]),
            f"roi-expiry:{roi.pk}",
        ))
        due.append(roi.pk)
    with transaction.atomic():
        notify_many(messages)
        Roi.objects.filter(pk__in=due).update(expiry_warning_sent_on=day)
    return {"expired": expired, "warned": len(due)}


def coc_for_agency(agency) -> Coc:
    cocs = sorted(agency.cocs.all(), key=lambda c: c.roi_expiry_warning_days, reverse=True)
    return cocs[0]
