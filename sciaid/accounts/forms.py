"""Login by username or phone; forms for managing users and their role grants."""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form, labelled for people who log in with their phone number."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Username or mobile phone")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
