"""New varieties and new techniques introduced, per county and year, counted from transfers.

A transfer counts once it reaches `applied` (and still when `evaluated`): one applied transfer of an achievement of
kind "new variety" is one new variety introduced in the county of its area, in the year of `applied_on`; likewise for
techniques. Cancelled and unapplied transfers never count.

How this relates to the commissioners' service logs (which count `new_varieties` / `new_techniques` themselves): the
two are separate sources and are reported separately, never added up. A service log records what a commissioner
says they brought to their paired villages in their own work; a transfer records a catalogue achievement formally
passed to a recipient, with its mode, contract and households. The self-inspection report shows both columns ("by
commissioners' service logs", "by recorded transfers"); a figure for "introduced in total" would count a
commissioner's extension of a catalogued variety twice, so none is computed. If commissioners later link a log to
the transfer it carried out (commissioners sit above this app and may import it), that log's own counts should then
be left at zero for that variety — the link, not a sum, is how the two meet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear, Substr

from sciaid.achievements.choices import INTRODUCED_KINDS, INTRODUCED_STATES
from sciaid.regions.choices import CODE_DIGITS, AreaLevel
from sciaid.regions.models import Area


@dataclass
class IntroducedRow:
    county: str
    year: int
    name: str = ""
    varieties: int = 0
    techniques: int = 0


def introduced(transfers: QuerySet) -> list[IntroducedRow]:
    """New varieties and techniques introduced per county and year among `transfers` (already scoped to the
    reader): one grouped query, one for the counties' names. Newest year first, then county code."""
    digits = CODE_DIGITS[AreaLevel.COUNTY]
    grouped = (
        transfers.filter(status__in=INTRODUCED_STATES, achievement__kind__in=list(INTRODUCED_KINDS))
        .annotate(county=Substr("area__code", 1, digits), year=ExtractYear("applied_on"))
        .values_list("county", "year", "achievement__kind")
        .annotate(count=Count("id"))
        .order_by()
    )
    rows: dict[tuple[str, int], IntroducedRow] = {}
    for county, year, kind, count in grouped:
        code = county.ljust(12, "0")
        row = rows.setdefault((code, year), IntroducedRow(code, year))
        setattr(row, INTRODUCED_KINDS[kind], getattr(row, INTRODUCED_KINDS[kind]) + count)
    names = dict(Area.objects.filter(code__in={code for code, _ in rows}).values_list("code", "name"))
    result = sorted(rows.values(), key=lambda row: (-row.year, row.county))
    for row in result:
        row.name = names.get(row.county, row.county)
    return result
