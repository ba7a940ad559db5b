"""Consent (C1–C11): releases of information, their documents, locks, the
anonymous opt-out tally, and approvals for data dated in a gap between ROIs."""

import uuid

from django.conf import settings
from django.db import models


class SharingLevel(models.TextChoices):
    FULL = "full", "Full: participating agencies see the record"
    LIMITED = "limited", "Limited: other agencies see basic identifiers only"
    NONE = "none", "No sharing"


class Roi(models.Model):
    """A Release of Information. One ROI covers every household member named on it (C1)."""

    class ConsentType(models.TextChoices):
        SIGNED = "signed", "Signed"
        VERBAL = "verbal", "Verbal"

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="rois")
    project = models.ForeignKey(
        "agencies.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="rois",
        help_text="Set when the agency records ROIs per project enrollment (C7).",
    )
    sharing_level = models.CharField(max_length=10, choices=SharingLevel.choices)
    consent_type = models.CharField(max_length=10, choices=ConsentType.choices)
    signed_on = models.DateField("date signed or given")
    expires_on = models.DateField()
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        help_text="The staff member who took the consent (C5).",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    clients = models.ManyToManyField("clients.Client", related_name="rois", blank=True)
    document = models.OneToOneField(
        "consent.RoiDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="roi"
    )
    revoked_on = models.DateField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expiry_warning_sent_on = models.DateField(null=True, blank=True)

    audit_m2m = ["clients"]

    class Meta:
        ordering = ["-signed_on", "-recorded_at"]
        verbose_name = "release of information"
        # The daily job's expiry warnings (C6): ROIs still in force and not yet warned about.
        indexes = [models.Index(fields=["expires_on"], name="roi_unwarned_expiry", condition=models.Q(
            revoked_on__isnull=True, expiry_warning_sent_on__isnull=True))]

    def __str__(self):
        return f"ROI {self.pk} ({self.sharing_level})"

    def is_active_on(self, day) -> bool:
        if self.revoked_on and self.revoked_on <= day:
            return False
        return self.signed_on <= day <= self.expires_on


def document_path(instance, filename):
    # Never the uploaded name: it may carry the client's name (E1).
    return f"roi/{instance.uuid}.bin"


class RoiDocument(models.Model):
    """A scanned consent form (E5: type by content, size, virus scan; C8: retention)."""

    class ScanResult(models.TextChoices):
        CLEAN = "clean", "No virus found"
        # E5: stored in quarantine, not downloadable until scan_documents finds it clean.
        NOT_SCANNED = "not_scanned", "Quarantined: awaiting a virus scan"
        INFECTED = "infected", "Virus found: the file was deleted"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=document_path)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    scan_result = models.CharField(max_length=12, choices=ScanResult.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    retain_until = models.DateField(null=True, blank=True, help_text="7 years after the ROI expires (C8).")
    removed_at = models.DateTimeField(null=True, blank=True, help_text="The scan was deleted by the retention job (C8).")

    def __str__(self):
        return f"ROI document {self.uuid}"

    @property
    def download_name(self) -> str:
        extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/tiff": "tif"}
        return f"roi-{self.roi.pk}.{extension.get(self.content_type, 'bin')}"


class LeadDecision(models.Model):
    """A request an agency makes and the HMIS Lead decides (C6 gaps, C10 locks)."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at"]


class ClientLock(LeadDecision):
    """Parts of a client's record seen only by one agency (C3 locked_record, C10).

    A whole-record lock also sets Client.locked_to_agency, so every query can
    exclude it with one indexed column."""

    class Part(models.TextChoices):
        RECORD = "record", "The whole record"
        DEMOGRAPHICS = "demographics", "Race, ethnicity, sex and veteran status"
        ENROLLMENTS = "enrollments", "Enrollments and services"
        DOCUMENTS = "documents", "Documents and notes"

    class Source(models.TextChoices):
        NO_SHARING_POLICY = "no_sharing_policy", "CoC policy for clients who decline sharing (C3)"
        CLIENT_REQUEST = "client_request", "Client at risk asked for it (C10)"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting HMIS Lead approval"
        ACTIVE = "active", "In force"
        DENIED = "denied", "Denied"

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="locks")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    part = models.CharField(max_length=20, choices=Part.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices)

    def __str__(self):
        return f"Lock of {self.get_part_display().lower()} for {self.client}"


class OptOutTally(models.Model):
    """C4: clients served without any record. Project, date and counts: nothing else.

    ``count`` is how many were taken in that day (utilization reports); ``staying`` how many
    were staying at the project that night (the alert counts these: "more than a set number
    of opted-out clients at the same time"). A guest taken in on Monday who stays the week is
    one on Monday's count and one on each night's ``staying``; shelters record each night's
    number, and the intake adds its guest to the nights they are expected to stay."""

    project = models.ForeignKey("agencies.Project", on_delete=models.PROTECT, related_name="opt_out_tallies")
    date = models.DateField()
    count = models.PositiveIntegerField("taken in that day", default=0)
    staying = models.PositiveIntegerField("staying that night", default=0)
    alert_sent = models.BooleanField(default=False)  # for that night's ``staying``

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "date"], name="one_tally_per_project_day")]
        ordering = ["-date"]

    def __str__(self):
        return f"{self.count} opted-out on {self.date} at {self.project}"


class GapApproval(LeadDecision):
    """C6: entering data dated between two ROIs needs the HMIS Lead's approval first."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting HMIS Lead approval"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="gap_approvals")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)

    def __str__(self):
        return f"Gap approval for {self.client} {self.starts_on}..{self.ends_on}"
