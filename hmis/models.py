"""Core models: the person who signs in, and the audit entry every action writes."""

from auditlog.models import AbstractLogEntry
from django.contrib.auth.models import AbstractUser
from django.db import models

from .gate import GateQuerySet


class User(AbstractUser):
    """A person who signs in. What they may do comes from their licenses (agencies.License).

    ``is_system_admin`` marks HMIS Lead system administrators (T3): they act across
    every agency. ``is_superuser`` is only for Django's own admin site.
    """

    is_system_admin = models.BooleanField(
        "HMIS Lead system administrator",
        default=False,
        help_text="System administrators of the HMIS Lead manage every CoC and agency.",
    )
    password_change_required = models.BooleanField(
        default=False,
        help_text="Set when an administrator set the password; the person chooses their own.",
    )
    # U2: a returning user repeats the training; only what they did after this counts.
    training_reset_at = models.DateTimeField(null=True, blank=True)
    # U8: the one session allowed to act for this user; a newer sign-in replaces it.
    current_session_key = models.CharField(max_length=64, blank=True, editable=False)
    # Bumped by every change to what the sign-in gate reads for this person (licenses,
    # agencies, agreements, training, CoC idle lock, devices, alerts): the session's cached
    # gate state is used only while it is unchanged (hmis/gate.py).
    gate_version = models.PositiveIntegerField(default=0, editable=False)

    # H3: the people another system's HMIS CSV names in User.csv are kept as the authors of the
    # records they entered (UserID of every record). They cannot sign in: inactive, no usable
    # password, no license, and no access request may take their username (agencies/services.py).
    is_record_author = models.BooleanField(
        "record author from an imported HMIS CSV", default=False, editable=False,
        help_text="Named in another system's User.csv; kept as the author of the records they entered. Cannot sign in.")
    phone = models.CharField("phone (HMIS CSV UserPhone)", max_length=10, blank=True)
    phone_extension = models.CharField("extension (HMIS CSV UserExtension)", max_length=5, blank=True)
    # User.csv DateUpdated as the source had it (date_joined keeps its DateCreated); empty for our own.
    record_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # User.csv UserID as the source had it, when no other user here already exports under it
    # (reports/hmis_csv/source_ids.py); our own users export their pk.
    hud_id = models.CharField("UserID in the HMIS CSV it came from", max_length=32, null=True, blank=True, unique=True,
                              editable=False)

    audit_exclude = ["password", "last_login", "current_session_key", "gate_version"]

    class Meta:
        ordering = ["username"]

    def __str__(self):
        return self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # gate_version is only ever bumped in SQL (hmis/gate.py::bump). A full save of an
        # instance loaded before a bump must not write the old number back, or the
        # session's stale gate state would pass for current.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "gate_version" and f.attname not in deferred]
        super().save(*args, **kwargs)


class AuditEntry(AbstractLogEntry):
    """django-auditlog's entry, plus the agency context the actor worked in.

    Reads are ``Action.ACCESS`` entries with ``access_kind`` saying how the record
    was seen (viewed, printed, exported, SSN revealed, document downloaded).
    ``client_ref`` holds the HMIS Client ID of the client concerned, so a client's
    audit printout (R2) is one indexed query across every model.
    """

    class AccessKind(models.TextChoices):
        VIEW = "view", "Viewed"
        PRINT = "print", "Printed"
        EXPORT = "export", "Exported"
        REVEAL = "reveal", "Revealed a masked value"
        DOWNLOAD = "download", "Downloaded a document"
        API = "api", "Read through the API"
        SEARCH = "search", "Shown in search results"

    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    access_kind = models.CharField(max_length=16, choices=AccessKind.choices, blank=True)
    client_ref = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta(AbstractLogEntry.Meta):
        swappable = "AUDITLOG_LOGENTRY_MODEL"
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"


class Notification(models.Model):
    """An in-app alert. Its text never names a client: only the HMIS Client ID (E1)."""

    objects = GateQuerySet.as_manager()  # the header's unread count is cached (hmis/gate.py)

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=150)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=200, blank=True)
    # Same key twice means the same alert: periodic jobs can run twice safely.
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~models.Q(dedupe_key=""), name="notification_once"
            )
        ]

    def __str__(self):
        return self.subject


class ApiToken(models.Model):
    """A bearer token for the JSON API, acting as one person at one agency.

    Only a SHA-256 of the token is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The agency context the token acts in (empty only for system administrators).",
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = ["key_hash", "last_used_at"]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"API token {self.prefix} ({self.name})"


class SystemState(models.Model):
    """Facts about this installation, one row each, never client data: the fingerprint of
    the PII key that wrote the database (hmis/keys.py) and the Celery worker's last
    heartbeat (hmis/health.py)."""

    PII_KEY_FINGERPRINT = "pii_key_fingerprint"
    WORKER_HEARTBEAT = "worker_heartbeat"

    name = models.CharField(max_length=50, primary_key=True)
    value = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.name
