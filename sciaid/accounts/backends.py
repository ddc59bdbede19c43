"""Log in with either the username or the mobile phone number, with Django's password hashers."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from sciaid.accounts.models import User


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        user = User.objects.filter(Q(username=username) | Q(phone=username)).order_by("pk").first()
        if user is None:
            # Spend the same time as a real check so that timing does not reveal which usernames exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
