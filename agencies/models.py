"""Tenancy (T1–T5): the HMIS Lead, its CoCs and their policy switches, partner
agencies, their projects, and the licenses that let people work at an agency."""

import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from hmis.gate import GateQuerySet

from .hud_lists import (
    EMERGENCY_SHELTER_TYPES,
    RESIDENTIAL_TYPES,
    Availability,
    EsBedType,
    FundingSource,
    GeographyType,
    HmisParticipationType,
    HopwaMedAssistedLivingFac,
    HouseholdType,
    HousingType,
    NoYes,
    ProjectType,
    RrhSubType,
    TargetPopulation,
)

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


class KeptFromSource(models.Model):
    """H3: what another system's HMIS CSV said of a descriptor row that this HMIS keeps nowhere
    else, so exporting it gives back every cell: the row's own ID (``hud_id``; kept unless a
    row of the same file here already carries it, reports/hmis_csv/source_ids.py) and who
    entered it (``recorded_by``, a record author from User.csv). Rows made here have neither:
    they export their pk and the HMIS Lead's administrator."""

    hud_id = models.CharField("ID in the HMIS CSV it came from", max_length=32, null=True, blank=True, unique=True,
                              editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class Agency(KeptFromSource):
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
    # HMIS CSV Organization.OrganizationCommonName (2.01): the name people use, if different.
    common_name = models.CharField("common name", max_length=200, blank=True)
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
    # Organization.csv DateUpdated as the source had it; empty for agencies set up here.
    record_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

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


class Project(KeptFromSource):
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
    # --- Project descriptor data (H2; FY2026 HMIS Data Standards 2.02) ------------------
    common_name = models.CharField("common name", max_length=200, blank=True)
    continuum_project = models.PositiveSmallIntegerField(
        "Continuum project (2.02.5)", choices=NoYes.choices, default=NoYes.YES,
        help_text="Yes when the project serves people experiencing homelessness in the CoC.")
    rrh_subtype = models.PositiveSmallIntegerField(
        "RRH subtype (2.02.A)", choices=RrhSubType.choices, null=True, blank=True)
    residential_affiliation = models.PositiveSmallIntegerField(
        "affiliated with a residential project (2.02.B)", choices=NoYes.choices, null=True, blank=True)
    housing_type = models.PositiveSmallIntegerField(
        "housing type (2.02.D)", choices=HousingType.choices, null=True, blank=True)
    target_population = models.PositiveSmallIntegerField(
        "target population (2.02.7)", choices=TargetPopulation.choices, null=True, blank=True)
    hopwa_med_assisted_living_fac = models.PositiveSmallIntegerField(
        "HOPWA medically assisted living facility (2.02.8)", choices=HopwaMedAssistedLivingFac.choices,
        null=True, blank=True)
    pit_count = models.PositiveIntegerField(
        "PIT count", null=True, blank=True, help_text="HMIS CSV PITCount: active clients on the night of the PIT count.")
    # HMIS CSV DateCreated/DateUpdated: kept as recorded (and as an import's source had them, H3).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_exclude = ["updated_at"]

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="project_name_unique_per_agency"),
            # No CHECK that the end is not before the start: HUD's data has such projects (an HMIS CSV
            # import keeps them, with a warning, H3); Project.clean and the forms still refuse one.
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.operating_end and self.operating_start and self.operating_end < self.operating_start:
            raise ValidationError({"operating_end": "The end date cannot be before the start date."})
        if self.agency_id and self.coc_id and not self.agency.cocs.filter(pk=self.coc_id).exists():
            raise ValidationError({"coc": "The agency does not participate in this CoC."})
        problems = self.descriptor_problems(complete=False)
        if problems:
            raise ValidationError(problems)

    @property
    def is_residential(self) -> bool:
        return self.project_type in RESIDENTIAL_TYPES

    @property
    def is_services_only_rrh(self) -> bool:
        return self.project_type == ProjectType.RRH and self.rrh_subtype == RrhSubType.SERVICES_ONLY

    @property
    def may_affiliate(self) -> bool:
        """HMIS CSV Project.ResidentialAffiliation: non-null if ProjectType = 6 or
        (ProjectType = 13 and RRHSubType = 1). The brief named RRH services-only only;
        HUD's dictionary also asks it of Services Only projects (6), so both may."""
        return self.project_type == ProjectType.SERVICES_ONLY or self.is_services_only_rrh

    @property
    def takes_housing_type(self) -> bool:
        """2.02.D: residential projects; an RRH project only when it houses (subtype 2)."""
        if self.project_type == ProjectType.RRH:
            return self.rrh_subtype == RrhSubType.HOUSING
        return self.is_residential

    @property
    def may_house_affiliates(self) -> bool:
        """Affiliation.ResProjectID: ProjectType 0, 1, 2, 3, 8, 9, 10, or 13 with RRHSubType 2."""
        return self.takes_housing_type

    def descriptor_problems(self, *, complete: bool) -> dict:
        """2.02 dependencies. Always: a field HUD does not collect for this project type
        stays empty. ``complete`` (the Lead's descriptor form): what HUD requires is there.
        Existing ways of adding a project (and imports) need not know these fields yet."""
        problems = {}
        if self.rrh_subtype is not None and self.project_type != ProjectType.RRH:
            problems["rrh_subtype"] = "An RRH subtype is recorded for Rapid Re-Housing projects only."
        if self.residential_affiliation is not None and not self.may_affiliate:
            problems["residential_affiliation"] = (
                "Residential affiliation is recorded for Services Only and RRH: Services Only projects only.")
        if self.housing_type is not None and not self.takes_housing_type:
            problems["housing_type"] = (
                "A housing type is recorded for residential projects only (for RRH, the housing subtype).")
        if complete:
            if self.project_type == ProjectType.RRH and self.rrh_subtype is None:
                problems.setdefault("rrh_subtype", "Choose the RRH subtype of a Rapid Re-Housing project.")
            if self.may_affiliate and self.residential_affiliation is None:
                problems.setdefault("residential_affiliation", "Say whether the project is affiliated with a "
                                                               "residential project.")
            if self.takes_housing_type and self.housing_type is None:
                problems.setdefault("housing_type", "Choose the housing type of a residential project.")
        return problems


