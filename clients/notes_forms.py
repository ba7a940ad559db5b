"""Forms of case notes and files (issue 21). They validate input; clients/notes.py decides."""

from django import forms

from hmis import dates
from hmis.forms import DateInput, UswdsFormMixin

from .models import CaseNote

RETURN_TO = [("client", "client"), ("stay", "stay")]


class _StayChoice(UswdsFormMixin, forms.Form):
    enrollment = forms.ModelChoiceField(queryset=None, required=False, label="Stay (optional)",
                                        empty_label="Not about one stay")
    return_to = forms.ChoiceField(choices=RETURN_TO, widget=forms.HiddenInput, initial="client", required=False)

    def __init__(self, *args, stays, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = stays
        self.fields["enrollment"].label_from_instance = (
            lambda stay: f"{stay.project.name}, from {stay.entry_date:%m/%d/%Y}")


class NoteForm(_StayChoice):
    note_date = forms.DateField(widget=DateInput, label="Date of the contact", initial=dates.today)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Note", strip=False,
                           help_text="Shared with other agencies only as the client's consent allows.")
    field_order = ["note_date", "enrollment", "text"]


class FileForm(_StayChoice):
    upload = forms.FileField(label="File", help_text=(
        "PDF, PNG, JPEG or TIFF, up to 10 MB. It can be opened once the virus scan finds it clean."))
    description = forms.CharField(required=False, max_length=200, label="What it is (optional)",
                                  help_text="For example: photo ID, income letter. Not the client's name.")
    field_order = ["upload", "description", "enrollment"]


class NoteCorrectionForm(UswdsFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=CaseNote.Kind.choices, widget=forms.RadioSelect, label="The note was")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Correction or addition", strip=False)
