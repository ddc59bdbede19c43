"""Login by username or phone; forms for managing users and their role grants."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sciaid.accounts.services import PROFILE_FIELDS, grantable_roles
from sciaid.core.forms import ActingUserForm, PhoneField
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


class LoginForm(AuthenticationForm):
    """Django's login form, labelled for people who log in with their phone number."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Username or mobile phone")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})


class AreaPickerMixin(forms.Form):
    """Choose an area: a select of the user's areas at county level and above, or any area of theirs by its code
    (a province has ~50,000 villages, too many for a select)."""

    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False, label=_("Area"))
    area_code = forms.CharField(
        required=False,
        max_length=12,
        label=_("…or its division code"),
        help_text=_("12 digits, for a township or a village"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "340422105201"}),
    )

    def setup_area(self, user) -> None:
        self.fields["area"].queryset = Area.objects.for_user(user).filter(level__lte=AreaLevel.COUNTY).order_by("code")

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("area_code") or "").strip()
        if code:
            found = Area.objects.for_user(self.user).filter(code=code).first()
            if found is None:
                self.add_error("area_code", _("No area with this code in your jurisdiction."))
            cleaned["area"] = found
        elif not cleaned.get("area"):
            self.add_error("area", _("Choose an area or type its code."))
        return cleaned


class GrantForm(AreaPickerMixin, ActingUserForm):
    role = forms.ChoiceField(label=_("Role"))

    field_order = ["role", "area", "area_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = grantable_roles(self.user)
        self.setup_area(self.user)


class UserProfileForm(ActingUserForm):
    full_name = forms.CharField(label=_("Full name"), max_length=64, required=False)
    phone = PhoneField(label=_("Mobile phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=128, required=False)

    def profile(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}


class UserCreateForm(AreaPickerMixin, UserProfileForm):
    """A new account and its first role (an account without a role would see nothing and be seen by nobody)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty: the person sets it with “Forgotten your password?”."),
    )
    role = forms.ChoiceField(label=_("Role"))

    field_order = ["username", "full_name", "phone", "email", "organisation", "password", "role", "area", "area_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = grantable_roles(self.user)
        self.setup_area(self.user)


class UserEditForm(UserProfileForm):
    is_active = forms.BooleanField(label=_("Active (may log in)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not self.is_bound:
            self.initial = {name: getattr(self.instance, name) or "" for name in (*PROFILE_FIELDS, "is_active")}
            self.initial["is_active"] = self.instance.is_active


class RevokeForm(ActingUserForm):
    """Nothing to fill in: the page confirms which role is taken away."""