class ProjectFunder(KeptFromSource):
    """A funding source of a project (2.06)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funders")
    funder = models.PositiveSmallIntegerField(choices=FundingSource.choices)
    other_funder = models.CharField(
        "other funder", max_length=100, blank=True, help_text="Required for local or other funding."
    )
    grant_id = models.CharField("grant ID", max_length=100, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_exclude = ["updated_at"]

    class Meta:
        ordering = ["start_date"]

    def __str__(self):
        return self.get_funder_display()

    def get_additional_data(self):
        return {"project_id": self.project_id}  # the project page's History (H2)

    def clean(self):
        problems = {}
        if self.funder == FundingSource.LOCAL_OTHER and not self.other_funder:
            problems["other_funder"] = "Name the local or other funding source."
        if not (self.grant_id or "").strip():
            # HMIS CSV Funder.GrantID is not nullable: 2.06.2 is collected for every funder.
            problems["grant_id"] = "Enter the grant identifier (2.06.2)."
        if self.end_date and self.start_date and self.end_date < self.start_date:
            problems["end_date"] = "The end date cannot be before the start date."
        if problems:
            raise ValidationError(problems)


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


# --- Project descriptor data with history (H2; FY2026 HMIS Data Standards 2.03–2.09) ----
# Every change is recorded by django-auditlog (hmis/audit.py registers each model of this
# app); get_additional_data() files the entry under the project, so the project page's
# History lists changes to rows that were since removed too.

GEOCODE_PATTERN = re.compile(r"^\d{6}$")
ZIP_PATTERN = re.compile(r"^\d{5}$")
STATE_PATTERN = re.compile(r"^[A-Z]{2}$")


def _ranges_overlap(start, end, other_start, other_end) -> bool:
    """Status periods as HUD's LSA reads them: a period ends on its end date and the next
    may start that same day (an end date is the first day no longer in the status), so
    touching periods do not overlap; an open end runs on."""
    return (end is None or other_start < end) and (other_end is None or start < other_end)


class ProjectDescriptor(KeptFromSource):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_exclude = ["updated_at"]

    class Meta(KeptFromSource.Meta):
        abstract = True

    def get_additional_data(self):
        return {"project_id": self.project_id}


class ProjectCoc(ProjectDescriptor):
    """2.03 Continuum of Care information: one row per CoC the project serves."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="coc_rows")
    coc_code = models.CharField("CoC code (2.03.1)", max_length=6, validators=[validate_coc_code])
    geocode = models.CharField("geocode (2.03.2)", max_length=6,
                               help_text="HUD's six-digit geographic code of where the project operates.")
    address1 = models.CharField("address line 1 (2.03.3)", max_length=100, blank=True)
    address2 = models.CharField("address line 2", max_length=100, blank=True)
    city = models.CharField(max_length=50, blank=True)
    state = models.CharField(max_length=2, blank=True, help_text="Two-letter USPS abbreviation.")
    zip_code = models.CharField("ZIP", max_length=5, blank=True)
    geography_type = models.PositiveSmallIntegerField(
        "geography type (2.03.4)", choices=GeographyType.choices, null=True, blank=True)

    class Meta:
        verbose_name = "project CoC"
        ordering = ["coc_code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "coc_code"], name="project_coc_once_per_coc"),
        ]

    def __str__(self):
        return f"{self.coc_code} ({self.geocode})"

    def clean(self):
        problems = {}
        if not GEOCODE_PATTERN.match(self.geocode or ""):
            problems["geocode"] = "Enter the geocode as six digits."
        if self.zip_code and not ZIP_PATTERN.match(self.zip_code):
            problems["zip_code"] = "Enter the ZIP code as five digits."
        if self.state and not STATE_PATTERN.match(self.state):
            problems["state"] = "Enter the state as its two-letter USPS abbreviation, for example MO."
        if self.project_id and self.coc_code and ProjectCoc.objects.filter(
                project_id=self.project_id, coc_code=self.coc_code).exclude(pk=self.pk).exists():
            problems["coc_code"] = "The project already has a row for this CoC."
        stored = ProjectCoc.objects.filter(pk=self.pk).values_list("coc_code", flat=True).first() if self.pk else None
        if stored and stored != self.coc_code and Inventory.objects.filter(
                project_id=self.project_id, coc_code=stored).exists():
            # 2.07.3: inventory names one of the project's CoCs; it would be left pointing at none.
            problems["coc_code"] = f"Inventory is recorded for {stored}: move or remove it before changing the CoC."
        if problems:
            raise ValidationError(problems)


