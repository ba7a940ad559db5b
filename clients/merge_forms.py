"""Forms of merging duplicate records (issue 21). They validate input; clients/merge.py decides."""

from django import forms

from hmis.forms import UswdsFormMixin

from .models import CLIENT_ID_ALPHABET, normalize_client_id

SURVIVOR_CHOICES = [("first", "Keep the first record"), ("second", "Keep the second record")]


def _client_id_field(label):
    return forms.CharField(label=label, max_length=12, help_text="8 characters, for example 7K3M-Q9TX.",
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))


class MergeForm(UswdsFormMixin, forms.Form):
    """Step 1 (compare): two HMIS Client IDs. Step 2 (merge): which record stays, why, and
    a confirmation. The IDs typed stay in the form on every step."""

    first_id = _client_id_field("HMIS Client ID of the first record")
    second_id = _client_id_field("HMIS Client ID of the second record")
    survivor = forms.ChoiceField(choices=SURVIVOR_CHOICES, widget=forms.RadioSelect, required=False,
                                 label="Which record stays",
                                 help_text="The other record's stays, consents, notes and files move to it.")
    reason = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             label="Why these are the same person",
                             help_text="Kept with the merge. Not sent to the agencies.")
    confirm = forms.BooleanField(required=False, label="I checked that both records are the same person.")

    def __init__(self, *args, merging=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.merging = merging
        messages = {"survivor": "Choose which record stays.", "reason": "Say why these two records are the same person.",
                    "confirm": "Tick the box once you checked that both records are the same person."}
        for name, message in messages.items():
            self.fields[name].required = merging
            self.fields[name].error_messages["required"] = message

    def _client_id(self, name):
        value = normalize_client_id(self.cleaned_data.get(name, ""))
        if len(value) != 8 or any(ch not in CLIENT_ID_ALPHABET for ch in value):
            raise forms.ValidationError("Enter an HMIS Client ID of 8 letters and digits, for example 7K3M-Q9TX.")
        return value

    def clean_first_id(self):
        return self._client_id("first_id")

    def clean_second_id(self):
        return self._client_id("second_id")

    def clean(self):
        data = super().clean()
        if data.get("first_id") and data.get("first_id") == data.get("second_id"):
            self.add_error("second_id", "Enter two different HMIS Client IDs.")
        return data

    def chosen(self):
        """(survivor ID, duplicate ID) as chosen."""
        first, second = self.cleaned_data["first_id"], self.cleaned_data["second_id"]
        return (first, second) if self.cleaned_data["survivor"] == "first" else (second, first)
