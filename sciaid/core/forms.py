"""Shared form pieces: the base of every form a ServiceFormView shows, and fields for personal data."""

from django import forms

from sciaid.core.privacy import validate_id_number, validate_phone


class PhoneField(forms.CharField):
    """A mainland mobile number; spaces, dashes and +86 as people type them are accepted and removed."""

    widget = forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = super().clean(value)
        return validate_phone(value) if value else ""


class IdNumberField(forms.CharField):
    """A citizen ID number checked against GB 11643 (length, birth date, check digit)."""

    widget = forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 22)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = super().clean(value)
        return validate_id_number(value) if value else ""


class ActingUserForm(forms.Form):
    """A form that knows who is acting (ServiceFormView passes `user`, and `instance` when editing an object)."""

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user = user
        self.instance = instance
        super().__init__(*args, **kwargs)
