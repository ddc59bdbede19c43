"""The county admin's edited narrative of one section of a self-inspection report (自查报告), per area and year.

History is the platform's audit log: `SelfInspectionDraft` is a `BaseModel`, so every save writes an `ObjectChange`
with the text before and after, who and when (`history()` reads them back); no revision table of its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sciaid.core.models import BaseModel
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope
from sciaid.regions.models import Area

#: Who reads a report (the indicator readers) and who edits its narrative (the county admin; city and province
#: admins for their areas).
READERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.TRIAGE_OFFICER, Role.SUPERVISOR})
EDITORS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})


class SelfInspectionDraft(BaseModel):
    """The edited text of one narrative section (`sections.SECTION_KEYS`) of an area's report for a year.

    Regenerating the report keeps this text and refreshes the figures around it."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    section = models.CharField(_("section"), max_length=32)
    text = models.TextField(_("text"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("edited at"))

    scope = Scope(code_path="area__code", view=READERS, change=EDITORS)

    class Meta:
        ordering = ["area", "year", "section"]
        verbose_name = _("self-inspection draft")
        verbose_name_plural = _("self-inspection drafts")
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "section"], name="reports_self_inspection_draft_once"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} · {self.year} · {self.section}"
