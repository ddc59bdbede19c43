"""The funds ledger at province scale: ~180 counties' budgets with ~100,000 ledger entries (allocations and
expenditures), loaded with COPY once per province; then the province's ledger page (every budget with allocated,
unallocated, spent and balance, the totals row and the per-county summary) through the test client, and the
per-county balance summary alone, each beside the raw-SQL floor of the same figures measured in the same run.

`python -m bench --only funds` measures these alone. The generated budgets are the year 2020's with a purpose
starting "bench:", so they never mix with anything else; every generated figure respects the ledger's rules
(allocations within their budget, expenditures within their allocation).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.assistance import next_id, reset_sequence
from bench.generate import PROVINCE_CODE, CopyWriter, bench_users, bounds, marker_seconds, vacuum
from bench.measure import WARMUP, Row, compare, raw
from sciaid.funds.choices import ExpenditureCategory, RecipientKind
from sciaid.funds.models import Allocation, Budget, Expenditure, FundSource
from sciaid.funds.reports import area_summary
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

SEED = 2020
YEAR = 2020
MARKER_TABLE = "bench_funds"
PURPOSE = "bench:"
PAGE_SIZE = 50
#: (source code, purpose, amount range in yuan, allocations it gets, recipient kind)
BUDGETS = [
    ("county", "platform operation", (200_000, 400_000), 1, RecipientKind.PLATFORM),
    ("province-transfer", "demonstration projects", (200_000, 600_000), 6, RecipientKind.PROJECT),
    ("province-transfer", "commissioners", (150_000, 300_000), 10, RecipientKind.COMMISSIONER),
    ("special", "workstations", (100_000, 400_000), 3, RecipientKind.WORKSTATION),
]
CATEGORIES = [category for category, _label in ExpenditureCategory.choices]

SCOPE = "FROM funds_budget b JOIN regions_area a ON a.id = b.area_id WHERE a.code BETWEEN %s AND %s AND b.year = %s"
SUMMARY_FLOOR_SQL = f"""
WITH b AS (SELECT b.id, b.area_id, b.amount {SCOPE}),
al AS (SELECT b.area_id, sum(x.amount) AS s FROM funds_allocation x JOIN b ON b.id = x.budget_id GROUP BY 1),
ex AS (SELECT b.area_id, sum(e.amount) AS s FROM funds_expenditure e
       JOIN funds_allocation x ON x.id = e.allocation_id JOIN b ON b.id = x.budget_id GROUP BY 1)
SELECT b.area_id, sum(b.amount), max(al.s), max(ex.s) FROM b
LEFT JOIN al ON al.area_id = b.area_id LEFT JOIN ex ON ex.area_id = b.area_id GROUP BY b.area_id
"""
PAGE_FLOOR_SQL = f"""
SELECT b.*, a.code, a.name,
  (SELECT coalesce(sum(x.amount), 0) FROM funds_allocation x WHERE x.budget_id = b.id),
  (SELECT coalesce(sum(e.amount), 0) FROM funds_expenditure e JOIN funds_allocation x ON x.id = e.allocation_id
   WHERE x.budget_id = b.id)
{SCOPE} ORDER BY b.year DESC, a.code, b.id LIMIT {PAGE_SIZE} OFFSET %s
"""
COUNT_FLOOR_SQL = f"SELECT count(*) {SCOPE}"


@dataclass(frozen=True)
class FundsPlan:
    entries: int

    @classmethod
    def for_scale(cls, scale: float) -> FundsPlan:
        return cls(max(1_000, round(100_000 * scale)))

    @property
    def key(self) -> str:
        return f"funds entries={self.entries},year={YEAR}"


def loaded_seconds(key: str) -> float | None:
    return marker_seconds(MARKER_TABLE, key)


def ensure_funds(plan: FundsPlan, province_key: str, log=print) -> tuple[float, bool]:
    """Load the ledger for `plan` unless already loaded; (seconds it took, generated now)."""
    key = f"{province_key};{plan.key}"
    seconds = loaded_seconds(key)
    if seconds is not None:
        return seconds, False
    started = time.perf_counter()
    with transaction.atomic():
        remove_funds()
        FundsGenerator(plan, log).load()
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {MARKER_TABLE} (plan, seconds) VALUES (%s, %s)", [key, seconds])
    vacuum(model._meta.db_table for model in (Budget, Allocation, Expenditure))
    return seconds, True


def remove_funds() -> None:
    """Drop what an earlier plan loaded (idempotent). Raw SQL on purpose: the ledger refuses deletes through the
    ORM, and these rows are benchmark data, never a posted county's books."""
    loaded_seconds("")
    budgets = "SELECT id FROM funds_budget WHERE purpose LIKE %s"
    allocations = f"SELECT id FROM funds_allocation WHERE budget_id IN ({budgets})"
    marker = [f"{PURPOSE}%"]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM funds_expenditure WHERE allocation_id IN ({allocations})", marker)
        cursor.execute(f"DELETE FROM funds_allocation WHERE budget_id IN ({budgets})", marker)
        cursor.execute("DELETE FROM funds_budget WHERE purpose LIKE %s", marker)
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")


