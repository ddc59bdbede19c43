"""Keeping the stored village-year figures (`VillageYearFigures`) equal to the confirmed service logs.

Confirming a log (or importing a confirmed one) recomputes its village's row for that year, inside the confirming
transaction, under a lock on that row: the row is created when missing (`INSERT … ON CONFLICT DO NOTHING`, which
waits for a concurrent insert of the same row) and locked (`SELECT … FOR UPDATE`) before the logs are counted. A
concurrent confirmation in the same village waits for the lock, then (read committed) counts again from what the
first one committed: neither fails on the row's unique constraint nor loses the other's log.

`repair_figures()` (`manage.py refresh_commissioner_figures`, and the demo after a bulk load) recomputes every row
and says which were wrong: rows written around the services (a bulk load, a restore) drift, and this is the repair.
On PostgreSQL it locks the table first, so confirmations wait for it and then count on top of the repaired rows.

Only the logs' own figures are stored: a log recording a training event stores no training, and the events' figures
are read when the statistics are (they change with sign-ins, which this app does not hear of).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear

from sciaid.commissioners.logs.choices import LogStatus
from sciaid.commissioners.logs.models import ServiceLog, VillageYearFigures
from sciaid.commissioners.statistics.services import log_figures
from sciaid.regions.models import Area
from sciaid.regions.portal import count_again

#: The portal's tally of the village figures per county and year (`commissioners.portal`), recounted whenever the
#: village figures are.
PORTAL_TALLY = "commissioners"

#: The stored figures of a row, in the order they are reported.
FIELDS = ("services", "trainings", "trainees", "varieties", "techniques", "households")

#: {(village id, year): {field: value}}
Figures = dict[tuple[int, int], dict[str, int]]


def computed_figures(village_id: int | None = None, year: int | None = None) -> Figures:
    """The figures of the confirmed logs, per village and year (of one village and year, or of all): two grouped
    queries."""
    logs = ServiceLog.objects.filter(status=LogStatus.CONFIRMED)
    if village_id is not None:
        logs = logs.filter(village_id=village_id, served_on__year=year)
    sums = logs.annotate(year=ExtractYear("served_on")).values("village_id", "year").annotate(**log_figures())
    links = ServiceLog.households.through.objects.filter(servicelog__in=logs)
    helped = {
        (row["servicelog__village_id"], row["year"]): row["n"]
        for row in links.annotate(year=ExtractYear("servicelog__served_on"))
        .values("servicelog__village_id", "year")
        .annotate(n=Count("household", distinct=True))
        .order_by()
    }
    figures: Figures = {}
    for row in sums.order_by():
        place = (row["village_id"], row["year"])
        households = row["other_households"] + helped.get(place, 0)
        figures[place] = {**{name: row[name] for name in FIELDS if name != "households"}, "households": households}
    return figures


def _locked_row(village_id: int, year: int) -> VillageYearFigures:
    """The village's row for the year, created when missing and locked for this transaction."""
    while True:
        VillageYearFigures.objects.bulk_create(
            [VillageYearFigures(village_id=village_id, year=year)], ignore_conflicts=True
        )
        row = VillageYearFigures.objects.select_for_update().filter(village_id=village_id, year=year).first()
        if row is not None:  # else a concurrent refresh that found no logs deleted it meanwhile: create it again
            return row


@transaction.atomic
def refresh_figures(village_id: int, year: int) -> None:
    """Recompute one village's row for a year under its lock (see the module docstring), and the portal's tally."""
    row = _locked_row(village_id, year)
    figures = computed_figures(village_id, year).get((village_id, year))
    if figures is None:
        row.delete()
    else:
        for name, value in figures.items():
            setattr(row, name, value)
        row.save(update_fields=FIELDS)
    count_again(PORTAL_TALLY, (Area.objects.values_list("code", flat=True).get(pk=village_id), year))


@dataclass(frozen=True)
class Drift:
    """A stored row that differed from the confirmed logs: what was stored and what the logs say (None: no row)."""

    village: Area
    year: int
    stored: dict[str, int] | None
    computed: dict[str, int] | None

    def changes(self) -> str:
        """ "services 1 → 3, varieties 0 → 6": the figures that differ."""
        before, after = self.stored or dict.fromkeys(FIELDS, 0), self.computed or dict.fromkeys(FIELDS, 0)
        return ", ".join(f"{name} {before[name]} → {after[name]}" for name in FIELDS if before[name] != after[name])


@transaction.atomic
def repair_figures(*, dry_run: bool = False) -> list[Drift]:
    """Compare every stored row with the confirmed logs and, unless `dry_run`, write the ones that differ (and the
    portal's tallies where they do); returns the differences, by village code and year."""
    if connection.vendor == "postgresql" and not dry_run:
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {VillageYearFigures._meta.db_table} IN EXCLUSIVE MODE")
    computed = computed_figures()
    rows = {(row.village_id, row.year): row for row in VillageYearFigures.objects.all()}
    stored = {place: {name: getattr(row, name) for name in FIELDS} for place, row in rows.items()}
    wrong = [place for place in set(computed) | set(stored) if computed.get(place) != stored.get(place)]
    villages = Area.objects.in_bulk({village_id for village_id, _year in wrong})
    drifts = [Drift(villages[v], year, stored.get((v, year)), computed.get((v, year))) for v, year in wrong]
    drifts.sort(key=lambda drift: (drift.village.code, drift.year))
    if dry_run or not drifts:
        return drifts
    VillageYearFigures.objects.filter(pk__in=[rows[place].pk for place in wrong if place not in computed]).delete()
    VillageYearFigures.objects.bulk_create(
        [
            VillageYearFigures(village_id=v, year=year, **computed[(v, year)])
            for v, year in wrong
            if (v, year) in computed
        ],
        update_conflicts=True,
        unique_fields=["year", "village"],
        update_fields=FIELDS,
        batch_size=2000,
    )
    count_again(PORTAL_TALLY, *{(drift.village.code, drift.year) for drift in drifts})
    return drifts
