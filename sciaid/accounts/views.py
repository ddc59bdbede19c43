"""Login, logout and password reset (Django's views, marked public), and user and role-grant management."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from sciaid.accounts import services
from sciaid.accounts.filters import UserFilter
from sciaid.accounts.forms import GrantForm, LoginForm, RevokeForm, UserCreateForm, UserEditForm
from sciaid.accounts.models import RoleGrant, User
from sciaid.core.privacy import mask_phone, may_see_personal_data
from sciaid.core.scoping import PUBLIC, public_view
from sciaid.core.views import ScopedDetailView, ScopedListView, ServiceFormView


@public_view
def choose_language(request):
    """Django's language switch, which also remembers a logged-in user's choice for what is sent to them later."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.remember_language(request.user, request.POST.get("language", ""))
    return response


class LoginView(auth_views.LoginView):
    scoping = PUBLIC
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    scoping = PUBLIC


class PasswordResetView(auth_views.PasswordResetView):
    """The reset link is built on SITE_URL when it is set: the request's Host header is the sender's to choose, and a
    forged one would mail the user a link to someone else's server, carrying a valid token."""

    scoping = PUBLIC
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        site = urlsplit(settings.SITE_URL)
        if site.netloc:
            self.extra_email_context = {"protocol": site.scheme or "https", "domain": site.netloc}
        return super().form_valid(form)


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


# --- user and role-grant management ------------------------------------------------------------------------------


def shown_phone(viewer, user: User) -> str:
    """The user's phone in full for a viewer who may read personal data where the user holds a role, else masked."""
    phone = user.phone or ""
    if any(may_see_personal_data(viewer, grant.area) for grant in user.grants.all()):
        return phone
    return mask_phone(phone)


def roles_text(user: User) -> str:
    return ", ".join(f"{grant.get_role_display()} · {grant.area.name}" for grant in user.grants.all())


def user_url(user_id: int) -> str:
    return reverse("accounts:user-detail", args=[user_id])


class UserQuerysetMixin:
    """Users come with their grants and areas: two queries for a whole page."""

    def get_queryset(self):
        return super().get_queryset().prefetch_related("grants__area")


class UserListView(UserQuerysetMixin, ScopedListView):
    """The users holding a role in the viewer's jurisdiction, by name, role and area; exportable."""

    model = User
    filterset_class = UserFilter
    template_name = "accounts/user_list.html"
    export_name = "users"
    export_columns = [
        (_("Username"), lambda user, view: user.username),
        (_("Full name"), lambda user, view: user.full_name),
        (_("Mobile phone"), lambda user, view: shown_phone(view.request.user, user)),
        (_("Organisation"), lambda user, view: user.organisation),
        (_("Roles"), lambda user, view: roles_text(user)),
        (_("Active"), lambda user, view: _("yes") if user.is_active else _("no")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        viewer = self.request.user
        for user in context["object_list"]:
            user.shown_phone = shown_phone(viewer, user)
        context["may_create"] = bool(services.grantable_roles(viewer))
        return context


class UserDetailView(UserQuerysetMixin, ScopedDetailView):
    """One user, their roles, and what the viewer may change about them."""

    model = User
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        viewer, user = self.request.user, self.object
        context["shown_phone"] = shown_phone(viewer, user)
        context["may_manage"] = services.may_manage(viewer, user)
        context["grants"] = [(grant, services.may_grant(viewer, grant.role, grant.area)) for grant in user.grants.all()]
        context["may_grant"] = context["can_change"] and bool(services.grantable_roles(viewer))
        return context


class UserCreateView(ServiceFormView):
    """A new account with its first role; only for users who may grant a role."""

    model = User
    edits_object = False
    form_class = UserCreateForm
    template_name = "accounts/user_form.html"
    success_message = _("The user was created.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.grantable_roles(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return services.create_user(
            self.request.user,
            username=data["username"],
            password=data["password"],
            role=data["role"],
            area=data["area"],
            **form.profile(),
        )

    def get_success_url(self, saved=None):
        return user_url(saved.pk)


class UserEditView(ServiceFormView):
    model = User
    form_class = UserEditForm
    template_name = "accounts/user_form.html"

    def perform(self, form):
        user = services.update_user(self.request.user, self.object, **form.profile())
        if form.cleaned_data["is_active"] != user.is_active:
            user = services.set_active(self.request.user, user, form.cleaned_data["is_active"])
        return user

    def get_success_url(self, saved=None):
        return user_url(saved.pk)


class GrantCreateView(ServiceFormView):
    """Give the user a role over an area of the acting user's jurisdiction."""

    model = User
    form_class = GrantForm
    template_name = "accounts/grant_form.html"
    success_message = _("The role was granted.")

    def perform(self, form):
        data = form.cleaned_data
        return services.grant_role(self.request.user, self.object, data["role"], data["area"])

    def get_success_url(self, saved=None):
        return user_url(self.object.pk)


class GrantRevokeView(ServiceFormView):
    """Confirm, then take a role away (POST)."""

    model = RoleGrant
    select_related = ("user", "area")
    form_class = RevokeForm
    template_name = "accounts/grant_confirm_revoke.html"
    success_message = _("The role was revoked.")

    def perform(self, form):
        services.revoke_role(self.request.user, self.object)

    def get_success_url(self, saved=None):
        return user_url(self.object.user_id)