class FundsGenerator:
    """Per county the four budgets of BUDGETS, their allocations, and expenditures filling them up to ~95 %."""

    def __init__(self, plan: FundsPlan, log=print):
        self.plan, self.log, self.rng = plan, log, random.Random(SEED)
        self.counties = list(
            Area.objects.filter(level=AreaLevel.COUNTY, code__range=bounds(PROVINCE_CODE))
            .order_by("code")
            .values_list("id", flat=True)
        )
        self.sources = dict(FundSource.objects.values_list("code", "id"))

    def load(self) -> None:
        started = time.perf_counter()
        budgets, allocations, expenditures = [], [], []
        budget_id, allocation_id, expenditure_id = (
            next_id(model._meta.db_table) for model in (Budget, Allocation, Expenditure)
        )
        allocations_total = len(self.counties) * sum(spec[3] for spec in BUDGETS)
        per_allocation = max(1, round((self.plan.entries - allocations_total) / allocations_total))
        for county in self.counties:
            for code, purpose, (low, high), count, kind in BUDGETS:
                amount = Decimal(self.rng.randrange(low, high, 1000))
                budgets.append(
                    {
                        "id": budget_id,
                        "year": YEAR,
                        "area_id": county,
                        "source_id": self.sources[code],
                        "amount": amount,
                        "purpose": f"{PURPOSE}{purpose}",
                    }
                )
                share = (amount * Decimal("0.9") / count).quantize(Decimal("0.01"))
                for index in range(count):
                    allocations.append(
                        {
                            "id": allocation_id,
                            "budget_id": budget_id,
                            "recipient_kind": kind,
                            "recipient_name": f"{purpose} {index + 1}",
                            "amount": share,
                            "purpose": purpose,
                            "allocated_on": date(YEAR, 3, 1),
                        }
                    )
                    spend = (share * Decimal("0.95") / per_allocation).quantize(Decimal("0.01"), "ROUND_DOWN")
                    for number in range(per_allocation):
                        expenditures.append(
                            {
                                "id": expenditure_id,
                                "allocation_id": allocation_id,
                                "category": self.rng.choice(CATEGORIES),
                                "amount": spend,
                                "spent_on": date(YEAR, 4, 1) + timedelta(days=number % 240),
                                "payee": f"payee {number % 97}",
                            }
                        )
                        expenditure_id += 1
                    allocation_id += 1
                budget_id += 1
        for model, rows in ((Budget, budgets), (Allocation, allocations), (Expenditure, expenditures)):
            writer = CopyWriter(model, ["id"])
            writer.copy(writer.line(row) for row in rows)
            reset_sequence(model._meta.db_table)
        took = time.perf_counter() - started
        self.log(
            f"  {len(budgets):,} budgets, {len(allocations):,} allocations, {len(expenditures):,} expenditures "
            f"in {took:.1f} s"
        )


def get(client: Client, url: str, params: dict):
    def run():
        response = client.get(url, params)
        if response.status_code != 200:
            raise RuntimeError(f"{url} {params} answered {response.status_code}")

    return run


def queries_of(client: Client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        get(client, url, params)()
    return len(captured)


def measure_funds(seconds: float, generated: bool, plan: FundsPlan, repeat: int) -> list[Row]:
    admin, county_admin = bench_users()
    province = Area.objects.get(code=bounds(PROVINCE_CODE)[0])
    county = Area.objects.filter(level=AreaLevel.COUNTY, code__range=province.subtree_bounds).order_by("code")[0]
    low, high = province.subtree_bounds
    entries = Allocation.objects.filter(budget__purpose__startswith=PURPOSE).count()
    entries += Expenditure.objects.filter(allocation__budget__purpose__startswith=PURPOSE).count()
    budgets = Budget.objects.filter(year=YEAR, area__code__range=(low, high)).count()
    rows = [
        Row(
            "generate funds ledger (COPY)",
            f"{budgets:,} budgets, {entries:,} entries",
            rate=entries / seconds,
            note=f"{seconds:.0f} s, {'generated now' if generated else 'loaded earlier'}",
        )
    ]
    client = Client()
    client.force_login(admin)
    url = reverse("funds:ledger")
    pages = max(1, -(-budgets // PAGE_SIZE))
    rng = random.Random(SEED)
    first, last = queries_of(client, url, {"year": YEAR}), queries_of(client, url, {"year": YEAR, "page": pages})
    county_client = Client()
    county_client.force_login(county_admin)
    in_county = queries_of(county_client, url, {"year": YEAR})
    cases = []
    for _ in range(repeat + WARMUP):
        page = rng.randint(1, pages)

        def floor(page=page):
            raw(COUNT_FLOOR_SQL, [low, high, YEAR], fetch="one")()
            raw(SUMMARY_FLOOR_SQL, [low, high, YEAR])()
            raw(PAGE_FLOOR_SQL, [low, high, YEAR, (page - 1) * PAGE_SIZE])()

        cases.append((get(client, url, {"year": YEAR, "page": page}), floor))
    rows.append(
        compare(
            "funds ledger page, province",
            f"{budgets:,} budgets of {len(area_summary(Budget.objects.filter(year=YEAR))):,} counties",
            cases,
            note=f"{first} queries on page 1, {last} on page {pages}, {in_county} for a county; target p95 < 300 ms",
        )
    )
    scoped = Budget.objects.for_user(admin).filter(year=YEAR)
    summary_cases = [
        ((lambda: area_summary(scoped)), raw(SUMMARY_FLOOR_SQL, [low, high, YEAR])) for _ in range(repeat + WARMUP)
    ]
    with CaptureQueriesContext(connection) as captured:
        area_summary(scoped)
    rows.append(
        compare(
            "per-county balance summary (area_summary)",
            f"{entries:,} entries",
            summary_cases,
            note=f"{len(captured)} aggregate queries; county {county.name}",
        )
    )
    return rows
