"""Every change to experts, the specialty tree and commissioner pairings goes through these functions.

Each checks the acting user's role and jurisdiction, validates, writes in one transaction with its audit entry, and
re-checks afterwards that the result is still the user's to change. An expert may edit only their own expertise,
availability and phone; everything else about an expert is the business of the county (or platform) that selected
them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sciaid.accounts import services as accounts
from sciaid.accounts.models import User
from sciaid.core import audit
from sciaid.core.models import ChangeAction
from sciaid.core.privacy import optional_phone
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, area_allows, granted_roles, is_unrestricted, may
from sciaid.core.services import service
from sciaid.core.text import joined_tokens
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

#: The profile fields an expert edits themselves; the rest is set by the county that selected them.
SELF_FIELDS = frozenset({"expertise", "availability", "phone"})
#: Not `is_commissioner`: commissioners come only from an approved selection batch or the roster import
#: (`mark_commissioner`), never from a profile's flag.
PROFILE_FIELDS = frozenset({"name", "organisation", "title", "level", "home_area"}) | SELF_FIELDS
#: An expert's level is the level of the government that selected them.
LEVEL_OF_AREA = {
    AreaLevel.PROVINCE: ExpertLevel.PROVINCE,
    AreaLevel.CITY: ExpertLevel.CITY,
    AreaLevel.COUNTY: ExpertLevel.COUNTY,
}


def manages(user, expert: Expert) -> bool:
    """Whether `user` manages this expert's profile (a manager of the area that selected them), not just owns it."""
    return area_allows(user, expert.home_area, Expert.scope.change)


def _require_area(user, area: Area, roles) -> None:
    if not area_allows(user, area, roles):
        raise PermissionDenied(_("This area is outside your jurisdiction."))


def _recheck(user, obj) -> None:
    if not may(user, obj, CHANGE):
        raise PermissionDenied(_("This change would move the record outside your jurisdiction."))


def _m2m_audit(expert: Expert, name: str, before: list, after: list) -> None:
    if before != after:
        audit.record(expert, ChangeAction.UPDATE, {name: before}, {name: after})


# --- experts -----------------------------------------------------------------------------------------------------


def level_for(area: Area) -> str:
    """The expert level that selection by `area` means; only a province, city or county selects experts."""
    level = LEVEL_OF_AREA.get(area.level)
    if level is None:
        raise ValidationError({"home_area": _("Experts are selected by a province, city or county.")})
    return level


def _account(user, username: str, name: str, home_area: Area) -> User:
    """The expert's login: an existing account the acting user manages, or a new one with the expert role."""
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Give the expert's username.")})
    account = User.objects.filter(username__iexact=username).first()
    if account is None:
        return accounts.create_user(user, username=username, role=Role.EXPERT, area=home_area, full_name=name)
    if Expert.objects.filter(user=account).exists():
        raise ValidationError({"username": _("This user already has an expert profile.")})
    if not (is_unrestricted(user) or may(user, account, CHANGE)):
        raise ValidationError({"username": _("This username belongs to an account outside your jurisdiction.")})
    if not any(grant.role == Role.EXPERT for grant in account.active_grants()):
        accounts.grant_role(user, account, Role.EXPERT, home_area)
    return account


@service
def save_expert(
    user,
    *,
    instance: Expert | None = None,
    username: str = "",
    specialties=None,
    service_areas=None,
    **fields,
) -> Expert:
    """Create an expert profile (with its login account, created if needed) or change one.

    Managers of the selecting area change everything; the expert themselves only SELF_FIELDS (a field sent with its
    current value is not a change, so a full form or PUT of one's own profile works).
    """
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"not expert fields: {sorted(unknown)}")
    if "phone" in fields:
        fields["phone"] = optional_phone(fields["phone"])
    expert = instance or Expert()
    if instance is None:
        home_area = fields.get("home_area")
        if home_area is None:
            raise ValidationError({"home_area": _("Say which area selected the expert.")})
        _require_area(user, home_area, Expert.scope.change)
    elif not manages(user, instance):
        if instance.user_id != getattr(user, "pk", None):
            raise PermissionDenied(_("You may not change this expert."))
        changed = {key for key, value in fields.items() if getattr(instance, key) != value}
        if changed - SELF_FIELDS or specialties is not None or service_areas is not None:
            raise PermissionDenied(_("You may change only your expertise, availability and phone."))
    if "home_area" in fields:
        _require_area(user, fields["home_area"], Expert.scope.change)
        derived = level_for(fields["home_area"])
        if fields.get("level") not in (None, "", derived):
            raise ValidationError({"level": _("The level must match the area that selected the expert.")})
        fields["level"] = derived
    for key, value in fields.items():
        setattr(expert, key, value)
    expert.expertise_tokens = joined_tokens(expert.expertise)
    if instance is None:
        expert.user = _account(user, username, expert.name, expert.home_area)
    expert.full_clean(exclude=["user", "specialties", "service_areas"])
    expert.save()
    if specialties is not None:
        _set_specialties(expert, specialties)
    if service_areas is not None:
        _set_service_areas(user, expert, service_areas)
    _recheck(user, expert)
    return expert


def _set_specialties(expert: Expert, specialties) -> None:
    chosen = sorted({s.pk for s in specialties})
    if not chosen:
        raise ValidationError({"specialties": _("Choose at least one specialty.")})
    before = sorted(expert.specialties.values_list("pk", flat=True))
    expert.specialties.set(chosen)
    _m2m_audit(expert, "specialties", before, chosen)


