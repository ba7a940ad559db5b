"""Forms of the household pages (issue 21). They validate input; enrollments/households.py
decides."""

from django import forms

from hmis import dates
from hmis.forms import DateInput, UswdsFormMixin

from .forms import SELECT_PROMPT, ExitForm
from .households import MEMBER_RELATIONSHIPS
from .hud_lists import RelationshipToHoH

MEMBER_CHOICES = [(code.value, code.label) for code in MEMBER_RELATIONSHIPS]


class MemberSearchForm(UswdsFormMixin, forms.Form):
    q = forms.CharField(label="Find the client: name or HMIS Client ID", max_length=100,
                        required=False)


class AddMemberForm(UswdsFormMixin, forms.Form):
    relationship = forms.TypedChoiceField(coerce=int, choices=[("", SELECT_PROMPT), *MEMBER_CHOICES],
                                          label="Relationship to the head of household (3.15)")
    entry_date = forms.DateField(widget=DateInput, initial=dates.today, label="Project start date of this member (3.10)",
                                 help_text="The day they joined: on or after the head's project start, not in the "
                                           "future.")


class MemberExitForm(UswdsFormMixin, forms.Form):
    exit_date = forms.DateField(widget=DateInput, initial=dates.today, label="This member's exit date (3.11)")
    # The household exit's own questions (3.12, 3.12.A, 3.12.B with their show-if rules): Django
    # copies declared fields into each form, so sharing ExitForm's keeps the two from drifting.
    destination = ExitForm.base_fields["destination"]
    destination_subsidy_type = ExitForm.base_fields["destination_subsidy_type"]
    other_destination = ExitForm.base_fields["other_destination"]
    version = forms.IntegerField(widget=forms.HiddenInput)


class ChangeHeadForm(UswdsFormMixin, forms.Form):
    """The new head among the members present, the former head's new relationship, and the
    other members' relationships to the new head (each starting from what is recorded)."""

    new_head = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="New head of household")
    previous_head_becomes = forms.TypedChoiceField(coerce=int, choices=[("", SELECT_PROMPT), *MEMBER_CHOICES])
    effective_date = forms.DateField(widget=DateInput, initial=dates.today, label="Date the new head takes over")

    def __init__(self, *args, candidates, head, others, **kwargs):
        """``candidates``: [(stay, label)] of members present who may become head; ``head``:
        (stay, label) of the current head; ``others``: [(stay, label)] of every other member
        present, who may be re-labelled."""
        super().__init__(*args, **kwargs)
        self.fields["new_head"].choices = [(stay.pk, label) for stay, label in candidates]
        self.fields["previous_head_becomes"].label = f"{head[1]}, head until now, becomes the new head's"
        self.others = others
        for stay, label in others:
            name = f"relationship_{stay.pk}"
            self.fields[name] = forms.TypedChoiceField(
                coerce=int, required=False, empty_value=None, label=f"{label}: relationship to the new head",
                choices=[("", "Keep as recorded"), *MEMBER_CHOICES],
                help_text=f"Recorded now: {RelationshipToHoH(stay.relationship_to_hoh).label}"
                if stay.relationship_to_hoh else "")
            self.fields[name].widget.attrs["class"] = "usa-select"

    def relationships(self) -> dict[int, int]:
        return {stay.pk: self.cleaned_data.get(f"relationship_{stay.pk}") for stay, _ in self.others
                if self.cleaned_data.get(f"relationship_{stay.pk}") is not None}
