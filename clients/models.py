"""The client record: HUD Universal Data Elements, households, corrections (D6).

Personal identifiers: the SSN is stored encrypted, with keyed hashes of the whole
number and of its last 4 for search (hmis/crypto.py). The HMIS Client ID is random
and non-sequential; it is the only identifier that may leave the database in
URLs, notifications, file names and task arguments (E1).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase

from hmis import crypto

from .hud_lists import DobQuality, NameQuality, NoYesReason, RefusalReason, Sex, SsnQuality

# Crockford's base32 without I, L, O, U: easy to read aloud and to type.
CLIENT_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_client_id() -> str:
    return "".join(secrets.choice(CLIENT_ID_ALPHABET) for _ in range(8))


def format_client_id(raw: str) -> str:
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def normalize_client_id(text: str) -> str:
    return text.replace("-", "").replace(" ", "").upper()


class Client(models.Model):
    class Sharing(models.TextChoices):
        FULL = "full", "Full"
        LIMITED = "limited", "Limited"
        NONE = "none", "No sharing"

    client_id = models.CharField("HMIS Client ID", max_length=8, unique=True, default=new_client_id, editable=False)

    # 3.01 Name
    first_name = models.CharField(max_length=50, blank=True)
    middle_name = models.CharField(max_length=50, blank=True)
    last_name = models.CharField(max_length=50, blank=True)
    name_suffix = models.CharField(max_length=50, blank=True)
    name_data_quality = models.PositiveSmallIntegerField(choices=NameQuality.choices, default=NameQuality.FULL, null=True)
    # Lower-cased "first last" for typo-tolerant search (trigram index on PostgreSQL).
    search_name = models.CharField(max_length=110, blank=True, editable=False, db_index=True)

    # 3.02 SSN: encrypted; found by keyed hashes of the number and of its last 4.
    ssn_encrypted = models.TextField(blank=True, editable=False)
    ssn_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    ssn_last4_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    ssn_data_quality = models.PositiveSmallIntegerField(choices=SsnQuality.choices, default=SsnQuality.NOT_COLLECTED,
                                                        null=True)

    # 3.03 Date of birth
    dob = models.DateField("date of birth", null=True, blank=True, db_index=True)
    dob_data_quality = models.PositiveSmallIntegerField(choices=DobQuality.choices, default=DobQuality.NOT_COLLECTED,
                                                        null=True)

    # 3.04 Race and ethnicity (HMIS CSV columns), refusal in race_none.
    am_ind_ak_native = models.BooleanField(default=False)
    asian = models.BooleanField(default=False)
    black_af_american = models.BooleanField(default=False)
    hispanic_latinao = models.BooleanField(default=False)
    mid_east_n_african = models.BooleanField(default=False)
    native_hi_pacific = models.BooleanField(default=False)
    white = models.BooleanField(default=False)
    race_none = models.PositiveSmallIntegerField(choices=RefusalReason.choices, null=True, blank=True)
    additional_race_ethnicity = models.CharField(max_length=100, blank=True)

    # 4.21 Sex, 3.07 Veteran status
    # null (here and in the name, SSN and date of birth data quality): an HMIS CSV import keeps an
    # empty answer as given (H3), counted as missing by data quality; forms still require an answer
    # (blank=False).
    sex = models.PositiveSmallIntegerField(choices=Sex.choices, default=Sex.NOT_COLLECTED, null=True)
    veteran_status = models.PositiveSmallIntegerField(choices=NoYesReason.choices, default=NoYesReason.NOT_COLLECTED,
                                                      null=True)

    # Current consent, kept by consent/services.py and the daily ROI job; read by
    # consent/visibility.py, which also checks the date itself.
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.NONE, db_index=True)
    sharing_until = models.DateField(null=True, blank=True)
    # C3 locked_record and approved whole-record locks (C10): only this agency sees it.
    locked_to_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_by_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    # C12: the consent under which the entering agency recorded the identifiers and
    # demographics (null for imported records: shared with no other agency).
    consent = models.ForeignKey("consent.Roi", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_in_protected_project = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking of corrections (D6): a correction names the version it started from.
    version = models.PositiveIntegerField(default=1)
    # D7: personal identifiers removed after 7 years unchanged and out of use.
    deidentified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Issue 21: a duplicate the HMIS Lead merged into another record (clients/merge.py). The row
    # is kept (the merge can be undone for 30 days); it is hidden from search and its page
    # leads to the survivor's. related_name "+": never moved by a merge itself.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    editable=False)

    audit_exclude = ["ssn_encrypted", "ssn_hash", "ssn_last4_hash", "search_name"]

    class Meta:
        ordering = ["last_name", "first_name"]
        permissions = [("serve_client", "Serve the client: see what the agency entered")]
        # The daily ROI job's rows: sharing that has an end date (C6).
        indexes = [models.Index(fields=["sharing_until"], condition=~models.Q(sharing="none"),
                                name="client_sharing_until")]

    def __str__(self):
        # Never the name: str() ends up in logs and audit entries.
        return f"Client {self.display_id}"

    @property
    def display_id(self) -> str:
        return format_client_id(self.client_id)

    @property
    def full_name(self) -> str:
        parts = [self.first_name, self.middle_name, self.last_name, self.name_suffix]
        return " ".join(p for p in parts if p) or "(name not collected)"

    # --- SSN -------------------------------------------------------------
    def set_ssn(self, digits: str) -> None:
        digits = "".join(ch for ch in (digits or "") if ch.isdigit())
        self.ssn_encrypted = crypto.encrypt(digits)
        self.ssn_hash = crypto.keyed_hash("ssn", digits) if len(digits) == 9 else ""
        self.ssn_last4_hash = crypto.keyed_hash("ssn-last4", digits[-4:]) if len(digits) >= 4 else ""

    @property
    def ssn(self) -> str:
        return crypto.decrypt(self.ssn_encrypted)

    @property
    def ssn_last4(self) -> str:
        digits = self.ssn
        return digits[-4:] if len(digits) >= 4 else ""

    @property
    def race_labels(self) -> list[str]:
        from .hud_lists import RACE_FIELDS

        return [label for field, _, label in RACE_FIELDS if getattr(self, field)]

    def get_additional_data(self) -> dict:
        """django-auditlog stores this with each change: the SSN masked to its last 4."""
        from hmis.pii import mask_ssn

        return {"ssn": mask_ssn(self.ssn)} if self.ssn_encrypted else {}

    def save(self, *args, **kwargs):
        if getattr(self, "seen_as_redacted", False):
            raise RuntimeError("This client was read with values hidden from its viewer; it cannot be saved.")
        self.search_name = f"{self.first_name} {self.last_name}".strip().lower()
        super().save(*args, **kwargs)


class ClientGroupObjectPermission(GroupObjectPermissionBase):
    """django-guardian direct foreign key: agency groups that serve the client (DESIGN
    conv. 3). One row per agency and client, never per user."""

    content_object = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="agency_grants")


class Household(models.Model):
    """People covered together, e.g. by one ROI (C1) and one enrollment (issue 4)."""

    household_id = models.CharField(max_length=8, unique=True, default=new_client_id, editable=False)
    entered_by_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    # C12: who lives with whom is shared by the consent of the intake that recorded it.
    consent = models.ForeignKey("consent.Roi", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Household {format_client_id(self.household_id)}"


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="household_memberships")
    is_head = models.BooleanField("head of household", default=False)
    joined_on = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "client"], name="one_membership_per_household")]

    def __str__(self):
        return f"{self.client} in {self.household}"


class Correction(models.Model):
    """D6: a value marked inaccurate or incomplete and supplemented; never a silent
    overwrite. Values of the SSN are kept masked."""

    class Kind(models.TextChoices):
        INACCURATE = "inaccurate", "Inaccurate"
        INCOMPLETE = "incomplete", "Incomplete"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=40)
    field_label = models.CharField(max_length=80)
    previous_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    # C12: the correcting agency's consent covering the new value (null: shared with nobody else).
    consent = models.ForeignKey("consent.Roi", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-corrected_at"]

    def __str__(self):
        return f"Correction of {self.field_label} for {self.client}"


# --- Case notes and files (issue 21) ---------------------------------------------------
class CaseNote(models.Model):
    """A case worker's note on a client, optionally on one of their stays.

    Shared like every other record (C12): it carries the agency that wrote it and the
    consent that covered its date, and the C10 part "Documents and notes" can lock it
    (consent/visibility.py: note_visible, visible_notes). Append-only (D6): a note is
    never edited; its agency adds a correction (``corrects``) marked inaccurate or
    incomplete, and both stay on file."""

    class Kind(models.TextChoices):
        INACCURATE = "inaccurate", "Inaccurate"
        INCOMPLETE = "incomplete", "Incomplete"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="case_notes")
    enrollment = models.ForeignKey("enrollments.Enrollment", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="case_notes")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # C12: the writing agency's consent covering the note's date (null: an approved ROI gap, shared with nobody).
    consent = models.ForeignKey("consent.Roi", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note_date = models.DateField("date of the contact")
    text = models.TextField()
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="corrections")
    correction_kind = models.CharField(max_length=12, choices=Kind.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-note_date", "-created_at", "-pk"]
        indexes = [models.Index(fields=["client", "note_date"], name="case_note_client_date")]

    def __str__(self):  # never the text or the client's name (E1)
        return f"Case note {self.pk}"


def client_file_path(instance, filename):
    # E1: never the uploaded name, which may carry the client's name.
    return f"client-files/{instance.uuid}.bin"


class ClientFile(models.Model):
    """A document uploaded to a client or one of their stays (issue 21). Checked by
    content and size and quarantined until the virus scanner finds it clean (E5);
    shared by C12 and lockable (C10) exactly like a case note."""

    class ScanResult(models.TextChoices):
        CLEAN = "clean", "No virus found"
        NOT_SCANNED = "not_scanned", "Quarantined: awaiting a virus scan"
        INFECTED = "infected", "Virus found: the file was deleted"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="files")
    enrollment = models.ForeignKey("enrollments.Enrollment", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="files")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey("consent.Roi", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The name the person's file had: shown on the page, never used to store or send it.
    display_name = models.CharField(max_length=200)
    description = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=client_file_path)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    scan_result = models.CharField(max_length=12, choices=ScanResult.choices)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"Client file {self.uuid}"

    @property
    def download_name(self) -> str:
        """E1: the HMIS Client ID and the file's number, never the uploaded name."""
        extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/tiff": "tif"}
        return f"client-{self.client.client_id}-file-{self.pk}.{extension.get(self.content_type, 'bin')}"


# --- Merges of duplicate records (issue 21) ---------------------------------------------
class ClientMerge(models.Model):
    """The HMIS Lead merged ``duplicate`` into ``survivor`` (clients/merge.py). ``moved`` lists
    exactly the rows that were moved, as [model label, pk, field], so an undo within
    UNDO_DAYS puts back those rows and no others; ``kept`` lists the duplicate's rows left
    where they were because the survivor already had their equal (one permission row per
    agency group and client, one membership per household, one consent link per ROI)."""

    survivor = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    duplicate = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    moved = models.JSONField(default=list, editable=False)
    kept = models.JSONField(default=list, editable=False)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["duplicate"], condition=models.Q(undone_at__isnull=True),
                                               name="one_active_merge_per_duplicate")]

    def __str__(self):  # Client IDs only (E1)
        return f"Merge of {self.duplicate} into {self.survivor}"