def _set_service_areas(user, expert: Expert, areas) -> None:
    areas = list(areas)
    for area in areas:
        _require_area(user, area, Expert.scope.change)
    before = sorted(expert.service_areas.values_list("code", flat=True))
    expert.service_areas.set(areas)
    _m2m_audit(expert, "service_areas", before, sorted(a.code for a in areas))


@service
def set_specialties(user, expert: Expert, specialties) -> Expert:
    """Replace the expert's specialties (at least one): matching demands to experts starts from them."""
    if not manages(user, expert):
        raise PermissionDenied(_("You may not change this expert."))
    _set_specialties(expert, specialties)
    return expert


@service
def deactivate_expert(user, expert: Expert) -> Expert:
    """Take an expert out of routing (retired, moved away); their past services and pairings stay."""
    if not manages(user, expert):
        raise PermissionDenied(_("You may not change this expert."))
    if not expert.is_active:
        raise ValidationError(_("This expert is already inactive."))
    expert.is_active = False
    expert.save()
    return expert


@service
def reactivate_expert(user, expert: Expert) -> Expert:
    """Put an inactive expert back into routing."""
    if not manages(user, expert):
        raise PermissionDenied(_("You may not change this expert."))
    if expert.is_active:
        raise ValidationError(_("This expert is already active."))
    expert.is_active = True
    expert.save()
    return expert


@service
def mark_commissioner(user, expert: Expert, *, selected_by: Area, value: bool = True) -> Expert:
    """Make an expert an S&T commissioner (the flag pairing and routing go by), or no longer one. The county or
    province whose selection decides it calls this (the commissioners app, approving a candidate); the expert may
    have been selected by another area than the one whose profile they have, so the check is on `selected_by`."""
    _require_area(user, selected_by, Expert.scope.change)
    expert = Expert.objects.for_user(user).select_for_update().filter(pk=expert.pk).first()
    if expert is None:
        raise ValidationError({"expert": _("Unknown expert.")})
    if expert.is_commissioner != value:
        expert.is_commissioner = value
        expert.save()
    return expert


# --- commissioner pairings ---------------------------------------------------------------------------------------


@service
def pair_commissioner(user, expert: Expert, village: Area, year: int) -> Pairing:
    """Pair an active commissioner with a village of the acting county for a year, at most
    settings.COMMISSIONER_MAX_VILLAGES villages a year each; the expert row is locked so two managers pairing the
    same commissioner at once cannot together exceed the limit."""
    if village.level != AreaLevel.VILLAGE:
        raise ValidationError({"village": _("Commissioners are paired with villages.")})
    _require_area(user, village, Pairing.scope.change)
    expert = Expert.objects.for_user(user).select_for_update().filter(pk=expert.pk).first()
    if expert is None:
        raise ValidationError({"expert": _("Unknown expert.")})
    if not (expert.is_commissioner and expert.is_active):
        raise ValidationError({"expert": _("Only active S&T commissioners are paired with villages.")})
    pairings = Pairing.objects.filter(expert=expert, year=year)
    if pairings.filter(village=village).exists():
        raise ValidationError(
            _("%(expert)s is already paired with %(village)s for %(year)s.")
            % {"expert": expert.name, "village": village.name, "year": year}
        )
    limit = settings.COMMISSIONER_MAX_VILLAGES
    if pairings.count() >= limit:
        raise ValidationError(
            {"expert": _("A commissioner is paired with at most %(limit)s villages a year.") % {"limit": limit}}
        )
    pairing = Pairing(expert=expert, village=village, year=year)
    pairing.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            pairing.save()
    except IntegrityError:
        raise ValidationError(_("This pairing already exists.")) from None
    return pairing


@service
def unpair(user, pairing: Pairing) -> None:
    """End a pairing made by mistake or because the commissioner left."""
    if not may(user, pairing, CHANGE) or not area_allows(user, pairing.village, Pairing.scope.change):
        raise PermissionDenied(_("You may not change this pairing."))
    pairing.delete()


# --- specialty tree ----------------------------------------------------------------------------------------------


def may_edit_specialties(user) -> bool:
    return is_unrestricted(user) or bool(granted_roles(user) & Specialty.scope.change)


def _require_specialty_editor(user) -> None:
    if not may_edit_specialties(user):
        raise PermissionDenied(_("Only platform admins edit the specialty tree."))


@service
def save_specialty(user, *, instance: Specialty | None = None, **fields) -> Specialty:
    """Add a node to the specialty tree or rename or move one; a node cannot be moved under itself."""
    _require_specialty_editor(user)
    specialty = instance or Specialty()
    for key, value in fields.items():
        setattr(specialty, key, value)
    ancestor = specialty.parent
    while ancestor is not None:
        if specialty.pk and ancestor.pk == specialty.pk:
            raise ValidationError({"parent": _("A specialty cannot be placed under itself.")})
        ancestor = ancestor.parent
    specialty.full_clean()
    specialty.save()
    return specialty


@service
def delete_specialty(user, specialty: Specialty) -> None:
    """Remove a node nobody uses: experts (and later demands) keep their specialties, so a used one stays."""
    _require_specialty_editor(user)
    if specialty.children.exists():
        raise ValidationError(_("This specialty has sub-specialties; move or delete them first."))
    if specialty.experts.exists():
        raise ValidationError(_("Experts have this specialty; it cannot be deleted."))
    specialty.delete()
