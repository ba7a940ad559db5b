"""Forms of referrals between agencies (issue 21). They validate input; enrollments/referrals.py decides."""

from django import forms

from hmis.forms import UswdsFormMixin

from .referral_models import DeclineReason
from .referrals import NOTE_MAX


class ReferralForm(UswdsFormMixin, forms.Form):
    to_project = forms.ModelChoiceField(queryset=None, label="Project to refer the client to",
                                        empty_label="Choose a project")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Why you refer the client",
                           max_length=NOTE_MAX, help_text=(
                               "The receiving agency reads this. Write what they need to decide; the client's "
                               "name and details are shown to them only as the client's consent allows."))

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_project"].queryset = projects
        self.fields["to_project"].label_from_instance = lambda p: f"{p.agency.name}: {p.name}"


class AcceptForm(UswdsFormMixin, forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Note for the referring agency (optional)",
                           required=False, max_length=NOTE_MAX)


class DeclineForm(UswdsFormMixin, forms.Form):
    reason = forms.ChoiceField(choices=DeclineReason.choices, widget=forms.RadioSelect, label="Why you decline",
                               error_messages={"required": "Choose why the referral is declined."})
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="The reason in words",
                           required=False, max_length=NOTE_MAX,
                           help_text="Required for another reason; helps the referring worker refer elsewhere.")


class WithdrawForm(UswdsFormMixin, forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why you withdraw it (optional)",
                           required=False, max_length=NOTE_MAX)