class Affiliation(ProjectDescriptor):
    """2.02.C: the residential projects a services-only project is affiliated with."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="affiliations")
    residential_project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="affiliated_services", verbose_name="residential project")

    class Meta:
        ordering = ["residential_project__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "residential_project"], name="affiliation_once"),
        ]

    def __str__(self):
        return f"{self.project} with {self.residential_project}"

    def clean(self):
        problems = {}
        if self.project_id and not (self.project.may_affiliate and self.project.residential_affiliation == NoYes.YES):
            problems["residential_project"] = ("Only a Services Only or RRH: Services Only project recorded as "
                                               "affiliated with a residential project lists affiliations.")
        elif self.residential_project_id and not self.residential_project.may_house_affiliates:
            problems["residential_project"] = ("Choose a residential project (emergency shelter, transitional, "
                                               "safe haven or permanent housing; RRH only with housing).")
        if problems:
            raise ValidationError(problems)


INVENTORY_BED_FIELDS = ["ch_vet_beds", "youth_vet_beds", "vet_beds", "ch_youth_beds", "youth_beds", "ch_beds",
                        "other_beds"]
VETERAN_BED_FIELDS = ["ch_vet_beds", "youth_vet_beds", "vet_beds"]


class Inventory(ProjectDescriptor):
    """2.07 Bed and unit inventory of a residential project, one CoC and household type."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inventories")
    coc_code = models.CharField("CoC code (2.07.3)", max_length=6, validators=[validate_coc_code])
    household_type = models.PositiveSmallIntegerField("household type (2.07.4)", choices=HouseholdType.choices)
    es_bed_type = models.PositiveSmallIntegerField(
        "bed type (2.07.5)", choices=EsBedType.choices, null=True, blank=True, help_text="Emergency shelters only.")
    availability = models.PositiveSmallIntegerField(
        "availability (2.07.6)", choices=Availability.choices, null=True, blank=True,
        help_text="Emergency shelters only.")
    unit_inventory = models.PositiveIntegerField("units (2.07.15)")
    bed_inventory = models.PositiveIntegerField("total beds (2.07.14)")
    # The beds by subpopulation: empty where an imported Inventory.csv left them empty (H3: kept as
    # given); what is counted reads an empty one as 0.
    ch_vet_beds = models.PositiveIntegerField("beds for chronically homeless veterans (2.07.7)", default=0, null=True, blank=True)
    youth_vet_beds = models.PositiveIntegerField("beds for youth veterans (2.07.8)", default=0, null=True, blank=True)
    vet_beds = models.PositiveIntegerField("other veteran beds (2.07.9)", default=0, null=True, blank=True)
    ch_youth_beds = models.PositiveIntegerField("beds for chronically homeless youth (2.07.10)", default=0, null=True, blank=True)
    youth_beds = models.PositiveIntegerField("other youth beds (2.07.11)", default=0, null=True, blank=True)
    ch_beds = models.PositiveIntegerField("other beds for chronically homeless people (2.07.12)", default=0, null=True, blank=True)
    other_beds = models.PositiveIntegerField("all other beds (2.07.13)", default=0, null=True, blank=True)
    start_date = models.DateField("inventory start date (2.07.1)")
    end_date = models.DateField("inventory end date (2.07.2)", null=True, blank=True)

    class Meta:
        verbose_name_plural = "inventories"
        ordering = ["start_date", "household_type"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="inventory_end_not_before_start"),
        ]

    def __str__(self):
        return f"{self.get_household_type_display()}: {self.bed_inventory} beds, {self.unit_inventory} units"

    def clean(self):
        problems = {}
        project = self.project if self.project_id else None
        if project is not None and not project.takes_housing_type:
            problems["household_type"] = "Bed and unit inventory is recorded for residential projects only."
        is_shelter = project is not None and project.project_type in EMERGENCY_SHELTER_TYPES
        # Collected for emergency shelters only, and required there (HMIS CSV: null unless ProjectType 0 or 1).
        for name, label in (("es_bed_type", "bed type"), ("availability", "availability")):
            value = getattr(self, name)
            if value is not None and not is_shelter:
                problems[name] = f"The {label} is recorded for emergency shelters only."
            elif value is None and is_shelter:
                problems[name] = f"Choose the {label} of the shelter's beds."
        beds = [getattr(self, name) or 0 for name in INVENTORY_BED_FIELDS]
        if self.bed_inventory is not None and sum(beds) != self.bed_inventory:
            # 2.07.14: the total is the sum of the beds of each subpopulation and all other beds.
            problems["bed_inventory"] = (f"The total beds ({self.bed_inventory}) must equal the beds by "
                                         f"subpopulation and other beds added up ({sum(beds)}).")
        if self.unit_inventory is not None and self.bed_inventory is not None \
                and self.unit_inventory > self.bed_inventory:
            problems["unit_inventory"] = "A unit holds at least one bed: units cannot outnumber beds."
        if self.household_type == HouseholdType.ONLY_CHILDREN and any(getattr(self, f) for f in VETERAN_BED_FIELDS):
            problems["vet_beds"] = "Households with only children have no veteran beds."
        if self.end_date and self.start_date and self.end_date < self.start_date:
            problems["end_date"] = "The end date cannot be before the start date."
        if project is not None and self.start_date and self.start_date < project.operating_start:
            problems["start_date"] = "Inventory cannot start before the project's operating start date."
        if project is not None and self.coc_code and not ProjectCoc.objects.filter(
                project=project, coc_code=self.coc_code).exists():
            # HMIS CSV: Inventory.CoCCode must match a CoCCode in ProjectCoC.csv for the same ProjectID.
            problems["coc_code"] = "Record the project's CoC information (2.03) for this CoC first."
        if problems:
            raise ValidationError(problems)


