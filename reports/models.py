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
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        REJECTED = "rejected", "Rejected: nothing was loaded"
        LOADED = "loaded", "Loaded"
        FAILED = "failed", "Failed: the import stopped, nothing was loaded"

    file_name = models.CharField(max_length=255)
    source = models.CharField(max_length=200, blank=True)
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.LOCKED)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    create_cocs = models.BooleanField(default=False, help_text="The upload page's \"Create the CoCs the export names\".")
    started_at = models.DateTimeField(null=True, blank=True, help_text="When a worker started the upload's job.")
    finished_at = models.DateTimeField(null=True, blank=True)
    problems = models.JSONField(default=list, help_text="[file, line, column, message, severity]")
    counts = models.JSONField(default=dict)
    export_rows = models.JSONField(
        default=list, blank=True,
        help_text="Every Export.csv row as given ({column: value}); a merged export has several (H3).")
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-run_at"]

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def errors(self):
        return [p for p in self.problems if p[4] == "error"]

    @property
    def warnings(self):
        return [p for p in self.problems if p[4] == "warning"]

    def warning_summary(self) -> list[tuple[str, str, int]]:
        """(file, column, how many warnings), most first: what the import's page summarises."""
        from collections import Counter

        counted = Counter((file, column) for file, _, column, _, _ in self.warnings)
        return [(file, column, n) for (file, column), n in counted.most_common()]


class ExternalKey(models.Model):
    """Which local row an ID of another system's export became, so re-importing the
    same export updates rows instead of duplicating them."""

    source = models.CharField(max_length=200)
    file = models.CharField(max_length=40)
    external_id = models.CharField(max_length=32)
    local_id = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "file", "external_id"], name="one_local_row_per_key")]


class ReportRun(models.Model):
    """A HUD report (APR, CAPER, CE APR, Data Quality; the CoC's SPM, HIC, sheltered PIT or LSA) run in
    the background and kept for download. A system report's projects are the CoC's (hic_pit.coc_projects)."""

    class Kind(models.TextChoices):
        APR = "apr", "Annual Performance Report (APR)"
        CAPER = "caper", "CAPER"
        CE_APR = "ce_apr", "Coordinated Entry APR (CE APR)"
        DQ = "dq", "HUD Data Quality Report"
        SPM = "spm", "System Performance Measures (SPM)"
        HIC = "hic", "Housing Inventory Count (HIC)"
        PIT = "pit", "Sheltered Point-in-Time Count (PIT)"
        LSA = "lsa", "Longitudinal Systems Analysis (LSA)"

    class LsaScope(models.IntegerChoices):  # LSA spec 3.1
        SYSTEMWIDE = 1, "Systemwide"
        PROJECT_FOCUSED = 2, "Project-focused"
        HIC = 3, "HIC"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    projects = models.ManyToManyField("agencies.Project", related_name="+")
    start = models.DateField("report start date")
    end = models.DateField("report end date")
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="The agency context it was run in; empty for the HMIS Lead.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    tables = models.JSONField(default=list, help_text="[{code, title, columns, rows: [[label, [{v, ids}]]]}]")
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When its worker last reported progress; the periodic check fails runs gone silent.")
    # The LSA (issue 20): its CoC (ReportCoC), scope and HUD's upload checks of its files.
    coc = models.ForeignKey("agencies.Coc", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name="CoC", help_text="The LSA's ReportCoC.")
    lsa_scope = models.PositiveSmallIntegerField("LSA scope", choices=LsaScope.choices, null=True, blank=True)
    checks = models.JSONField(default=list, blank=True,
                              help_text="HUD's upload checks that failed: [{file, row, column, message, blocking, flag}]")
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker started it (a task re-delivered after a worker died starts over).")

    audit_m2m = ["projects"]

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start:%m/%d/%Y}-{self.end:%m/%d/%Y}"
