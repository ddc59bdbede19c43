"""Login, logout and password reset (Django's views, marked public), and user and role-grant management."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from sciaid.accounts.forms import LoginForm
from sciaid.core.scoping import PUBLIC


class LoginView(auth_views.LoginView):
    scoping = PUBLIC
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    scoping = PUBLIC


class PasswordResetView(auth_views.PasswordResetView):
    scoping = PUBLIC
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    scoping = PUBLIC
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    scoping = PUBLIC
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    scoping = PUBLIC
    template_name = "accounts/password_reset_complete.html"
