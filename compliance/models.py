"""Training gates (U2, U3, U5) and yearly recertification (U4)."""

from django.conf import settings
from django.db import models


class TrainingModule(models.Model):
    """A course with a short quiz; passing_score is the percent of right answers needed."""

    code = models.SlugField(unique=True)
    title = models.CharField(max_length=150)
    body = models.TextField()
    questions = models.JSONField(help_text='[{"q": "...", "choices": ["..", ".."], "answer": 0}, ...]')
    passing_score = models.PositiveSmallIntegerField(default=80)
    recertify_yearly = models.BooleanField(default=False, help_text="Redone each HUD fiscal year (U4).")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title


class TrainingAttempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_attempts")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="attempts")
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    fiscal_year = models.PositiveSmallIntegerField()
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_at"]

    def __str__(self):
        return f"{self.module} by {self.user}: {self.score}%"


class UserAgreementSignature(models.Model):
    """The User Policy and Responsibilities Agreement, every policy ticked, each year."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="user_agreements")
    fiscal_year = models.PositiveSmallIntegerField()
    policies = models.JSONField()
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self):
        return f"User agreement of {self.user}, FY{self.fiscal_year}"


class PracticeCase(models.Model):
    """U2, U5: one segment of the practice case for a project type, reviewed by the HMIS Lead."""

    class Segment(models.TextChoices):
        ENTRY = "entry", "Entry"
        UPDATE = "update", "Update"
        EXIT = "exit", "Exit"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for review"
        PASSED = "passed", "Passed"
        FAILED = "failed", "Needs another try"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_cases")
    project_type = models.PositiveSmallIntegerField()
    segment = models.CharField(max_length=10, choices=Segment.choices)
    work = models.TextField("what you entered for the practice client")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"Practice case {self.get_segment_display()} ({self.project_type}) of {self.user}"


class AccessDecision(models.Model):
    """U3: after repeated practice-case failures the HMIS Lead refuses access (the person
    may reapply after the CoC's wait) or grants provisional access for 30 days."""

    class Kind(models.TextChoices):
        REFUSED = "refused", "Access refused"
        PROVISIONAL = "provisional", "Provisional access"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_decisions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    until = models.DateField(help_text="End of provisional access, or the first day the person may reapply.")
    note = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user} until {self.until}"


class ClientRightsRequest(models.Model):
    """R1, R2: a client's written request for a copy of their information or an audit
    of who accessed it; due within 5 business days."""

    class Kind(models.TextChoices):
        COPY = "copy", "A copy of their personal information (R1)"
        AUDIT = "audit", "An audit of who viewed, printed, exported or changed their record (R2)"

    class Language(models.TextChoices):
        EN = "en", "English"
        ES = "es", "Español"

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="rights_requests")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    received_on = models.DateField("written request received on")
    due_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.client}"
