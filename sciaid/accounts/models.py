"""Users, and the role grants that bind each role to an area (the user's jurisdiction)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from sciaid.core.models import BaseModel
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope, ScopedQuerySet
from sciaid.regions.models import Area, Household

USER_MANAGERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})


class SciAidUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in, by username or by mobile phone number."""

    phone = models.CharField(_("mobile phone"), max_length=11, null=True, blank=True, unique=True)
    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    organisation = models.CharField(_("organisation"), max_length=128, blank=True)
    #: The language the user last chose; notifications and emails to them are written in it.
    language = models.CharField(_("language"), max_length=16, choices=settings.LANGUAGES, blank=True)
    #: A farmer's own registered household.
    household = models.ForeignKey(
        Household,
        verbose_name=_("own household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )

    # A user is visible to managers of an area where the user holds a grant, and to the user.
    scope = Scope(
        code_path="grants__area__code", view=frozenset({Role.SUPERVISOR}), change=USER_MANAGERS, owner_path="pk"
    )
    objects = SciAidUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def active_grants(self) -> list[RoleGrant]:
        """The user's role grants with their areas, loaded once per user object (so once per request)."""
        if not hasattr(self, "_grants_cache"):
            self._grants_cache = list(self.grants.select_related("area")) if self.pk else []
        return self._grants_cache

    def forget_grants(self) -> None:
        self.__dict__.pop("_grants_cache", None)

    @property
    def roles(self) -> list[str]:
        return sorted({grant.role for grant in self.active_grants()})

    def primary_area(self) -> Area | None:
        """The widest area the user is granted: where their home page starts."""
        grants = self.active_grants()
        return min((g.area for g in grants), key=lambda a: (a.level, a.code)) if grants else None


class RoleGrant(BaseModel):
    """One role of one user over one area: the user's jurisdiction for that role is the area's whole subtree."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="grants")

    scope = Scope(code_path="area__code", view=frozenset({Role.SUPERVISOR}), change=USER_MANAGERS)

    class Meta:
        ordering = ["user", "role", "area__code"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role", "area"], name="accounts_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.area}"
