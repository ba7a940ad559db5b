"""Forms of the compliance pages (sanctions, oversight, grievances, data requests)."""

from django import forms

from agencies.models import Agency, Project
from hmis.forms import DateInput, UswdsFormMixin
from hmis.models import User

from .models import DataRequest, Investigation


def _text(rows=4, **kwargs):
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class PersonAtAgencyForm(UswdsFormMixin, forms.Form):
    user = forms.ModelChoiceField(User.objects.filter(licenses__isnull=False).distinct().order_by("username"),
                                  label="Person")
    agency = forms.ModelChoiceField(Agency.objects.all(), label="Agency where it happened")


class ViolationForm(PersonAtAgencyForm):
    occurred_on = forms.DateField(widget=DateInput(), label="Happened on")
    description = _text(label="What happened")
    is_law_violation = forms.BooleanField(required=False, label="It is a violation of law (handled as a 3rd violation)")


class InvestigationForm(PersonAtAgencyForm):
    kind = forms.ChoiceField(choices=Investigation.Kind.choices, widget=forms.RadioSelect, label="Kind",
                             initial=Investigation.Kind.IMPROPER_ACCESS)
    concern = _text(label="What is suspected")
    access_from = forms.DateField(widget=DateInput(), required=False, label="Look at the access log from")
    access_to = forms.DateField(widget=DateInput(), required=False, label="to")


class TextForm(UswdsFormMixin, forms.Form):
    """One text box, labelled per page."""

    def __init__(self, *args, name="note", label="Note", required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[name] = _text(label=label, required=required)
        self.fields[name].widget.attrs["class"] = "usa-textarea"


class BreachForm(UswdsFormMixin, forms.Form):
    discovered_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                        label="When the agency knew of the breach")
    description = _text(label="What happened")
    clients_affected = forms.IntegerField(min_value=0, required=False, label="How many clients are affected, if known")


class LeadBreachForm(BreachForm):
    agency = forms.ModelChoiceField(Agency.objects.all())
    field_order = ["agency"]


class VisitForm(UswdsFormMixin, forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.exclude(status=Agency.Status.TERMINATED))
    visit_on = forms.DateField(widget=DateInput(), label="Visit date")
    noticed_on = forms.DateField(widget=DateInput(), required=False, label="Agency told on (default: today)")


class FindingForm(UswdsFormMixin, forms.Form):
    description = _text(label="Finding", rows=3)
    compliant = forms.TypedChoiceField(choices=[("1", "Compliant"), ("0", "Not compliant")], coerce=lambda v: v == "1",
                                       widget=forms.RadioSelect, label="Result")
    corrective_action = _text(label="What the agency must do (for a non-compliant finding)", rows=3, required=False)
    projects = forms.ModelMultipleChoiceField(Project.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
                                              label="Projects concerned (none ticked: agency-wide)")

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = Project.objects.filter(agency=agency)


class CleanupForm(UswdsFormMixin, forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.exclude(status=Agency.Status.TERMINATED))
    project = forms.ModelChoiceField(Project.objects.select_related("agency"), required=False,
                                     label="Project (leave empty for the whole agency)")
    description = _text(label="What must be cleaned up or caught up")
    deadline = forms.DateField(widget=DateInput())


class MeetingForm(UswdsFormMixin, forms.Form):
    meeting_on = forms.DateField(widget=DateInput(), label="Meeting date")


class GrievanceForm(UswdsFormMixin, forms.Form):
    received_on = forms.DateField(widget=DateInput(), label="Received on")
    description = _text(label="The client's grievance")


class DataRequestForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = DataRequest
        fields = ["requester_kind", "requester_name", "organization", "email", "purpose", "level", "identifying",
                  "other_agencies", "funds_all_projects", "shared_outside", "law_enforcement"]
        widgets = {"requester_kind": forms.RadioSelect, "level": forms.RadioSelect}

    def __init__(self, *args, lead=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not lead:
            self.fields["requester_kind"].choices = [(DataRequest.Requester.AGENCY, DataRequest.Requester.AGENCY.label)]
            self.fields["requester_kind"].initial = DataRequest.Requester.AGENCY


class DataDecisionForm(UswdsFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("send_to_coc", "Send to the CoC for approval"),
                                          ("deny", "Deny"), ("delivered", "Mark delivered")], widget=forms.RadioSelect)
    expected_delivery_on = forms.DateField(widget=DateInput(), required=False, label="Expected delivery date")
    note = forms.CharField(required=False, label="Note or reason", max_length=300)
