"""Training gates (U2, U3, U5) and yearly recertification (U4)."""

from django.conf import settings
from django.db import models

from hmis.gate import GateQuerySet


class TrainingModule(models.Model):
    """A course with a short quiz; passing_score is the percent of right answers needed."""

    objects = GateQuerySet.as_manager()  # bulk writes bump the gate version (hmis/gate.py)

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
    objects = GateQuerySet.as_manager()  # bulk writes bump the gate version (hmis/gate.py)

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

    objects = GateQuerySet.as_manager()  # bulk writes bump the gate version (hmis/gate.py)

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

    objects = GateQuerySet.as_manager()  # bulk writes bump the gate version (hmis/gate.py)

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

    objects = GateQuerySet.as_manager()  # bulk writes bump the gate version (hmis/gate.py)

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
        CORRECTION = "correction", "A correction of their information (D6)"

    class Language(models.TextChoices):
        EN = "en", "English"
        ES = "es", "Español"

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="rights_requests")
    # The agency that produces the printout: the one serving the client. A client may hand the
    # request in at any participating agency or to the HMIS Lead (client fact sheet, seed 000):
    # ``taken_at`` is then the agency that took it (None: the HMIS Lead, or this agency itself).
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    taken_at = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                 verbose_name="taken at another agency")
    taken_by_hmis_lead = models.BooleanField(default=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    received_on = models.DateField("written request received on")
    due_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    details = models.TextField("what the client says is wrong, and what it should say", blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField("what was done", max_length=300, blank=True)

    class Meta:
        ordering = ["due_on"]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.client}"


class CommitteeItem(models.Model):
    """Something the advisory committee must be told at its next meeting (S1, A11, A12);
    the agenda lists the items not yet told."""

    committee_told_on = models.DateField("told the advisory committee on", null=True, blank=True)

    class Meta:
        abstract = True


class Violation(CommitteeItem):
    """S1: a violation of HMIS policy by a person at an agency. Violations never expire
    and the tier counts the person's whole history, across every agency."""

    class PanelDecision(models.TextChoices):
        KEEP = "keep", "The person keeps the license"
        END = "end", "The license is ended"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="violations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="violations")
    occurred_on = models.DateField()
    description = models.TextField("what happened")
    is_law_violation = models.BooleanField("a violation of law", default=False)
    tier = models.PositiveSmallIntegerField(help_text="1st, 2nd, 3rd and later; a violation of law counts as 3rd.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    suspended_on = models.DateField()
    minimum_until = models.DateField(null=True, blank=True, help_text="2nd and later: 30 days the remedy does not shorten.")
    remedy_reported_at = models.DateTimeField(null=True, blank=True)
    remedy = models.TextField("action the agency took to remedy it", blank=True)
    training_given_on = models.DateField(null=True, blank=True)
    panel_decision = models.CharField(max_length=4, choices=PanelDecision.choices, blank=True)
    panel_decided_on = models.DateField(null=True, blank=True)
    panel_note = models.CharField(max_length=300, blank=True)
    lifted_at = models.DateTimeField("suspension lifted at", null=True, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self):
        return f"Violation ({self.tier_label}) by {self.user}"

    @property
    def tier_label(self) -> str:
        return {1: "1st", 2: "2nd"}.get(self.tier, "3rd or later")

    @property
    def is_open(self) -> bool:
        return self.lifted_at is None


class Investigation(CommitteeItem):
    """S2, S3: access taken away at once pending review. For improper access to client
    data (S3) the affected clients are found from the access log and notified."""

    class Kind(models.TextChoices):
        IMPROPER_ACCESS = "improper_access", "Improper access to client data (S3)"
        OTHER = "other", "Other concern, access revoked pending review (S2)"

    class Status(models.TextChoices):
        OPEN = "open", "Suspended pending investigation"
        PLAN = "plan", "Agency plan submitted"
        GOVERNANCE = "governance", "With the governance committee"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        REINSTATED = "reinstated", "The person keeps access"
        ENDED = "ended", "Access ended"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="investigations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="investigations")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.IMPROPER_ACCESS)
    concern = models.TextField("what is suspected")
    access_from = models.DateField("look at the access log from", null=True, blank=True)
    access_to = models.DateField("to", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    agency_plan = models.TextField("the agency's plan to keep the person", blank=True)
    plan_submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    plan_submitted_at = models.DateTimeField(null=True, blank=True)
    lead_note = models.CharField("HMIS Lead's reason", max_length=300, blank=True)
    governance_note = models.CharField("governance committee's decision", max_length=300, blank=True)
    governance_decided_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self):
        return f"Investigation of {self.user} ({self.get_status_display()})"


class AffectedClient(models.Model):
    """S3: a client whose record the person opened during the investigated period."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="affected")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    accesses = models.PositiveIntegerField()
    first_access_at = models.DateTimeField()
    last_access_at = models.DateTimeField()
    letter_produced_at = models.DateTimeField(null=True, blank=True)
    notified_on = models.DateField(null=True, blank=True)
    not_reachable = models.BooleanField("could not be reached", default=False)

    class Meta:
        ordering = ["first_access_at"]
        constraints = [models.UniqueConstraint(fields=["investigation", "client"], name="one_row_per_affected_client")]


class Breach(CommitteeItem):
    """A10: a data breach, reported by the agency within 24 hours of knowing. It puts
    the agency on probation until the HMIS Lead finds it compliant."""

    REPORT_WITHIN_HOURS = 24

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="breaches")
    discovered_at = models.DateTimeField("when the agency knew of it")
    description = models.TextField("what happened")
    clients_affected = models.PositiveIntegerField("how many clients are affected, if known", null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    reported_late = models.BooleanField(default=False)
    further_breach = models.BooleanField(default=False, help_text="Reported while the agency was on probation.")
    resolved_at = models.DateTimeField("agency found compliant at", null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name_plural = "breaches"

    def __str__(self):
        return f"Breach at {self.agency} reported {self.reported_at:%m/%d/%Y}"


class MonitoringVisit(CommitteeItem):
    """A11: the yearly monitoring visit (TAA), its findings, the compliance letter and
    the 30-day cure period."""

    NOTICE_DAYS = 14
    LETTER_BUSINESS_DAYS = 10
    CURE_DAYS = 30

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="monitoring_visits")
    fiscal_year = models.PositiveSmallIntegerField("HUD fiscal year")
    visit_on = models.DateField("visit date")
    noticed_on = models.DateField("agency told on")
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    findings_recorded_at = models.DateTimeField(null=True, blank=True)
    letter_due_on = models.DateField(null=True, blank=True)
    letter_sent_on = models.DateField(null=True, blank=True)
    letter_sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cure_due_on = models.DateField(null=True, blank=True)
    cured_on = models.DateField(null=True, blank=True)
    access_closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-visit_on"]

    def __str__(self):
        return f"Monitoring of {self.agency} on {self.visit_on:%m/%d/%Y}"

    @property
    def compliant(self) -> bool | None:
        """None until findings are recorded."""
        if self.findings_recorded_at is None:
            return None
        return all(f.compliant for f in self.findings.all())


class MonitoringFinding(models.Model):
    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="findings")
    description = models.TextField("finding")
    compliant = models.BooleanField()
    corrective_action = models.TextField("what the agency must do", blank=True)
    projects = models.ManyToManyField("agencies.Project", blank=True, related_name="+",
                                      help_text="Leave empty for an agency-wide finding.")

    audit_m2m = ["projects"]

    class Meta:
        ordering = ["pk"]


class CleanupNotice(CommitteeItem):
    """A12: a data clean-up or catch-up notice with a deadline. Missed: a letter of
    non-compliance and 30 more days before funders and the committee are told."""

    ESCALATION_DAYS = 30

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="cleanup_notices")
    project = models.ForeignKey("agencies.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.TextField("what must be cleaned up or caught up")
    issued_on = models.DateField()
    deadline = models.DateField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField(null=True, blank=True)
    noncompliance_letter_on = models.DateField(null=True, blank=True)
    escalation_due_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField("funders and committee told on", null=True, blank=True)

    class Meta:
        ordering = ["deadline"]

    def __str__(self):
        return f"Clean-up notice to {self.agency}, due {self.deadline:%m/%d/%Y}"


class Grievance(models.Model):
    """R3: a client's grievance, routed to the agency's grievance contact."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="grievances")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="grievances")
    received_on = models.DateField()
    description = models.TextField("the client's grievance")
    routed_to = models.CharField("grievance contact at the time", max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField("how it was resolved", blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_on", "-pk"]


class DataRequest(models.Model):
    """E2, E4: a custom data request. The answers decide whether CoC approval is needed."""

    class Requester(models.TextChoices):
        AGENCY = "agency", "A partner agency"
        FUNDER = "funder", "A funder"
        COMMITTEE = "committee", "A CoC committee"
        OUTSIDE = "outside", "An agency or entity outside the CoC"

    class Level(models.TextChoices):
        COC = "coc", "CoC-level aggregates"
        PROJECT = "project", "Project- or agency-level aggregates"
        CLIENT = "client", "Client-level records"

    class Status(models.TextChoices):
        REFUSED = "refused", "Refused"
        REVIEW = "review", "With the HMIS Lead"
        COC = "coc", "Waiting for CoC approval"
        APPROVED = "approved", "Approved, in the report queue"
        DENIED = "denied", "Denied"
        DELIVERED = "delivered", "Delivered"

    requester_kind = models.CharField("who is asking", max_length=10, choices=Requester.choices)
    requester_name = models.CharField("requester's name", max_length=150)
    organization = models.CharField(max_length=200)
    email = models.EmailField()
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="data_requests")
    purpose = models.TextField("what the data is for")
    level = models.CharField("level of detail", max_length=10, choices=Level.choices)
    identifying = models.BooleanField("includes personally identifying client information", default=False)
    other_agencies = models.BooleanField("includes clients served by projects of other agencies", default=False)
    funds_all_projects = models.BooleanField("the funder funds every project asked about", default=False)
    shared_outside = models.BooleanField("the data will be given to someone outside the agency", default=False)
    law_enforcement = models.BooleanField("the purpose is to locate or track people for law enforcement", default=False)
    needs_coc_approval = models.BooleanField(default=False)
    approval_reasons = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices)
    status_reason = models.CharField(max_length=300, blank=True)
    expected_delivery_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"Data request from {self.organization}"


class RetentionRun(models.Model):
    """D7, C8: one pass of the retention job. A dry run only lists; real runs wait until
    the HMIS Lead has reviewed and approved a dry run."""

    day = models.DateField()
    dry_run = models.BooleanField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    client_ids = models.JSONField(default=list, help_text="HMIS Client IDs de-identified (or that would be).")
    document_ids = models.JSONField(default=list, help_text="ROI document UUIDs removed (or that would be).")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
