"""Tenancy (T1–T5): the HMIS Lead, its CoCs and their policy switches, partner
agencies, their projects, and the licenses that let people work at an agency."""

import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from hmis.gate import GateQuerySet

from .hud_lists import FundingSource, ProjectType

COC_CODE_PATTERN = re.compile(r"^[A-Z]{2}-\d{3}$")


def validate_coc_code(value: str) -> None:
    if not COC_CODE_PATTERN.match(value or ""):
        raise ValidationError(
            "Enter the HUD CoC code as two capital letters, a hyphen and three digits, "
            "for example MO-500."
        )


class HmisLead(models.Model):
    """The organization that runs this HMIS implementation (T1). One per installation."""

    name = models.CharField(max_length=200)
    email = models.EmailField("help desk email", blank=True)
    phone = models.CharField("help desk phone", max_length=40, blank=True)

    class Meta:
        verbose_name = "HMIS Lead"
        constraints = [
            # T1: one installation serves one HMIS implementation.
            models.CheckConstraint(condition=Q(id=1), name="hmis_lead_singleton"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)


class Coc(models.Model):
    """A Continuum of Care with its own policy switches (RULES.md section P)."""

    objects = GateQuerySet.as_manager()  # bulk writes bump the gate version (hmis/gate.py)

    class NoSharingPolicy(models.TextChoices):
        NO_RECORD = "no_record", "No record: nothing about the client is stored"
        LOCKED_RECORD = "locked_record", "Locked record: visible to the entering agency only"

    lead = models.ForeignKey(HmisLead, on_delete=models.PROTECT, related_name="cocs")
    code = models.CharField("HUD CoC code", max_length=6, unique=True, validators=[validate_coc_code])
    name = models.CharField(max_length=200)

    # --- Policy switches (P); defaults are RULES.md's. ---------------------
    no_sharing_policy = models.CharField(
        max_length=20, choices=NoSharingPolicy.choices, default=NoSharingPolicy.NO_RECORD
    )
    roi_validity_months = models.PositiveSmallIntegerField(
        "ROI validity (months)", default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    timeliness_hours = models.PositiveSmallIntegerField(
        "data entry deadline (hours)", default=72, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    idle_lock_minutes = models.PositiveSmallIntegerField(
        "idle lock (minutes)", default=15, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    practice_case_attempts = models.PositiveSmallIntegerField(
        "practice case attempts before refusal", default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reapply_wait_months = models.PositiveSmallIntegerField(
        "wait before a refused person may reapply (months)", default=6,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    opt_out_alert_threshold = models.PositiveSmallIntegerField(
        "opted-out clients served at once before an alert", default=2,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    roi_expiry_warning_days = models.PositiveSmallIntegerField(
        "warn this many days before an ROI expires", default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    # C13: sharing stays inside the CoC of the agency that entered the data; CoCs given
    # the same group name share with each other (consent/visibility.py::reach).
    sharing_group = models.CharField(
        "sharing group", max_length=50, blank=True,
        help_text="Blank: this CoC shares with no other CoC. CoCs with the same group name share client "
                  "data with each other, under each client's consent (C13).",
    )

    class Meta:
        verbose_name = "Continuum of Care"
        verbose_name_plural = "Continuums of Care"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Agency(models.Model):
    """A partner agency participating in one or more CoCs (T2)."""

    objects = GateQuerySet.as_manager()  # bulk writes bump the gate version (hmis/gate.py)

    class Status(models.TextChoices):
        ONBOARDING = "onboarding", "Onboarding"
        PARTICIPATING = "participating", "Participating"
        PROBATION = "probation", "On probation"
        SUSPENDED = "suspended", "Suspended"
        TERMINATED = "terminated", "Terminated"

    class RoiScope(models.TextChoices):
        AGENCY = "agency", "One ROI covers every project of the agency"
        PROJECT = "project", "An ROI per project enrollment"

    name = models.CharField(max_length=200, unique=True)
    cocs = models.ManyToManyField(Coc, related_name="agencies", verbose_name="Continuums of Care")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ONBOARDING)
    is_victim_service_provider = models.BooleanField(
        "victim service provider",
        default=False,
        help_text="VAWA: victim service providers never enter client data into the HMIS (A6).",
    )
    hipaa_covered = models.BooleanField("HIPAA covered entity", default=False)
    privacy_notice_url = models.URLField("where the privacy notice is published", blank=True)
    consumer_notice_posted = models.BooleanField(default=False)
    roi_scope = models.CharField(
        "ROI scope", max_length=10, choices=RoiScope.choices, default=RoiScope.AGENCY
    )
    # A4: voluntary termination, noticed at least 30 days ahead.
    termination_date = models.DateField(null=True, blank=True)
    termination_noticed_on = models.DateField(null=True, blank=True)
    termination_noticed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # R3: whom clients contact to file a grievance (printed on letters to clients).
    grievance_contact_name = models.CharField(max_length=150, blank=True)
    grievance_contact_phone = models.CharField(max_length=40, blank=True)
    grievance_contact_email = models.EmailField(blank=True)
    data_monitoring_plan = models.TextField(blank=True, help_text="D4: how the agency watches its data quality.")
    plan_updated_at = models.DateTimeField(null=True, blank=True)
    plan_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Object permissions are granted to this group, never to single users (DESIGN conv. 3).
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_m2m = ["cocs"]

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def grievance_contact(self) -> str:
        parts = [self.grievance_contact_name, self.grievance_contact_phone, self.grievance_contact_email]
        return ", ".join(p for p in parts if p)

    @property
    def may_use_hmis(self) -> bool:
        return self.status in {self.Status.ONBOARDING, self.Status.PARTICIPATING, self.Status.PROBATION}

    @cached_property
    def agreement_status(self) -> str:
        from .agreements import status_of

        return status_of(self)

    @property
    def agreement_signed(self) -> bool:
        """A1: nobody at the agency uses the HMIS before the first signature."""
        from .agreements import UNSIGNED

        return self.agreement_status != UNSIGNED

    @property
    def agreement_allows_data_entry(self) -> bool:
        """A2: a lapsed agreement stops data entry until it is renewed."""
        from .agreements import CURRENT, RENEWAL_DUE

        return self.agreement_status in (CURRENT, RENEWAL_DUE)


class Project(models.Model):
    """A project run by an agency in one CoC (T2)."""

    objects = GateQuerySet.as_manager()  # bulk writes bump the gate version (hmis/gate.py)

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="projects")
    coc = models.ForeignKey(Coc, on_delete=models.PROTECT, related_name="projects", verbose_name="CoC")
    name = models.CharField(max_length=200)
    project_type = models.PositiveSmallIntegerField("HUD project type", choices=ProjectType.choices)
    operating_start = models.DateField("operating start date")
    operating_end = models.DateField("operating end date", null=True, blank=True)
    protected = models.BooleanField(
        default=False,
        help_text=(
            "A protected project shares nothing beyond basic identifiers; other agencies "
            "cannot see that a client is enrolled here (A7)."
        ),
    )
    # D2: program-specific elements the HMIS Lead chose; None = defaults (agencies/requirements.py).
    required_elements = models.JSONField(null=True, blank=True, editable=False)
    # A11: set when a monitoring finding on this project was not cured in 30 days.
    access_closed_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="project_name_unique_per_agency"),
            models.CheckConstraint(
                condition=Q(operating_end__isnull=True) | Q(operating_end__gte=models.F("operating_start")),
                name="project_end_not_before_start",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.operating_end and self.operating_start and self.operating_end < self.operating_start:
            raise ValidationError({"operating_end": "The end date cannot be before the start date."})
        if self.agency_id and self.coc_id and not self.agency.cocs.filter(pk=self.coc_id).exists():
            raise ValidationError({"coc": "The agency does not participate in this CoC."})


class ProjectFunder(models.Model):
    """A funding source of a project (2.06)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funders")
    funder = models.PositiveSmallIntegerField(choices=FundingSource.choices)
    other_funder = models.CharField(
        "other funder", max_length=100, blank=True, help_text="Required for local or other funding."
    )
    grant_id = models.CharField("grant ID", max_length=100, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start_date"]

    def __str__(self):
        return self.get_funder_display()

    def clean(self):
        if self.funder == FundingSource.LOCAL_OTHER and not self.other_funder:
            raise ValidationError({"other_funder": "Name the local or other funding source."})
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date cannot be before the start date."})


class License(models.Model):
    """What one person may do at one agency (T3, T4): role, access level, projects."""

    objects = GateQuerySet.as_manager()  # bulk writes bump the gate version (hmis/gate.py)

    class Role(models.TextChoices):
        EXECUTIVE_DIRECTOR = "executive_director", "Executive Director"
        AUTHORIZED_REPRESENTATIVE = "authorized_representative", "Authorized Representative"
        DESIGNATED_CONTACT = "designated_contact", "Designated Contact"
        END_USER = "end_user", "End User"

    class AccessLevel(models.TextChoices):
        FULL = "full", "Full access"
        VIEW_ONLY = "view_only", "View only"
        REPORTING_ONLY = "reporting_only", "Reporting only"
        RESEARCHER = "researcher", "Researcher (aggregated, de-identified data only)"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="licenses")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="licenses")
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.END_USER)
    access_level = models.CharField(max_length=20, choices=AccessLevel.choices, default=AccessLevel.FULL)
    # T5: end users reach only these projects for data entry.
    projects = models.ManyToManyField(
        Project, blank=True, related_name="licenses", verbose_name="assigned projects"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(max_length=300, blank=True)
    # U6: when the person left or stopped needing access, and when access ended.
    left_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_late = models.BooleanField(default=False)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # U1: a license comes from an authorized representative's User Access Request; when
    # the HMIS Lead grants one without it, the Lead's reason is kept (shown on the person's page).
    grant_override_reason = models.CharField(
        "reason for granting without a User Access Request", max_length=300, blank=True)

    audit_m2m = ["projects"]

    class Meta:
        ordering = ["agency__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_license_per_person_per_agency"),
        ]

    def __str__(self):
        return f"{self.user} at {self.agency}"

    @property
    def is_active(self) -> bool:
        """Usable for the HMIS's work: an active license at an agency that participates
        and has signed its partner agreement (A1), held by a trained person (U2)."""
        return (self.status == self.Status.ACTIVE and self.agency.may_use_hmis and self.agency.agreement_signed
                and self.user_trained)

    @cached_property
    def user_trained(self) -> bool:
        """U2, U4: credentials are usable once training, practice cases and the user
        agreement are done, and redone each fiscal year (compliance/training.py)."""
        from compliance.training import training_complete

        return training_complete(self.user)

    @property
    def can_enter_data(self) -> bool:
        return (
            self.is_active
            and self.access_level == self.AccessLevel.FULL
            and not self.agency.is_victim_service_provider
            and self.agency.agreement_allows_data_entry
        )


class UserAccessRequest(models.Model):
    """U1: an authorized representative asks for a user account; the HMIS Lead decides."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting the HMIS Lead"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="access_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.EmailField()
    username = models.CharField(max_length=150, help_text="The sign-in name the person will use.")
    role = models.CharField(max_length=32, choices=License.Role.choices, default=License.Role.END_USER)
    access_level = models.CharField(max_length=20, choices=License.AccessLevel.choices, default=License.AccessLevel.FULL)
    projects = models.ManyToManyField(Project, blank=True, related_name="+")
    reason = models.CharField("why the person needs access", max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=300, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    audit_m2m = ["projects"]

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Access request {self.pk} ({self.username} at {self.agency})"


class AgreementVersion(models.Model):
    """A1: the Agency Partner Agreement text the HMIS Lead keeps, versioned."""

    version = models.CharField(max_length=20, unique=True)
    text = models.TextField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_at"]

    def __str__(self):
        return f"Agency Partner Agreement {self.version}"


class AgreementSignature(models.Model):
    """A1, A2: who signed which text for the agency, when, from where; yearly."""

    objects = GateQuerySet.as_manager()  # bulk writes bump the gate version (hmis/gate.py)

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="signatures")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="signatures")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signer_name = models.CharField("typed name", max_length=150)
    signer_title = models.CharField("title", max_length=150)
    signed_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    text_signed = models.TextField()
    fiscal_year = models.PositiveSmallIntegerField("HUD fiscal year")

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self):
        return f"APA {self.version.version} signed for {self.agency} (FY{self.fiscal_year})"


class AccessApplication(models.Model):
    """A9: an organization not funded for homeless services applies for HMIS access."""

    CRITERIA = {
        "1.1": "The need cannot be met with existing reports or data pulls",
        "1.2": "The request is for on-going access",
        "1.3": "It relates directly to a funding requirement or a homeless services provider",
        "1.4": "The requester works directly with people experiencing homelessness",
        "1.5": "The CAN named, if any, takes part in the decision",
        "1.6": "The access level will be written in the MOU",
        "1.7": "The requester will take HMIS training",
        "1.8": "The access contributes to ending homelessness",
        "1.9": "A researcher's request is limited to aggregated, de-identified data where possible",
        "1.10": "The requester is in good standing, with no HMIS access revoked before",
    }

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for the criteria review"
        READY = "ready", "Meets the core criteria: the HMIS Lead decides"
        STEERING = "steering", "Sent to the steering committee"
        APPROVED = "approved", "Approved, MOU recorded"
        REFUSED = "refused", "Refused"

    organization = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    purpose = models.TextField("purpose of the request (3.1)")
    contribution = models.TextField("how access helps end homelessness (3.2)")
    program = models.CharField("program, department and staff requesting access (3.3)", max_length=300)
    access_level = models.CharField(max_length=20, choices=License.AccessLevel.choices)
    can_name = models.CharField("Coordinated Access Network named, if any", max_length=150, blank=True)
    one_time = models.BooleanField("asks for one-time access only", default=False)
    criteria = models.JSONField(default=dict, blank=True)
    high_abuse_potential = models.BooleanField(default=False)
    can_involved = models.BooleanField("CAN leadership informed and involved", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.CharField(max_length=300, blank=True)
    mou_signed_on = models.DateField("MOU signed on", null=True, blank=True)
    mou_access_level = models.CharField(max_length=20, choices=License.AccessLevel.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"Access application of {self.organization}"

    @property
    def criteria_rows(self):
        return [(code, label, self.criteria.get(code)) for code, label in self.CRITERIA.items()]
