from datetime import timedelta

from django import forms

from agencies.models import Agency, Project
from hmis import dates
from hmis.forms import DateInput, UswdsFormMixin
from hmis.models import User


class DashboardForm(UswdsFormMixin, forms.Form):
    start = forms.DateField(widget=DateInput, label="From")
    end = forms.DateField(widget=DateInput, label="To")
    group_by = forms.ChoiceField(choices=[("agency", "Agency"), ("project", "Project"), ("user", "User")],
                                 label="Measure per")
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False)
    project = forms.ModelChoiceField(queryset=Project.objects.none(), required=False)
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Entered by")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["project"].queryset = Project.objects.filter(agency__in=agencies)
        self.fields["user"].queryset = User.objects.filter(licenses__agency__in=agencies).distinct()
        self.fields["user"].label_from_instance = lambda u: u.display_name

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period is before its start.")
        return data

    @staticmethod
    def defaults() -> dict:
        today = dates.today()
        return {"start": today - timedelta(days=30), "end": today, "group_by": "project"}


class MonitoringPlanForm(UswdsFormMixin, forms.Form):
    plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Data monitoring plan", max_length=5000,
                           help_text="Who checks which data quality numbers, how often, and what they do about them (D4).")
