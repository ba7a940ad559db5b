"""Forms of the administration screens. They validate and render; services write."""

import django_filters
from django import forms
from django.db.models import Q

from hmis.forms import DateInput, HttpsURLField, UswdsFormMixin
from hmis.models import User

from .hud_lists import ProjectType
from .models import (
    Affiliation,
    Agency,
    CeParticipation,
    Coc,
    HmisParticipation,
    Inventory,
    License,
    Project,
    ProjectCoc,
    ProjectFunder,
)


class HmisLeadForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(label="Help desk email", required=False)
    phone = forms.CharField(label="Help desk phone", max_length=40, required=False)


class CocForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Coc
        fields = [
            "code", "name", "no_sharing_policy", "roi_validity_months", "timeliness_hours",
            "idle_lock_minutes", "practice_case_attempts", "reapply_wait_months",
            "opt_out_alert_threshold", "roi_expiry_warning_days", "sharing_group",
        ]
        widgets = {"no_sharing_policy": forms.RadioSelect}

    def clean_sharing_group(self):
        return " ".join(self.cleaned_data["sharing_group"].split())


class AgencyForm(UswdsFormMixin, forms.ModelForm):
    cocs = forms.ModelMultipleChoiceField(
        queryset=Coc.objects.all(), widget=forms.CheckboxSelectMultiple, label="Continuums of Care"
    )

    class Meta:
        model = Agency
        fields = [
            "name", "common_name", "cocs", "status", "is_victim_service_provider", "hipaa_covered",
            "privacy_notice_url", "consumer_notice_posted", "roi_scope",
            "grievance_contact_name", "grievance_contact_phone", "grievance_contact_email",
        ]
        widgets = {"roi_scope": forms.RadioSelect}
        field_classes = {"privacy_notice_url": HttpsURLField}


class ProjectForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = ["agency", "coc", "name", "project_type", "operating_start", "operating_end", "protected"]
        widgets = {"operating_start": DateInput, "operating_end": DateInput}


class FunderForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectFunder
        fields = ["funder", "other_funder", "grant_id", "start_date", "end_date"]
        widgets = {"start_date": DateInput, "end_date": DateInput}


# --- Project descriptor data (H2) -----------------------------------------------
class ProjectDescriptorForm(UswdsFormMixin, forms.ModelForm):
    """2.02: the project's HUD descriptors beyond name, type and dates."""

    class Meta:
        model = Project
        fields = ["common_name", "continuum_project", "rrh_subtype", "residential_affiliation", "housing_type",
                  "target_population", "hopwa_med_assisted_living_fac", "pit_count"]
        widgets = {"continuum_project": forms.RadioSelect}
        help_texts = {
            "rrh_subtype": "Rapid Re-Housing projects only.",
            "residential_affiliation": "Services Only and RRH: Services Only projects only.",
            "housing_type": "Residential projects only (for RRH, the housing subtype).",
        }


class ProjectCocForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectCoc
        fields = ["coc_code", "geocode", "address1", "address2", "city", "state", "zip_code", "geography_type"]

    def clean_state(self):
        return self.cleaned_data["state"].strip().upper()


class InventoryForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Inventory
        fields = ["coc_code", "household_type", "es_bed_type", "availability", "unit_inventory", "bed_inventory",
                  "ch_vet_beds", "youth_vet_beds", "vet_beds", "ch_youth_beds", "youth_beds", "ch_beds", "other_beds",
                  "start_date", "end_date"]
        widgets = {"start_date": DateInput, "end_date": DateInput}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        # 2.07.3: one of the CoCs the project's CoC information (2.03) names.
        codes = list(project.coc_rows.values_list("coc_code", flat=True))
        self.fields["coc_code"] = forms.ChoiceField(
            label=self.fields["coc_code"].label, choices=[("", "- Select -")] + [(c, c) for c in codes],
            widget=forms.Select(attrs={"class": "usa-select"}),
            help_text="The CoCs of the project's CoC information." if codes else
            "Record the project's CoC information first.")


class AffiliationForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Affiliation
        fields = ["residential_project"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        from .hud_lists import RESIDENTIAL_TYPES, ProjectType, RrhSubType

        self.fields["residential_project"].queryset = (
            Project.objects.filter(project_type__in=RESIDENTIAL_TYPES).exclude(pk=project.pk)
            .exclude(Q(project_type=ProjectType.RRH) & ~Q(rrh_subtype=RrhSubType.HOUSING))
            .select_related("agency").order_by("name"))
        self.fields["residential_project"].label_from_instance = lambda p: f"{p.name} ({p.agency.name})"


class HmisParticipationForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = HmisParticipation
        fields = ["participation_type", "start_date", "end_date"]
        widgets = {"start_date": DateInput, "end_date": DateInput}


class CeParticipationForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = CeParticipation
        fields = ["access_point", "prevention_assessment", "crisis_assessment", "housing_assessment",
                  "direct_services", "receives_referrals", "start_date", "end_date"]
        widgets = {"start_date": DateInput, "end_date": DateInput}
        help_texts = {name: "Access points only." for name in
                      ["prevention_assessment", "crisis_assessment", "housing_assessment", "direct_services"]}


class PersonCreateForm(UswdsFormMixin, forms.ModelForm):
    password = forms.CharField(
        label="First password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="The person chooses their own at first sign-in, then enrols their authenticator app.",
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_system_admin"]


class PersonUpdateForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "is_system_admin", "is_active"]
        labels = {"is_active": "Account can sign in"}


class PersonPasswordForm(UswdsFormMixin, forms.Form):
    password = forms.CharField(
        label="New first password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="The person must choose their own at their next sign-in.",
    )


class LicenseGrantForm(UswdsFormMixin, forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.all())
    role = forms.ChoiceField(choices=License.Role.choices, initial=License.Role.END_USER)
    access_level = forms.ChoiceField(choices=License.AccessLevel.choices, initial=License.AccessLevel.FULL)
    projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.select_related("agency"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Assigned projects",
        help_text="End users enter data only in these projects. Choose projects of the license's agency.",
    )
    override_reason = forms.CharField(
        label="Reason for granting without a User Access Request", max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="U1: licenses normally come from a request by the agency's authorized representative "
                  "(Access requests). Granting without one needs a reason; it is recorded and shown on the "
                  "person's page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].label_from_instance = lambda p: f"{p.agency.name}: {p.name}"


class LicenseUpdateForm(UswdsFormMixin, forms.Form):
    role = forms.ChoiceField(choices=License.Role.choices)
    access_level = forms.ChoiceField(choices=License.AccessLevel.choices)
    projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Assigned projects",
    )
    status = forms.ChoiceField(choices=License.Status.choices)
    status_reason = forms.CharField(
        label="Reason (required when suspending or revoking)", required=False, max_length=300
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = agency.projects.all()


# --- List filters (django-filter) ---------------------------------------------
class _Search(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.form.fields.values():
            widget = f.widget
            widget.attrs["class"] = "usa-select" if isinstance(widget, forms.Select) else "usa-input"


class CocFilter(_Search):
    q = django_filters.CharFilter(label="Search code or name", method="search")
    no_sharing_policy = django_filters.ChoiceFilter(choices=Coc.NoSharingPolicy.choices, label="No-sharing policy")

    class Meta:
        model = Coc
        fields = ["q", "no_sharing_policy"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class AgencyFilter(_Search):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search name")
    coc = django_filters.ModelChoiceFilter(field_name="cocs", queryset=Coc.objects.all(), label="CoC")
    status = django_filters.ChoiceFilter(choices=Agency.Status.choices)
    is_victim_service_provider = django_filters.BooleanFilter(label="Victim service provider")

    class Meta:
        model = Agency
        fields = ["q", "coc", "status", "is_victim_service_provider"]


class ProjectFilter(_Search):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search name")
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all())
    coc = django_filters.ModelChoiceFilter(queryset=Coc.objects.all(), label="CoC")
    project_type = django_filters.ChoiceFilter(choices=ProjectType.choices, label="Project type")
    protected = django_filters.BooleanFilter()

    class Meta:
        model = Project
        fields = ["q", "agency", "coc", "project_type", "protected"]


class PersonFilter(_Search):
    q = django_filters.CharFilter(label="Search username, name or email", method="search")
    agency = django_filters.ModelChoiceFilter(
        field_name="licenses__agency", queryset=Agency.objects.all(), distinct=True
    )
    role = django_filters.ChoiceFilter(field_name="licenses__role", choices=License.Role.choices, distinct=True)
    license_status = django_filters.ChoiceFilter(
        field_name="licenses__status", choices=License.Status.choices, distinct=True, label="License status"
    )
    is_system_admin = django_filters.BooleanFilter(label="System administrator")

    class Meta:
        model = User
        fields = ["q", "agency", "role", "license_status", "is_system_admin"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value) | Q(first_name__icontains=value)
            | Q(last_name__icontains=value) | Q(email__icontains=value)
        )


class RequirementsForm(UswdsFormMixin, forms.Form):
    elements = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Program-specific elements collected",
        help_text="Universal Data Elements are always required.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .requirements import ELEMENTS

        self.fields["elements"].choices = [(code, f"{code} {label}") for code, label in ELEMENTS.items()]


class AgencyProfileForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["privacy_notice_url", "consumer_notice_posted", "hipaa_covered",
                  "grievance_contact_name", "grievance_contact_phone", "grievance_contact_email"]
        field_classes = {"privacy_notice_url": HttpsURLField}


class AccessRequestForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        from .models import UserAccessRequest

        model = UserAccessRequest
        fields = ["first_name", "last_name", "email", "username", "role", "access_level", "projects", "reason"]
        widgets = {"projects": forms.CheckboxSelectMultiple}

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = agency.projects.all()
        self.fields["projects"].required = False


class RevokeLicenseForm(UswdsFormMixin, forms.Form):
    left_on = forms.DateField(widget=DateInput, label="Date the person left or stopped needing access")
    reason = forms.CharField(max_length=300, required=False, label="Reason")


class LicenseFilter(_Search):
    q = django_filters.CharFilter(label="Search person", method="search")
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all())
    status = django_filters.ChoiceFilter(choices=License.Status.choices)
    role = django_filters.ChoiceFilter(choices=License.Role.choices)
    access_level = django_filters.ChoiceFilter(choices=License.AccessLevel.choices, label="Access level")
    revoked_late = django_filters.BooleanFilter(label="Revoked late")

    class Meta:
        model = License
        fields = ["q", "agency", "status", "role", "access_level", "revoked_late"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(user__username__icontains=value) | Q(user__first_name__icontains=value)
                               | Q(user__last_name__icontains=value))


class TerminationForm(UswdsFormMixin, forms.Form):
    termination_date = forms.DateField(widget=DateInput, label="Last day of participation")
    reason = forms.CharField(max_length=300, required=False, label="Reason (optional)")


class AgreementSignForm(UswdsFormMixin, forms.Form):
    signer_name = forms.CharField(max_length=150, label="Your full name (your signature)")
    signer_title = forms.CharField(max_length=150, label="Your title", initial="Executive Director")
    agree = forms.BooleanField(label="I have read the agreement above and agree to it on behalf of the agency")


class AgreementPublishForm(UswdsFormMixin, forms.Form):
    version = forms.CharField(max_length=20, label="Version name", help_text="For example FY2027.")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), label="Agreement text")


class AccessApplicationForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        from .models import AccessApplication

        model = AccessApplication
        fields = ["organization", "contact_name", "contact_email", "purpose", "contribution", "program",
                  "access_level", "can_name", "one_time"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3}), "contribution": forms.Textarea(attrs={"rows": 3})}


class ApplicationReviewForm(UswdsFormMixin, forms.Form):
    criteria = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                         label="Core criteria met (003 §1.1–1.10)")
    high_abuse_potential = forms.BooleanField(required=False, label="High potential for abuse of client data (003 §2.2)")
    can_involved = forms.BooleanField(required=False, label="The named CAN's leadership is informed and involved")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import AccessApplication

        self.fields["criteria"].choices = [(c, f"{c} {label}") for c, label in AccessApplication.CRITERIA.items()]


class ApplicationDecisionForm(UswdsFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("refuse", "Refuse")], widget=forms.RadioSelect)
    mou_signed_on = forms.DateField(widget=DateInput, required=False, label="MOU signed on")
    reason = forms.CharField(max_length=300, required=False, label="Reason or note")
