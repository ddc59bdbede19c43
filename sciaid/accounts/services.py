"""Every change to users and role grants goes through these functions.

Who may do what: a platform admin grants any role over an area inside their own jurisdiction; a county admin grants
any role but platform admin inside their county. Nobody grants outside their jurisdiction, and nobody manages a user
who holds a role they could not have granted themselves (that would be a way to take over a wider account).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from sciaid.accounts.models import RoleGrant, User
from sciaid.core import audit
from sciaid.core.models import ChangeAction
from sciaid.core.privacy import optional_phone
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, is_unrestricted, may, user_grants
from sciaid.core.services import service
from sciaid.regions.models import Area

#: For each managing role, the roles its holder may grant (within the area of that grant).
GRANTABLE: dict[str, frozenset[str]] = {
    Role.PLATFORM_ADMIN: frozenset(Role.values),
    Role.COUNTY_ADMIN: frozenset(Role.values) - {Role.PLATFORM_ADMIN},
}
#: The user fields a manager edits; what the audit log records of a user (never the password hash).
PROFILE_FIELDS = ("full_name", "email", "phone", "organisation")
AUDITED_FIELDS = ("username", *PROFILE_FIELDS, "household_id", "is_active")


def may_grant(user, role: str, area: Area) -> bool:
    """Whether `user` may grant (or revoke) `role` over `area`."""
    if is_unrestricted(user):
        return True
    return any(role in GRANTABLE.get(grant.role, ()) and grant.area.covers(area) for grant in user_grants(user))


def grantable_roles(user) -> list[tuple[str, str]]:
    """The (value, label) role choices this user may grant somewhere."""
    if is_unrestricted(user):
        allowed = set(Role.values)
    else:
        allowed = set().union(*(GRANTABLE.get(grant.role, frozenset()) for grant in user_grants(user)))
    return [(value, label) for value, label in Role.choices if value in allowed]


def may_manage(user, target: User) -> bool:
    """Whether `user` may change `target`'s profile or activity: every role the target holds must be grantable by
    `user`, so a county admin cannot change the account of someone with wider powers than their own."""
    if is_unrestricted(user):
        return True
    if target.is_superuser or not may(user, target, CHANGE):
        return False
    grants = list(target.grants.select_related("area"))
    return bool(grants) and all(may_grant(user, grant.role, grant.area) for grant in grants)


def _audit_user(target: User, action: str, before: dict | None, after: dict | None, area: Area | None) -> None:
    """User is not a BaseModel (it is Django's auth model), so its changes are recorded here, filed under an area
    the user holds a role in so that the supervisors of that area read them."""
    entry = audit.build(target, action, before, after)
    if area is None:
        area = target.primary_area()
    entry.area_code = area.code if area else ""
    entry.save()


def _values(target: User) -> dict:
    return {name: getattr(target, name) for name in AUDITED_FIELDS}


def _clean_profile(target: User, fields: dict) -> dict:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    cleaned = dict(fields)
    if "phone" in cleaned:
        phone = cleaned["phone"] or ""
        cleaned["phone"] = optional_phone(phone) or None
        if cleaned["phone"] and User.objects.filter(phone=cleaned["phone"]).exclude(pk=target.pk).exists():
            raise ValidationError({"phone": _("This phone number is already used by another account.")})
    return cleaned


@service
def create_user(user, *, username: str, role: str, area: Area, password: str = "", **profile) -> User:
    """Create an account with its first role: a user without a grant would see nothing and be seen by nobody."""
    if not may_grant(user, role, area):
        raise PermissionDenied(_("You may not grant this role over this area."))
    target = User(username=(username or "").strip())
    for key, value in _clean_profile(target, profile).items():
        setattr(target, key, value)
    if User.objects.filter(username__iexact=target.username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    if password:
        try:
            validate_password(password, target)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        target.set_password(password)
    else:
        # The person sets their own password through the reset link.
        target.set_unusable_password()
    target.full_clean(exclude=["password"])
    target.save()
    RoleGrant.objects.create(user=target, role=role, area=area)
    _audit_user(target, ChangeAction.CREATE, None, _values(target), area)
    return target


def _require_manage(user, target: User) -> None:
    if not may_manage(user, target):
        raise PermissionDenied(_("You may not change this user."))


@service
def update_user(user, target: User, **profile) -> User:
    """Change a user's name, e-mail, phone or organisation."""
    _require_manage(user, target)
    before = _values(target)
    for key, value in _clean_profile(target, profile).items():
        setattr(target, key, value)
    target.full_clean(exclude=["password"])
    target.save()
    _audit_changes(target, before)
    return target


@service
def set_active(user, target: User, active: bool) -> User:
    """Deactivate an account (it can no longer log in, its grants stop counting) or activate it again."""
    _require_manage(user, target)
    if target.pk == user.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    before = _values(target)
    target.is_active = active
    target.save(update_fields=["is_active"])
    _audit_changes(target, before)
    return target


def _audit_changes(target: User, before: dict) -> None:
    after = _values(target)
    changed = [key for key in after if before[key] != after[key]]
    if changed:
        _audit_user(target, ChangeAction.UPDATE, {k: before[k] for k in changed}, {k: after[k] for k in changed}, None)


def _lock_grants_of(user_id: int) -> None:
    """Lock the user's row: grants and revocations of one user take turns, so the checks below see the other's
    result (the same grant twice is refused, not a unique-constraint error; two revocations never take the last)."""
    User.objects.select_for_update().filter(pk=user_id).values_list("pk").get()


@service
def grant_role(user, target: User, role: str, area: Area) -> RoleGrant:
    """Give `target` `role` over `area` (and so over its whole subtree)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if not may_grant(user, role, area):
        raise PermissionDenied(_("You may not grant this role over this area."))
    if not (is_unrestricted(user) or may(user, target, CHANGE)):
        raise PermissionDenied(_("You may not change this user."))
    _lock_grants_of(target.pk)
    if RoleGrant.objects.filter(user=target, role=role, area=area).exists():
        raise ValidationError(_("This user already has this role over this area."))
    grant = RoleGrant(user=target, role=role, area=area)
    grant.full_clean()
    grant.save()
    target.forget_grants()
    return grant


@service
def revoke_role(user, grant: RoleGrant) -> None:
    """Take a role away; a user's last role cannot be revoked (deactivate the account instead), so that no account
    drops out of every manager's sight."""
    if not may_grant(user, grant.role, grant.area):
        raise PermissionDenied(_("You may not revoke this role."))
    _lock_grants_of(grant.user_id)
    if not RoleGrant.objects.filter(user_id=grant.user_id).exclude(pk=grant.pk).exists():
        raise ValidationError(_("This is the user's last role; deactivate the account instead."))
    grant.delete()
    grant.user.forget_grants()


def remember_language(target: User, language: str) -> None:
    """Keep the language a user switched to, so what is sent to them later (notifications) is in it.

    Not audited: it is the user's own display preference, like the session cookie it mirrors."""
    if language in dict(settings.LANGUAGES) and target.language != language:
        target.language = language
        User.objects.filter(pk=target.pk).update(language=language)