class ParticipationPeriod(ProjectDescriptor):
    """A status with start and end dates; one status at a time per project."""

    start_date = models.DateField("status start date")
    end_date = models.DateField("status end date", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["start_date"]

    def clean(self):
        problems = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            problems["end_date"] = "The end date cannot be before the start date."
        elif self.project_id and self.start_date:
            for other in type(self).objects.filter(project_id=self.project_id).exclude(pk=self.pk):
                if _ranges_overlap(self.start_date, self.end_date, other.start_date, other.end_date):
                    problems["start_date"] = (
                        f"The project already has a status from {other.start_date:%m/%d/%Y}"
                        f"{f' to {other.end_date:%m/%d/%Y}' if other.end_date else ' with no end date'}: "
                        "one status at a time, so end that one first or choose other dates.")
                    break
        if problems:
            raise ValidationError(problems)


class HmisParticipation(ParticipationPeriod):
    """2.08 HMIS participation status."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="hmis_participations")
    participation_type = models.PositiveSmallIntegerField(
        "HMIS participation type (2.08.1)", choices=HmisParticipationType.choices)

    class Meta(ParticipationPeriod.Meta):
        verbose_name = "HMIS participation"

    def __str__(self):
        return self.get_participation_type_display()


class CeParticipation(ParticipationPeriod):
    """2.09 Coordinated Entry participation status."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ce_participations")
    access_point = models.PositiveSmallIntegerField("access point (2.09.1)", choices=NoYes.choices)
    # 2.09.A: non-null when the project is an access point (0 = not offered).
    prevention_assessment = models.PositiveSmallIntegerField(
        "prevention assessment", choices=NoYes.choices, null=True, blank=True)
    crisis_assessment = models.PositiveSmallIntegerField(
        "crisis assessment", choices=NoYes.choices, null=True, blank=True)
    housing_assessment = models.PositiveSmallIntegerField(
        "housing assessment", choices=NoYes.choices, null=True, blank=True)
    direct_services = models.PositiveSmallIntegerField(
        "direct services", choices=NoYes.choices, null=True, blank=True)
    receives_referrals = models.PositiveSmallIntegerField("receives referrals (2.09.2)", choices=NoYes.choices)

    ACCESS_POINT_FIELDS = ["prevention_assessment", "crisis_assessment", "housing_assessment", "direct_services"]

    class Meta(ParticipationPeriod.Meta):
        verbose_name = "CE participation"

    def __str__(self):
        return f"Access point: {self.get_access_point_display()}; receives referrals: " \
               f"{self.get_receives_referrals_display()}"

    def clean(self):
        problems = {}
        try:
            super().clean()
        except ValidationError as error:
            problems.update(error.message_dict)
        for name in self.ACCESS_POINT_FIELDS:
            value = getattr(self, name)
            if self.access_point == NoYes.YES and value is None:
                problems[name] = "An access point says Yes or No for each service it offers."
            elif self.access_point == NoYes.NO and value is not None:
                problems[name] = "Only an access point records the assessments and services it offers."
        if problems:
            raise ValidationError(problems)
