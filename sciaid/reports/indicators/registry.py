"""The registry of indicators: every figure a dashboard or report shows, defined once.

An indicator is either *additive* (a count or an amount: the value of a city or province is the sum of its counties')
or a *ratio* of two additive indicators (a city's satisfaction is its summed satisfied ratings over its summed
ratings, never a mean of its counties' percentages).

Additive indicators are computed by *sources*: one grouped computation per domain that, for a period and a list of
counties, returns {county id: {key: value}} for all its keys in a handful of grouped queries (never one query per
county). A source is `monthly` when its figures are flows dated in the period (demands received in July); otherwise
its figures exist per year only (appraisal ratings, budgets, distinct trainees) and asking for a finer period is
refused rather than answered with an invented value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from sciaid.assistance.statistics import Period
from sciaid.regions.choices import CODE_DIGITS, AreaLevel
from sciaid.regions.models import Area

ZERO = Decimal(0)
COUNTY_DIGITS = CODE_DIGITS[AreaLevel.COUNTY]


class Unit(models.TextChoices):
    """What an indicator's value counts."""

    COUNT = "count", pgettext_lazy("unit", "items")
    PEOPLE = "people", pgettext_lazy("unit", "people")
    HOUSEHOLDS = "households", pgettext_lazy("unit", "households")
    VILLAGES = "villages", pgettext_lazy("unit", "villages")
    YUAN = "yuan", pgettext_lazy("unit", "yuan")
    PERCENT = "percent", "%"


#: {county id: {indicator key: value}}
Values = dict[int, dict[str, Decimal]]
Compute = Callable[[Period, list[Area]], Values]


@dataclass(frozen=True)
class Source:
    """One grouped computation of a domain's additive indicators (see the module docstring)."""

    name: str
    compute: Compute
    monthly: bool
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Indicator:
    """key: `domain.name`; label and meaning: translatable; unit: a `Unit`; source: what computes an additive
    indicator; numerator/denominator: the additive keys a ratio divides (in per cent)."""

    key: str
    label: Promise | str
    unit: str
    meaning: Promise | str
    source: Source | None = None
    numerator: str | None = None
    denominator: str | None = None

    @property
    def additive(self) -> bool:
        return self.source is not None

    @property
    def domain(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def monthly(self) -> bool:
        """Whether the indicator exists for a month or a quarter (not only for a whole year)."""
        if self.source is not None:
            return self.source.monthly
        return REGISTRY[self.numerator].monthly and REGISTRY[self.denominator].monthly

    @property
    def parts(self) -> tuple[str, ...]:
        """The additive keys the value is made of: itself, or a ratio's numerator and denominator."""
        return (self.key,) if self.additive else (self.numerator, self.denominator)

    def value_of(self, figures: dict[str, Decimal]) -> Decimal | None:
        """The value from the additive figures (summed over counties and months where needed)."""
        if self.additive:
            return figures.get(self.key, ZERO)
        return percent(figures.get(self.numerator, ZERO), figures.get(self.denominator, ZERO))


REGISTRY: dict[str, Indicator] = {}
SOURCES: dict[str, Source] = {}


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in per cent with one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def source(name: str, *, monthly: bool, indicators: list[tuple[str, Promise, str, Promise]]):
    """Register `compute` as the source of `indicators` ([(key, label, unit, meaning)]), every key of it."""

    def register(compute: Compute) -> Compute:
        if name in SOURCES:
            raise ValueError(f"source {name!r} registered twice")
        made = Source(name, compute, monthly, tuple(key for key, *_rest in indicators))
        SOURCES[name] = made
        for key, label, unit, meaning in indicators:
            _add(Indicator(key, label, unit, meaning, source=made))
        return compute

    return register


def ratio(key: str, label: Promise, numerator: str, denominator: str, meaning: Promise) -> Indicator:
    """Register a ratio indicator: numerator / denominator in per cent, both additive keys registered before."""
    for part in (numerator, denominator):
        if part not in REGISTRY or not REGISTRY[part].additive:
            raise ValueError(f"{key}: {part!r} is not a registered additive indicator")
    return _add(Indicator(key, label, Unit.PERCENT, meaning, numerator=numerator, denominator=denominator))


def _add(indicator: Indicator) -> Indicator:
    if indicator.key in REGISTRY:
        raise ValueError(f"indicator {indicator.key!r} registered twice")
    REGISTRY[indicator.key] = indicator
    return indicator


# --- helpers for the sources ------------------------------------------------------------------------------------


def in_counties(code_path: str, counties: list[Area]) -> Q:
    """The rows whose area (at `code_path`, a division code) lies under one of the counties: indexed ranges."""
    condition = Q(pk__in=[])
    for county in counties:
        condition |= Q(**{f"{code_path}__range": county.subtree_bounds})
    return condition


def by_county(queryset: QuerySet, code_path: str, counties: list[Area], **figures) -> Values:
    """{county id: {name: value}} of the aggregates `figures` over `queryset`, grouped by the county prefix of
    `code_path`: one query for any number of counties."""
    prefixes = county_ids(counties)
    rows = (
        queryset.filter(in_counties(code_path, counties))
        .annotate(county_prefix=Substr(code_path, 1, COUNTY_DIGITS))
        .values("county_prefix")
        .annotate(**figures)
        .order_by()
    )
    result: Values = {}
    for row in rows:
        county_id = prefixes.get(row.pop("county_prefix"))
        if county_id is not None:
            result[county_id] = {name: as_decimal(value) for name, value in row.items()}
    return result


def as_decimal(value) -> Decimal:
    """A figure from the database as a Decimal (SQLite sums decimals as floats: through their shortest text)."""
    if value is None:
        return ZERO
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def county_ids(counties: list[Area]) -> dict[str, int]:
    """{county code prefix: county id}, to place a row by the first digits of its division code."""
    return {county.code[:COUNTY_DIGITS]: county.pk for county in counties}


def renamed(values: Values, names: dict[str, str]) -> Values:
    """The values with their figure names turned into indicator keys ({"received": "assistance.demands_received"})."""
    return {pk: {names[name]: value for name, value in row.items() if name in names} for pk, row in values.items()}


def merged(*parts: Values) -> Values:
    result: Values = {}
    for part in parts:
        for pk, row in part.items():
            result.setdefault(pk, {}).update(row)
    return result
