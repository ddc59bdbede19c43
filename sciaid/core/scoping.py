"""The one jurisdiction mechanism: every queryset a user causes is restricted here, and nowhere else.

A model declares *how* it is scoped with a `Scope` (which field leads to its administrative area, which roles may
view and change it); `Model.objects.for_user(user, action)` turns the user's role grants into one filter. Areas are
a tree addressed by their division code, so "everything under this county" is one indexed range on the code.

A view declares that it is scoped by inheriting the base classes in `sciaid.core.views` / `sciaid.core.api`, or that
it is public with `@public_view`; `view_scoping()` is what the request middleware uses to refuse anything else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q

from sciaid.core.context import current_actor
from sciaid.core.roles import Role

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)

#: Role-specific narrowing: given the user and one of their grants, the filter that grant allows.
GrantFilter = Callable[[Any, Any], Q]


@dataclass(frozen=True)
class Scope:
    """How one model is restricted.

    code_path: the lookup path from the model to the division code of the area it concerns ("code" for an area,
        "village__code" for a household); None for models that are not bound to an area.
    view/change: the roles that may read / write objects under their granted area.
    narrowed: roles whose grant allows less than the whole area subtree (a farmer sees only their own household).
    owner_path: objects are also visible and changeable by the user this path points at (their own jobs, profile).
    with_ancestors: a grant also covers objects of the areas above it (a county's triage officer sees the experts of
        its city and province, who serve the county too).
    catalogue: reference data (the specialty tree): every user holding one of the roles sees all of it.
    granted: rows that apps above the model's own let a role of theirs read or change ({action: {role: filter}}),
        added with `grant()` (commissioners read the households of the villages they are paired with).
    """

    code_path: str | None
    view: frozenset[str] = frozenset()
    change: frozenset[str] = frozenset()
    narrowed: dict[str, GrantFilter] = field(default_factory=dict)
    owner_path: str | None = None
    with_ancestors: bool = False
    catalogue: bool = False
    granted: dict[str, dict[str, GrantFilter]] = field(default_factory=dict)

    def grant(self, role: str, narrow: GrantFilter, action: str = VIEW) -> None:
        """Let `role` do `action` on the rows `narrow(user, grant)` selects. An app above the model's own calls this
        from its `AppConfig.ready()`, so the lower app need not know the higher one (layers only import down)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        self.granted.setdefault(action, {})[role] = narrow

    def roles_for(self, action: str) -> frozenset[str]:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        # Whoever may change may also view.
        return self.change if action == CHANGE else self.view | self.change

    def area_filter(self, area) -> Q:
        clause = Q(**{f"{self.code_path}__range": area.subtree_bounds})
        if self.with_ancestors:
            clause |= Q(**{f"{self.code_path}__in": area.ancestor_codes()})
        return clause

    def owner_clause(self, user) -> Q | None:
        """The user's own rows (`owner_path`), the first of `branches()`; None for a model nobody owns."""
        if not self.owner_path or getattr(user, "pk", None) is None:
            return None
        # The primary key, not the object: the path may end at a plain key ("pk") as well as at a relation.
        return Q(**{self.owner_path: user.pk})

    def filter_for(self, user, action: str) -> Q | None:
        """The filter that selects what `user` may do `action` on; None when they may do it on nothing."""
        return any_of(self.branches(user, action))

    def branches(self, user, action: str) -> list[Q]:
        """The filters whose rows together are what `user` may do `action` on (own rows, one per grant); [] for
        nothing. `for_user` reads each on its own index and unites the keys rather than ORing them."""
        roles = self.roles_for(action)
        owner = self.owner_clause(user)
        clauses: list[Q] = [] if owner is None else [owner]
        if self.catalogue:
            if any(grant.role in roles for grant in user_grants(user)):
                return [Q()]
        elif self.code_path is not None:
            # Whoever may change may also view, here too.
            extra = {**self.granted.get(CHANGE, {}), **(self.granted.get(VIEW, {}) if action == VIEW else {})}
            for grant in user_grants(user):
                if grant.role in roles:
                    narrow = self.narrowed.get(grant.role)
                    clauses.append(narrow(user, grant) if narrow else self.area_filter(grant.area))
                if grant.role in extra:
                    clauses.append(extra[grant.role](user, grant))
        return clauses


