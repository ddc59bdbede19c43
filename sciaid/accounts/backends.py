"""Log in with either the username or the mobile phone number, with Django's password hashers; failed logins are
counted against the account, whichever of the two was typed."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from sciaid.accounts.models import User


def account_for(identifier: str) -> User | None:
    """The account a typed username or mobile number logs in to (the oldest, should two share a phone)."""
    return User.objects.filter(Q(username=identifier) | Q(phone=identifier)).order_by("pk").first()


def lockout_username(request, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the account's username for the typed identifier, so that failures by phone and by
    username add up and a locked account stays locked whichever one is typed next. An identifier that names no
    account is counted as typed."""
    data = credentials or getattr(request, "data", None) or request.POST
    identifier = (data.get("username") or "").strip()
    user = account_for(identifier) if identifier else None
    return user.username if user is not None else identifier


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        user = account_for(username)
        if user is None:
            # Spend the same time as a real check so that timing does not reveal which usernames exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
