"""The pre-aggregated indicator values: one row per indicator, county, year and month, refreshed by a job.

Figures above a county are sums of these rows (a few thousand for a province), never scans of the domain tables.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

#: The `month` of a row holding the whole year's value.
WHOLE_YEAR = 0


class IndicatorValue(models.Model):
    """The value of one additive indicator (`sciaid.reports.indicators`) for one county in one month, or in the whole
    year (month 0). Ratios are not stored: they are computed from their summed numerator and denominator."""

    key = models.CharField(_("indicator"), max_length=64)
    area = models.ForeignKey(
        Area,
        verbose_name=_("county"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"level": AreaLevel.COUNTY},
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), help_text=_("0 for the whole year."), validators=[MaxValueValidator(12)]
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        ordering = ["year", "month", "key", "area"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["year", "month", "key", "area"], name="reports_indicator_value_once"),
        ]
        # The latest refresh of a year in one index lookup (`services.stored_version`, the dashboard's cache key).
        indexes = [models.Index(fields=["year", "refreshed_at"], name="reports_iv_year_refreshed_idx")]

    def __str__(self) -> str:
        return f"{self.key} · {self.area_id} · {self.year}-{self.month:02d}"


# The self-inspection report's drafts live in their sub-package; imported here so Django registers the model.
from sciaid.reports.self_inspection.models import SelfInspectionDraft  # noqa: E402, F401