@dataclass(frozen=True)
class PublishedScope(Scope):
    """A scope whose published rows are read by every logged-in role of the province (like a catalogue), so a
    farmer anywhere finds the published answer or article; drafts and reviews stay with the roles of `view`, and
    changing with those of `change`, in the row's own area.

    published: the condition a row meets once published (`Q(status="published")`).
    """

    published: Q = field(default_factory=Q)

    def branches(self, user, action: str) -> list[Q]:
        branches = super().branches(user, action)
        grants = user_grants(user)
        if action != VIEW or not grants:
            return branches
        provinces = Q()
        for prefix in sorted({grant.area.code[:2] for grant in grants}):
            provinces |= Q(**{f"{self.code_path}__range": (prefix.ljust(12, "0"), prefix.ljust(12, "9"))})
        return [*branches, self.published & provinces]


def any_of(clauses: list[Q]) -> Q | None:
    """The OR of `clauses`; None for no clause (nothing is allowed)."""
    if not clauses:
        return None
    combined = clauses[0]
    for clause in clauses[1:]:
        combined |= clause
    return combined


def user_grants(user) -> list:
    """The user's active role grants (each with `.role` and `.area`), cached on the user object per request."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    getter = getattr(user, "active_grants", None)
    return list(getter()) if getter else []


def is_unrestricted(user) -> bool:
    """Operators with Django's superuser flag see everything; nobody else does."""
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to a user's jurisdiction."""

    def for_user(self, user, action: str = VIEW) -> ScopedQuerySet:
        scope: Scope | None = getattr(self.model, "scope", None)
        if scope is None:
            raise TypeError(f"{self.model.__name__} declares no `scope`; it cannot be served to users.")
        if is_unrestricted(user):
            return self.all()
        branches = scope.branches(user, action)
        if not branches:
            return self.none()
        if len(branches) > 1 and branches[0] == scope.owner_clause(user) and not owns_some(self.model, branches[0]):
            branches = branches[1:]
        if len(branches) > 1:
            return self.filter(pk__in=_union_of_keys(self, branches))
        qs = self.filter(branches[0])
        # A role grant path through a to-many relation (users → grants) may repeat rows.
        return qs.distinct() if _crosses_many(self.model, scope) else qs


def _union_of_keys(queryset: models.QuerySet, branches: list[Q]) -> models.QuerySet:
    """`SELECT pk … WHERE b1 UNION SELECT pk … WHERE b2 …`: the same rows as `b1 OR b2`, but each branch is read on
    its own index. ORed across tables (the requester's own demands OR the county's villages) PostgreSQL can use
    neither index and scans the whole table: 1,000,000 demands for a county admin's list. The union repeats no row.
    Each branch keeps the filters `queryset` already has, so narrowing before `for_user` (a desk's open demands of
    its county) narrows every branch too."""
    keys = [queryset.filter(branch).order_by().values("pk") for branch in branches]
    return keys[0].union(*keys[1:])


def owns_some(model: type[models.Model], owner: Q) -> bool:
    """Whether any row of `model` is the user's own (`owner` is their `Scope.owner_clause`).

    Officials own no demand, project or log, yet their own rows are a branch of the scope: the union with it makes
    PostgreSQL fetch each of a county's 6,000 demands again by key, twice (count and page), ~90 ms, where the one
    area branch alone is read on its index in ~10 ms. An owner branch is therefore dropped when it selects nothing.
    A "yes" is kept for the rest of the request (a row of theirs does not stop existing in a way that matters: an
    empty branch only costs the union); a "no" is asked again, since the request may be the one that creates it.
    """
    request = getattr(current_actor(), "request", None)
    owned = request.__dict__.setdefault("_owns_some", set()) if request is not None else set()
    key = (model._meta.label, str(owner))
    if key not in owned and model._default_manager.filter(owner).exists():
        owned.add(key)
    return key in owned


