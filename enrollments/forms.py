"""Forms of project stays. They validate input; services decide."""

from django import forms

from agencies.selectors import projects_for_data_entry
from hmis import dates
from hmis.forms import DateInput, UswdsFormMixin

from .hud_lists import DataCollectionStage, LivingSituation, RelationshipToHoH
from .models import Assessment, Enrollment

PRIOR_FIELDS = [
    "living_situation", "length_of_stay", "previous_street_essh", "date_to_street_essh",
    "times_homeless_past_three_years", "months_homeless_past_three_years",
]
ASSESSMENT_FORM_FIELDS = [
    "income_from_any_source", "total_monthly_income", "benefits_from_any_source", "insurance_from_any_source",
    "physical_disability", "developmental_disability", "chronic_health_condition", "hiv_aids",
    "mental_health_disorder", "substance_use_disorder", "domestic_violence_survivor", "currently_fleeing",
]


class AssessmentFields(UswdsFormMixin, forms.ModelForm):
    """The program-specific answers. None is preselected: what the project requires
    (D2) must be answered, refusals included (D3); the service checks which."""

    class Meta:
        model = Assessment
        fields = ASSESSMENT_FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ASSESSMENT_FORM_FIELDS:
            if name in self.fields:
                unanswered(self.fields[name])


def unanswered(field):
    field.required = False
    field.initial = None
    if isinstance(field, forms.TypedChoiceField):
        field.choices = [("", "Not asked"), *[c for c in field.choices if c[0] != ""]]
        field.empty_value = None


class EnrollForm(UswdsFormMixin, forms.ModelForm):
    """Project start for a household: the head's entry answers and start assessment."""

    project = forms.ModelChoiceField(queryset=None, label="Project")
    information_date = forms.DateField(widget=DateInput, initial=dates.today,
                                       label="Date the information was collected")

    class Meta:
        model = Enrollment
        fields = ["project", "entry_date", *PRIOR_FIELDS, "disabling_condition", "date_of_engagement"]
        widgets = {"entry_date": DateInput, "date_to_street_essh": DateInput, "date_of_engagement": DateInput}

    def __init__(self, *args, license, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for_data_entry(license)
        self.fields["entry_date"].initial = dates.today
        self.members = members
        for member in members:
            name = f"relationship_{member.client_id}"
            self.fields[name] = forms.TypedChoiceField(
                coerce=int, required=False, label=f"{member.name} ({member.display_id})",
                choices=[("", "Not in this stay"), *RelationshipToHoH.choices],
                initial=RelationshipToHoH.SELF if member is members[0] else "",
            )
            self.fields[name].widget.attrs["class"] = "usa-select"
        extra = AssessmentFields()
        for name in ASSESSMENT_FORM_FIELDS:
            self.fields[name] = extra.fields[name]
        unanswered(self.fields["disabling_condition"])

    def chosen_members(self):
        return [(m, self.cleaned_data[f"relationship_{m.client_id}"]) for m in self.members
                if self.cleaned_data.get(f"relationship_{m.client_id}") not in (None, "")]


class AssessmentForm(AssessmentFields):
    stage = forms.TypedChoiceField(coerce=int, choices=[(DataCollectionStage.UPDATE, "Update"),
                                                        (DataCollectionStage.ANNUAL, "Annual assessment")])
    information_date = forms.DateField(widget=DateInput, initial=dates.today, label="Date the information was collected")

    class Meta(AssessmentFields.Meta):
        fields = ["stage", "information_date", *ASSESSMENT_FORM_FIELDS]


class ExitForm(AssessmentFields):
    exit_date = forms.DateField(widget=DateInput, initial=dates.today, label="Project exit date (3.11)")
    destination = forms.TypedChoiceField(coerce=int, choices=LivingSituation.choices, label="Destination (3.12)")
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(AssessmentFields.Meta):
        fields = ["exit_date", "destination", *ASSESSMENT_FORM_FIELDS]


class EnrollmentEditForm(UswdsFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Enrollment
        fields = [*PRIOR_FIELDS, "disabling_condition", "date_of_engagement", "move_in_date"]
        widgets = {"date_to_street_essh": DateInput, "date_of_engagement": DateInput, "move_in_date": DateInput}


class BedNightForm(UswdsFormMixin, forms.Form):
    date_provided = forms.DateField(widget=DateInput, initial=dates.today, label="Night of")


class ContactForm(UswdsFormMixin, forms.ModelForm):
    information_date = forms.DateField(widget=DateInput, initial=dates.today, label="Date of the contact")

    class Meta:
        from .models import CurrentLivingSituation

        model = CurrentLivingSituation
        fields = ["information_date", "current_living_situation", "location_details"]


class CeAssessmentForm(UswdsFormMixin, forms.ModelForm):
    information_date = forms.DateField(widget=DateInput, initial=dates.today, label="Assessment date")

    class Meta:
        from .models import CeAssessment

        model = CeAssessment
        fields = ["information_date", "assessment_location", "assessment_type", "assessment_level",
                  "prioritization_status"]


class CeEventForm(UswdsFormMixin, forms.ModelForm):
    information_date = forms.DateField(widget=DateInput, initial=dates.today, label="Event date")

    class Meta:
        from .models import CeEvent

        model = CeEvent
        fields = ["information_date", "event", "referral_result", "result_date"]
        widgets = {"result_date": DateInput}
