"""Form plumbing shared by every app, and the sign-in forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

# Checked in order: CheckboxSelectMultiple is a kind of RadioSelect, so it comes first.
WIDGET_CLASSES = {
    forms.CheckboxInput: "usa-checkbox__input",
    forms.CheckboxSelectMultiple: "usa-checkbox__input",
    forms.RadioSelect: "usa-radio__input",
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.FileInput: "usa-file-input",
}


class UswdsFormMixin:
    """Give each widget the U.S. Web Design System class its kind needs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)), "usa-input"
            )
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{existing} {css}".strip()
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"


def error_summary_items(form) -> list[tuple[str, str]]:
    """(anchor id, message) for each error of ``form``, in the form's order, for the
    error summary at the top of every form (DESIGN conv. 10). The anchor is the id of
    the input the message is about (the first option of radios and checkbox lists,
    whose wrapper cannot take focus); "" for errors about the whole form or a hidden
    field, which have nothing to link to."""
    if not form.is_bound or not form.errors:
        return []
    items = [("", str(message)) for message in form.non_field_errors()]
    for field in form:
        if not field.errors:
            continue
        anchor = "" if field.is_hidden else (field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else ""))
        for message in field.errors:
            items.append((anchor, f"{field.label}: {message}"))
    return items


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class HttpsURLField(forms.URLField):
    """A web address typed without a scheme is taken to be https://."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class SignInForm(UswdsFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "That username and password do not match. Check both and try again; "
            "after several failures the account is locked for a while."
        ),
        "inactive": "This account is inactive. Ask your agency's authorized representative.",
    }


class OneTimeCodeForm(UswdsFormMixin, forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app, or a backup code",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()


class UnlockForm(UswdsFormMixin, forms.Form):
    password = forms.CharField(
        label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class AgencyContextForm(forms.Form):
    agency = forms.TypedChoiceField(coerce=int, label="Agency you are working for")

    def __init__(self, *args, licenses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(lic.agency_id, lic.agency.name) for lic in licenses]
        self.fields["agency"].widget.attrs["class"] = "usa-select"


class ApiTokenForm(UswdsFormMixin, forms.Form):
    user = forms.ModelChoiceField(queryset=None, label="Person the token acts as")
    agency = forms.ModelChoiceField(queryset=None, required=False, label="Agency context",
                                    help_text="Needed when the person holds licenses at several agencies.")
    name = forms.CharField(max_length=100, label="What the token is for", initial="Coordinated entry")
    days = forms.IntegerField(min_value=1, max_value=365, initial=90, label="Lifetime (days)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from agencies.models import Agency

        from .models import User

        self.fields["user"].queryset = User.objects.filter(is_active=True)
        self.fields["agency"].queryset = Agency.objects.all()