def _crosses_many(model, scope: Scope) -> bool:
    if not scope.code_path:
        return False
    current = model
    for part in scope.code_path.split("__")[:-1]:
        field_ = current._meta.get_field(part)
        if field_.many_to_many or field_.one_to_many:
            return True
        current = field_.related_model
    return False


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def within_granted_areas(queryset: models.QuerySet, user) -> models.QuerySet:
    """Also require the object's area to lie under one of the user's granted areas, whatever the role.

    `for_user` ORs the owner's own rows with area ranges; across two tables PostgreSQL then cannot use the area
    index and scans every row. Searches that only make sense inside the user's areas (similar demands) add this
    filter so the index narrows first. It never widens what `for_user` allows.
    """
    if is_unrestricted(user):
        return queryset
    scope: Scope = queryset.model.scope
    combined = any_of([scope.area_filter(grant.area) for grant in user_grants(user)] if scope.code_path else [])
    return queryset.none() if combined is None else queryset.filter(combined)


def may(user, obj: models.Model, action: str) -> bool:
    """Whether `user` may do `action` on this saved object; one query: the row by its key, tested against the scope's
    branches ORed (for one row an OR costs nothing, and no branch need be dropped first)."""
    if is_unrestricted(user):
        return True
    scope: Scope | None = getattr(type(obj), "scope", None)
    if scope is None:
        raise TypeError(f"{type(obj).__name__} declares no `scope`; it cannot be served to users.")
    allowed = scope.filter_for(user, action)
    return allowed is not None and type(obj)._default_manager.filter(allowed, pk=obj.pk).exists()


def may_act_on_some(user, model: type[models.Model], action: str) -> bool:
    """Whether `user` may do `action` on some objects of `model` at all (decides pages and links, not rows)."""
    scope: Scope | None = getattr(model, "scope", None)
    if scope is None:
        return False
    return is_unrestricted(user) or scope.filter_for(user, action) is not None


def area_allows(user, area, roles: Iterable[str]) -> bool:
    """Whether one of the user's grants in `roles` covers `area` (for creating something there)."""
    if is_unrestricted(user):
        return True
    roles = set(roles)
    return any(grant.role in roles and grant.area.covers(area) for grant in user_grants(user))


def granted_roles(user) -> set[str]:
    return {grant.role for grant in user_grants(user)}


# --- views -----------------------------------------------------------------------------------------------------

PUBLIC = "public"
SCOPED = "scoped"


def public_view(view):
    """Mark a function view as serving no jurisdiction-bound data (login, language switch, health check)."""
    view.scoping = PUBLIC
    return view


def view_scoping(view_func, request=None) -> str | None:
    """The scoping a resolved view declares: PUBLIC, SCOPED, or None (which the middleware refuses)."""
    module = getattr(view_func, "__module__", "") or ""
    # Django's own admin has its own permission system and only lets staff in.
    if module.startswith("django.contrib.admin") or (
        request and request.resolver_match and request.resolver_match.app_name == "admin"
    ):
        return PUBLIC
    for holder in (getattr(view_func, "view_class", None), getattr(view_func, "cls", None), view_func):
        declared = getattr(holder, "scoping", None)
        if declared in (PUBLIC, SCOPED):
            return declared
    return None


__all__ = [
    "CHANGE",
    "VIEW",
    "PublishedScope",
    "Role",
    "Scope",
    "ScopedManager",
    "ScopedQuerySet",
    "area_allows",
    "granted_roles",
    "may",
    "may_act_on_some",
    "public_view",
    "user_grants",
    "view_scoping",
    "within_granted_areas",
]
