"""Forms of the intake and the client record. They validate input; services decide."""

from django import forms

from agencies.models import License
from agencies.selectors import projects_for_data_entry
from consent.models import ClientLock, Roi, SharingLevel
from hmis import dates
from hmis.forms import DateInput, UswdsFormMixin
from hmis.models import User

from .hud_lists import RACE_FIELDS
from .models import Client, Correction
from .validation import text_errors


class ConsentForm(UswdsFormMixin, forms.Form):
    """Step 1 of an intake (C1, C5, C7, C10): consent before anything else."""

    project = forms.ModelChoiceField(queryset=None, required=False, label="Project serving the client")
    sharing_level = forms.ChoiceField(
        choices=SharingLevel.choices, widget=forms.RadioSelect, label="What the client agreed to share"
    )
    consent_type = forms.ChoiceField(
        choices=Roi.ConsentType.choices, widget=forms.RadioSelect, initial=Roi.ConsentType.SIGNED,
        label="How consent was given",
    )
    signed_on = forms.DateField(widget=DateInput, label="Date signed or given", initial=dates.today)
    taken_by = forms.ModelChoiceField(queryset=None, label="Staff member who took the consent")
    document = forms.FileField(
        required=False, label="Scanned consent form (optional)",
        help_text="PDF, PNG, JPEG or TIFF, up to 10 MB. Not stored when the client declines all sharing.",
    )
    lock_warning_given = forms.BooleanField(
        label="I told the client that someone at risk (for example fleeing violence) can ask to lock their record",
    )
    lock_requested = forms.BooleanField(required=False, label="The client asks to lock their whole record")

    def __init__(self, *args, license: License, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for_data_entry(license)
        if license.agency.roi_scope == license.agency.RoiScope.PROJECT:
            self.fields["project"].required = True
            self.fields["project"].help_text = "Your agency records an ROI per project enrollment (C7)."
        else:
            self.fields["project"].help_text = (
                "Your agency's ROIs cover all its projects. Choose the project anyway if the client "
                "declines all sharing: the anonymous count of people served is kept per project."
            )
        staff = User.objects.filter(
            licenses__agency=license.agency, licenses__status=License.Status.ACTIVE
        ).order_by("last_name", "first_name")
        self.fields["taken_by"].queryset = staff
        self.fields["taken_by"].label_from_instance = lambda u: u.display_name
        self.fields["taken_by"].initial = license.user_id

    def clean(self):
        data = super().clean()
        if data.get("sharing_level") == SharingLevel.NONE and data.get("lock_requested"):
            self.add_error("lock_requested", "A client who declines all sharing is never shared; no lock request is needed.")
        return data


class ClientForm(UswdsFormMixin, forms.ModelForm):
    """HUD Universal Data Elements 3.01–3.04, 4.21, 3.07 (refusals are answers, D3)."""

    ssn = forms.CharField(
        label="Social Security Number", required=False, max_length=11,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text="9 digits, or the digits the client gave when partial.",
    )

    class Meta:
        model = Client
        fields = [
            "first_name", "middle_name", "last_name", "name_suffix", "name_data_quality",
            "ssn", "ssn_data_quality", "dob", "dob_data_quality",
            *[f for f, _, _ in RACE_FIELDS], "race_none", "additional_race_ethnicity",
            "sex", "veteran_status",
        ]
        widgets = {
            "dob": DateInput,
            "name_data_quality": forms.RadioSelect,
            "ssn_data_quality": forms.RadioSelect,
            "dob_data_quality": forms.RadioSelect,
            "sex": forms.RadioSelect,
            "veteran_status": forms.RadioSelect,
        }
        labels = {
            "name_data_quality": "Name data quality (3.01)",
            "ssn_data_quality": "SSN data quality (3.02)",
            "dob_data_quality": "Date of birth data quality (3.03)",
            "race_none": "If no race or ethnicity was given (3.04)",
            "additional_race_ethnicity": "Additional race and ethnicity detail",
            "sex": "Sex (4.21)",
            "veteran_status": "Veteran status (3.07)",
            **{field: label for field, _, label in RACE_FIELDS},
        }

    field_order = Meta.fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_data_quality"].initial = 1
        for name in ("name_data_quality", "ssn_data_quality", "dob_data_quality", "sex", "veteran_status"):
            field = self.fields[name]
            field.choices = [c for c in field.choices if c[0] != ""]
        if self.instance.pk:
            self.fields["ssn"].initial = ""
            self.fields["ssn"].help_text = "Leave empty to keep the SSN on file; type a new one to correct it."

    def clean(self):
        data = super().clean()
        # Shared with the services and the API: no control characters in names.
        for field, message in text_errors(data).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    @property
    def race_fields(self):
        return [self[f] for f, _, _ in RACE_FIELDS]


class CorrectionForm(ClientForm):
    kind = forms.ChoiceField(choices=Correction.Kind.choices, widget=forms.RadioSelect,
                             label="The value on file was")
    note = forms.CharField(max_length=300, required=False, label="Note (no names or other identifiers of others)")
    information_date = forms.DateField(widget=DateInput, initial=dates.today, label="Date the client gave this information")
    # Optimistic locking: the version of the record the person started from.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, hidden_fields=(), **kwargs):
        """``hidden_fields``: values another agency recorded that the viewer may not see
        (C10, C12). They are neither shown nor changed here."""
        super().__init__(*args, **kwargs)
        for name in hidden_fields:
            self.fields.pop(name, None)
        self.hidden_values = bool(hidden_fields)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    @property
    def race_fields(self):
        return [self[f] for f, _, _ in RACE_FIELDS if f in self.fields]


class SearchForm(forms.Form):
    text = forms.CharField(required=False, label="Name or HMIS Client ID")
    dob = forms.DateField(required=False, widget=DateInput, label="Date of birth")
    ssn_last4 = forms.CharField(required=False, max_length=4, label="Last 4 of SSN",
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "usa-input"


class RevokeForm(UswdsFormMixin, forms.Form):
    revoked_on = forms.DateField(widget=DateInput, initial=dates.today, label="Date the client revoked consent")


class LockRequestForm(UswdsFormMixin, forms.Form):
    part = forms.ChoiceField(choices=ClientLock.Part.choices, widget=forms.RadioSelect, label="What to lock")
    note = forms.CharField(max_length=300, required=False, label="Why (kept with the request)")


class GapRequestForm(UswdsFormMixin, forms.Form):
    starts_on = forms.DateField(widget=DateInput, label="First day of data to enter")
    ends_on = forms.DateField(widget=DateInput, label="Last day of data to enter")
    reason = forms.CharField(max_length=300, label="Why this data must be entered")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("deny", "Deny")])
    note = forms.CharField(max_length=300, required=False)


