"""Forms of the consent screens: the anonymous nightly counts of guests without a record (C4)."""

from django import forms

from agencies.hud_lists import EMERGENCY_SHELTER_TYPES
from agencies.selectors import projects_for_data_entry
from hmis import dates
from hmis.forms import DateInput, UswdsFormMixin

from .services import MAX_EXPECTED_NIGHTS, MAX_STAYING


class ExpectedNightsForm(UswdsFormMixin, forms.Form):
    nights = forms.IntegerField(
        label="Nights the guest is expected to stay", min_value=1, max_value=MAX_EXPECTED_NIGHTS, initial=1,
        help_text="Counting tonight. Adds the guest to the anonymous count of each of those nights; "
                  "the shelter's nightly count replaces it.")


class NightlyStayingForm(UswdsFormMixin, forms.Form):
    project = forms.ModelChoiceField(queryset=None, label="Emergency shelter")
    night = forms.DateField(widget=DateInput, label="Night")
    staying = forms.IntegerField(label="Guests without an HMIS record staying that night", min_value=0,
                                 max_value=MAX_STAYING)

    def __init__(self, *args, license=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for_data_entry(license).filter(
            project_type__in=EMERGENCY_SHELTER_TYPES).order_by("name")
        self.fields["night"].initial = dates.today()
