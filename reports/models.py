"""Records of HMIS CSV imports and of HUD report runs."""

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """One HMIS CSV import. HMIS CSV carries no consent, so the HMIS Lead chooses the
    sharing state of the imported clients; the choice is kept here (C1)."""

    class Sharing(models.TextChoices):
        LOCKED = "locked", "Locked to the agency that owns each record (default)"
        SERVING = "serving", "Not shared: seen only by the agencies that served each client"

    class Status(models.TextChoices):
        REJECTED = "rejected", "Rejected: nothing was loaded"
        LOADED = "loaded", "Loaded"

    file_name = models.CharField(max_length=255)
    source = models.CharField(max_length=200, blank=True)
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.LOCKED)
    status = models.CharField(max_length=10, choices=Status.choices)
    problems = models.JSONField(default=list, help_text="[file, line, column, message, severity]")
    counts = models.JSONField(default=dict)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-run_at"]

    @property
    def errors(self):
        return [p for p in self.problems if p[4] == "error"]

    @property
    def warnings(self):
        return [p for p in self.problems if p[4] == "warning"]


class ExternalKey(models.Model):
    """Which local row an ID of another system's export became, so re-importing the
    same export updates rows instead of duplicating them."""

    source = models.CharField(max_length=200)
    file = models.CharField(max_length=40)
    external_id = models.CharField(max_length=32)
    local_id = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "file", "external_id"], name="one_local_row_per_key")]