class CreateAnywayForm(UswdsFormMixin, forms.Form):
    """D5: when the search before creating found someone, creating a new client anyway
    needs a short reason, kept on the new record's audit entry."""

    duplicate_reason = forms.CharField(
        max_length=300, required=False, label="Why is this a different person?",
        help_text="Required to create a new client anyway, for example “different date of birth, confirmed "
                  "with the client”. No names or other identifiers.",
    )

    def reason(self) -> str:
        return " ".join(self.cleaned_data.get("duplicate_reason", "").split()) if self.is_valid() else ""


def typed_name(text: str) -> dict:
    """The name typed in the search as the new-client form's first and last name, so
    nothing typed is lost: "Last, First" or "First [Middle…] Last"; one word is taken as
    the last name (what people search by). An HMIS Client ID is not a name."""
    from .models import CLIENT_ID_ALPHABET, normalize_client_id

    text = " ".join((text or "").split())
    candidate = normalize_client_id(text)
    if not text or (len(candidate) == 8 and all(ch in CLIENT_ID_ALPHABET for ch in candidate)
                    and any(ch.isdigit() for ch in text)):
        return {}
    if "," in text:
        last, _, first = (part.strip() for part in text.partition(","))
        return {"first_name": first, "last_name": last}
    words = text.split(" ")
    if len(words) == 1:
        return {"last_name": words[0]}
    return {"first_name": words[0], "last_name": " ".join(words[1:])}
