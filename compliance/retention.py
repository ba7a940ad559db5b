"""Retention (D7, C8).

D7: personal information not in current use is de-identified 7 years after it was
created or last changed. A client is "not in current use" when neither the record nor
any stay of theirs was touched in 7 years and no stay is open. The names, SSN and date
of birth are removed everywhere they are kept (the record, its corrections and the
change log), and so are case notes' text and files (free text can name anyone); the
HUD-required non-identifying data (race and ethnicity, sex, veteran
status, stays, services) stays for reporting.

C8: scanned ROI documents are removed 7 years after the ROI expired (``retain_until``).

Real runs wait until the HMIS Lead has looked at a dry run and approved it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hmis import dates
from hmis.errors import PolicyError

from .models import RetentionRun

YEARS = 7
IDENTIFYING_FIELDS = ("first_name", "middle_name", "last_name", "name_suffix", "search_name", "dob",
                      "ssn_encrypted", "ssn_hash", "ssn_last4_hash", "ssn_last4", "ssn")
REMOVED = "[de-identified]"


def cutoff(day):
    return dates.add_months(day, -12 * YEARS)


def clients_due(day):
    from clients.models import Client
    from enrollments.models import Enrollment

    limit = cutoff(day)
    in_use = Enrollment.objects.filter(client=OuterRef("pk")).filter(
        Q(exit_date__isnull=True) | Q(exit_date__gte=limit) | Q(entry_date__gte=limit) | Q(entered_at__date__gte=limit))
    # A case note or file written in the last 7 years keeps the client in use (issue 21).
    from clients.models import CaseNote, ClientFile

    noted = CaseNote.objects.filter(client=OuterRef("pk"), created_at__date__gte=limit)
    filed = ClientFile.objects.filter(client=OuterRef("pk"), uploaded_at__date__gte=limit)
    # So does a referral made in the last 7 years (issue 21).
    from enrollments.models import Referral

    referred = Referral.objects.filter(client=OuterRef("pk"), created_at__date__gte=limit)
    return (Client.objects.filter(deidentified_at__isnull=True, updated_at__date__lt=limit, created_at__date__lt=limit)
            .exclude(Exists(in_use)).exclude(Exists(noted)).exclude(Exists(filed)).exclude(Exists(referred))
            .order_by("client_id"))


def documents_due(day):
    from consent.models import RoiDocument

    return RoiDocument.objects.filter(removed_at__isnull=True, retain_until__lt=day).order_by("uploaded_at")


def _scrub_changes(changes: dict) -> dict:
    return {field: ([REMOVED, REMOVED] if field in IDENTIFYING_FIELDS else values) for field, values in changes.items()}


# Free text and file names can name the client: case notes and files (issue 21) are scrubbed too.
NOTE_FIELDS = ("text", "display_name", "description")
REFERRAL_FIELDS = ("note", "decline_note")


def _scrub_log(model, pks, fields) -> None:
    from hmis.models import AuditEntry

    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                        object_pk__in=[str(pk) for pk in pks])
    for entry in entries.exclude(changes__isnull=True).only("pk", "changes").iterator():
        changes = entry.changes if isinstance(entry.changes, dict) else None
        if changes and any(f in fields for f in changes):
            AuditEntry.objects.filter(pk=entry.pk).update(
                changes={f: ([REMOVED, REMOVED] if f in fields else v) for f, v in changes.items()})


def _deidentify_notes_and_files(client_pks) -> None:
    from clients.models import CaseNote, ClientFile

    notes = list(CaseNote.objects.filter(client_id__in=client_pks).values_list("pk", flat=True))
    CaseNote.objects.filter(pk__in=notes).update(text=REMOVED)
    _scrub_log(CaseNote, notes, NOTE_FIELDS)
    files = list(ClientFile.objects.filter(client_id__in=client_pks))
    for record in files:
        if record.file:
            record.file.delete(save=False)
    ClientFile.objects.filter(pk__in=[f.pk for f in files]).update(file="", display_name=REMOVED, description="")
    _scrub_log(ClientFile, [f.pk for f in files], NOTE_FIELDS)
    # Referrals' words (issue 21): why the client was referred, the decline's words, each step's note.
    from enrollments.models import Referral, ReferralEvent

    referrals = list(Referral.objects.filter(client_id__in=client_pks).values_list("pk", flat=True))
    Referral.objects.filter(pk__in=referrals).update(note=REMOVED, decline_note="")
    _scrub_log(Referral, referrals, REFERRAL_FIELDS)
    events = list(ReferralEvent.objects.filter(referral_id__in=referrals).exclude(note="").values_list("pk", flat=True))
    ReferralEvent.objects.filter(pk__in=events).update(note=REMOVED)
    _scrub_log(ReferralEvent, events, REFERRAL_FIELDS)


def _deidentify(client_pks) -> None:
    from clients.models import Client, Correction
    from hmis.models import AuditEntry

    _deidentify_notes_and_files(client_pks)

    # Queryset updates on purpose: a save() would write the names into the change log.
    Client.objects.filter(pk__in=client_pks).update(
        first_name="", middle_name="", last_name="", name_suffix="", search_name="", name_data_quality=99,
        ssn_encrypted="", ssn_hash="", ssn_last4_hash="", ssn_data_quality=99, dob=None, dob_data_quality=99,
        deidentified_at=timezone.now())
    Correction.objects.filter(client_id__in=client_pks, field__in=IDENTIFYING_FIELDS).update(
        previous_value=REMOVED, new_value=REMOVED)
    client_type = ContentType.objects.get_for_model(Client)
    entries = AuditEntry.objects.filter(content_type=client_type, object_pk__in=[str(pk) for pk in client_pks])
    for entry in entries.exclude(changes__isnull=True).only("pk", "changes").iterator():
        changes = entry.changes if isinstance(entry.changes, dict) else None
        if changes and any(f in IDENTIFYING_FIELDS for f in changes):
            AuditEntry.objects.filter(pk=entry.pk).update(changes=_scrub_changes(changes))


def _remove_documents(documents) -> None:
    from consent.models import RoiDocument

    for document in documents:
        if document.file:
            document.file.delete(save=False)
        RoiDocument.objects.filter(pk=document.pk).update(file="", removed_at=timezone.now())


def approved_dry_run():
    return RetentionRun.objects.filter(dry_run=True, approved_at__isnull=False).first()


@transaction.atomic
def run(*, day=None, dry_run: bool, actor=None) -> RetentionRun | None:
    """One pass. A real run does nothing until a dry run was approved (returns None)."""
    day = day or dates.today()
    if not dry_run and approved_dry_run() is None:
        return None
    clients = list(clients_due(day).values_list("pk", "client_id"))
    documents = list(documents_due(day))
    if not dry_run:
        _deidentify([pk for pk, _ in clients])
        _remove_documents(documents)
    return RetentionRun.objects.create(day=day, dry_run=dry_run, started_by=actor,
                                       client_ids=[client_id for _, client_id in clients],
                                       document_ids=[str(d.uuid) for d in documents])


@transaction.atomic
def approve(*, actor, dry_run: RetentionRun) -> RetentionRun:
    if not actor.is_system_admin:
        raise PolicyError("Only the HMIS Lead approves the retention job.", rule="D7")
    if not dry_run.dry_run:
        raise PolicyError("Approve a dry run.", rule="D7")
    dry_run.approved_by, dry_run.approved_at = actor, timezone.now()
    dry_run.save(update_fields=["approved_by", "approved_at"])
    return dry_run
