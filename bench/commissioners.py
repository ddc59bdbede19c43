"""S&T commissioners at province scale: ~20,000 commissioners paired with every poor village and ~1,000,000 service
logs (with their registry households), loaded with COPY once per province, then the stored village-year figures
recomputed from them. Measured: the coverage page and the commissioner statistics page, for a county and for the
province, each through the test client beside the raw-SQL floor of the same figures in the same run (and, once, the
same sums aggregated straight from the logs, which the stored figures avoid).

`python -m bench --only commissioners` measures these alone. The generated rows belong to the year 2020 and to
users named `bench_comm_…`, so they never mix with the assistance benchmark's experts (paired this year).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client

from bench.assistance import next_id, reset_sequence
from bench.generate import PROVINCE_CODE, CopyWriter, bench_users, bounds, marker_seconds, vacuum
from bench.measure import WARMUP, Row, compare, raw, timed
from sciaid.accounts.models import User
from sciaid.commissioners.logs.choices import LogStatus, ServiceKind
from sciaid.commissioners.logs.figures import repair_figures
from sciaid.commissioners.logs.models import ServiceLog, VillageYearFigures
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert, Pairing
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

SEED = 2020
YEAR = 2020
MARKER_TABLE = "bench_commissioners"
PREFIX = "bench_comm_"
KINDS = [kind for kind, _label in ServiceKind.choices]
KIND_WEIGHTS = [40, 20, 12, 8, 8, 7, 5]
#: Share of logs confirmed; the rest wait or were returned.
CONFIRMED_SHARE = 0.9
#: Share of logs naming registry households (1–3 of the village's).
WITH_HOUSEHOLDS = 0.3

COVERAGE_FLOOR_SQL = """
SELECT substr(v.code, 1, %s) AS grp, count(*),
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM experts_pairing p WHERE p.village_id = v.id AND p.year = %s))
FROM regions_area v WHERE v.level = 5 AND v.is_poor AND v.code BETWEEN %s AND %s GROUP BY 1
"""
LOGS_FLOOR_SQL = """
SELECT substr(v.code, 1, %s), count(*), count(*) FILTER (WHERE l.kind = 'training'),
       sum(l.participants) FILTER (WHERE l.kind = 'training'), sum(l.new_varieties), sum(l.new_techniques),
       sum(l.other_households)
FROM commissioners_servicelog l JOIN regions_area v ON v.id = l.village_id
WHERE l.status = 'confirmed' AND v.code BETWEEN %s AND %s AND l.served_on >= %s AND l.served_on < %s GROUP BY 1
"""
HOUSEHOLDS_FLOOR_SQL = """
SELECT substr(v.code, 1, %s), count(DISTINCT lh.household_id)
FROM commissioners_servicelog_households lh JOIN commissioners_servicelog l ON l.id = lh.servicelog_id
JOIN regions_area v ON v.id = l.village_id
WHERE l.status = 'confirmed' AND v.code BETWEEN %s AND %s AND l.served_on >= %s AND l.served_on < %s GROUP BY 1
"""
FIGURES_FLOOR_SQL = """
SELECT substr(v.code, 1, %s), sum(f.services), sum(f.trainings), sum(f.trainees), sum(f.varieties), sum(f.techniques),
       sum(f.households)
FROM commissioners_villageyearfigures f JOIN regions_area v ON v.id = f.village_id
WHERE f.year = %s AND v.code BETWEEN %s AND %s GROUP BY 1
"""
PAIRINGS_FLOOR_SQL = """
SELECT substr(v.code, 1, %s), count(DISTINCT p.expert_id)
FROM experts_pairing p JOIN regions_area v ON v.id = p.village_id
WHERE p.year = %s AND v.code BETWEEN %s AND %s GROUP BY 1
"""


@dataclass(frozen=True)
class CommissionerPlan:
    commissioners: int
    logs: int

    @classmethod
    def for_scale(cls, scale: float) -> CommissionerPlan:
        return cls(max(50, round(20_000 * scale)), max(500, round(1_000_000 * scale)))

    @property
    def key(self) -> str:
        return f"commissioners={self.commissioners},logs={self.logs},year={YEAR}"


def marker(province_key: str, plan: CommissionerPlan) -> str:
    return f"{province_key};{plan.key}"


def loaded_seconds(key: str) -> float | None:
    return marker_seconds(MARKER_TABLE, key)


def ensure_commissioners(plan: CommissionerPlan, province_key: str, log=print) -> tuple[float, bool]:
    """Load commissioners, pairings and logs for `plan` unless already loaded; (seconds it took, generated now)."""
    key = marker(province_key, plan)
    seconds = loaded_seconds(key)
    if seconds is not None:
        if not VillageYearFigures.objects.filter(year=YEAR).exists():
            repair_figures()  # loaded before the figures were stored
        return seconds, False
    started = time.perf_counter()
    with transaction.atomic():
        remove_commissioners()
        CommissionerGenerator(plan, log).load()
        repair_figures()
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {MARKER_TABLE} (plan, seconds) VALUES (%s, %s)", [key, seconds])
    vacuum(
        (
            "experts_pairing",
            "commissioners_servicelog",
            "commissioners_servicelog_households",
            "commissioners_villageyearfigures",
        )
    )
    return seconds, True


def remove_commissioners() -> None:
    """Drop what an earlier plan loaded (idempotent): the bench commissioners, their pairings and logs."""
    loaded_seconds("")
    users = "SELECT id FROM accounts_user WHERE username LIKE %s"
    experts = f"SELECT id FROM experts_expert WHERE user_id IN ({users})"
    logs = f"SELECT id FROM commissioners_servicelog WHERE expert_id IN ({experts})"
    people = [f"{PREFIX}%"]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM commissioners_servicelog_households WHERE servicelog_id IN ({logs})", people)
        cursor.execute(f"DELETE FROM commissioners_servicelog WHERE expert_id IN ({experts})", people)
        cursor.execute("DELETE FROM commissioners_villageyearfigures WHERE year = %s", [YEAR])
        cursor.execute(f"DELETE FROM experts_pairing WHERE expert_id IN ({experts})", people)
        cursor.execute(f"DELETE FROM experts_expert WHERE user_id IN ({users})", people)
        cursor.execute(f"DELETE FROM accounts_user WHERE id IN ({users})", people)
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")


class CommissionerGenerator:
    def __init__(self, plan: CommissionerPlan, log=print):
        self.plan, self.log, self.rng = plan, log, random.Random(SEED)
        low, high = bounds(PROVINCE_CODE)
        areas = Area.objects.filter(code__range=(low, high)).values_list("id", "code", "level", "is_poor")
        self.poor = [(pk, code) for pk, code, level, poor in areas if level == AreaLevel.VILLAGE and poor]
        self.counties = {code[:6]: pk for pk, code, level, _ in areas if level == AreaLevel.COUNTY}

    def load(self) -> None:
        started = time.perf_counter()
        experts = self.create_commissioners()
        pairings = self.create_pairings(experts)
        took = time.perf_counter() - started
        self.log(f"  {self.plan.commissioners:,} commissioners, {len(pairings):,} pairings in {took:.1f} s")
        started = time.perf_counter()
        links = self.create_logs(pairings)
        took = time.perf_counter() - started
        self.log(f"  {self.plan.logs:,} service logs, {links:,} household links in {took:.1f} s")

    def create_commissioners(self) -> dict[str, list[int]]:
        """Commissioners spread over the counties in proportion to their poor villages: county code → expert ids."""
        first_user, first_expert = next_id("accounts_user"), next_id("experts_expert")
        password = make_password(None)
        users = CopyWriter(User, ["id"])
        users.copy(
            users.line({"id": first_user + i, "username": f"{PREFIX}{i:05d}", "password": password, "phone": None})
            for i in range(self.plan.commissioners)
        )
        reset_sequence("accounts_user")
        by_county: dict[str, list[int]] = {}
        poor_codes = [code[:6] for _, code in self.poor]
        writer = CopyWriter(Expert, ["id"])
        lines = []
        for i in range(self.plan.commissioners):
            county = poor_codes[i * len(poor_codes) // self.plan.commissioners]
            by_county.setdefault(county, []).append(first_expert + i)
            lines.append(
                writer.line(
                    {
                        "id": first_expert + i,
                        "user_id": first_user + i,
                        "name": f"特派员{i:05d}",
                        "organisation": "农业技术推广中心",
                        "level": ExpertLevel.COUNTY,
                        "home_area_id": self.counties[county],
                        "is_commissioner": True,
                    }
                )
            )
        writer.copy(lines)
        reset_sequence("experts_expert")
        return by_county

    def create_pairings(self, experts: dict[str, list[int]]) -> list[tuple[int, int, str]]:
        """Every poor village gets a commissioner of its county (at most 3 villages each), some a second one."""
        rng = self.rng
        load: dict[int, int] = {}
        pairings = []
        for village, code in self.poor:
            people = experts.get(code[:6])
            if not people:
                continue
            wanted = 1 if rng.random() < 0.7 else 2
            chosen = [e for e in rng.sample(people, min(6, len(people))) if load.get(e, 0) < 3][:wanted]
            for expert in chosen:
                load[expert] = load.get(expert, 0) + 1
                pairings.append((expert, village, code))
        writer = CopyWriter(Pairing, [])
        writer.copy(writer.line({"expert_id": e, "village_id": v, "year": YEAR}) for e, v, _ in pairings)
        return pairings

    def create_logs(self, pairings: list[tuple[int, int, str]]) -> int:
        rng, plan = self.rng, self.plan
        households: dict[int, list[int]] = {}
        for pk, village in Household.objects.filter(village_id__in={v for _, v, _ in pairings}).values_list(
            "pk", "village_id"
        ):
            households.setdefault(village, []).append(pk)
        first = next_id("commissioners_servicelog")
        writer = CopyWriter(ServiceLog, ["id"])
        statuses = (LogStatus.CONFIRMED, LogStatus.SUBMITTED, LogStatus.RETURNED)
        links: list[tuple[int, int]] = []
        start = date(YEAR, 1, 1)

        def lines():
            for n in range(plan.logs):
                expert, village, _ = pairings[n % len(pairings)] if n < len(pairings) else rng.choice(pairings)
                kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
                confirmed = rng.random() < CONFIRMED_SHARE
                training = kind == ServiceKind.TRAINING
                if confirmed and households.get(village) and rng.random() < WITH_HOUSEHOLDS:
                    for household in rng.sample(households[village], min(len(households[village]), rng.randint(1, 3))):
                        links.append((first + n, household))
                yield writer.line(
                    {
                        "id": first + n,
                        "expert_id": expert,
                        "village_id": village,
                        "kind": kind,
                        "served_on": (start + timedelta(days=rng.randrange(365))).isoformat(),
                        "summary": "实用技术服务",
                        "participants": rng.randint(10, 60) if training else rng.randint(1, 8),
                        "other_households": rng.choice((0, 0, 0, 1, 2)),
                        "new_varieties": 1 if kind == ServiceKind.VARIETY else 0,
                        "new_techniques": 1 if kind == ServiceKind.TECHNIQUE else 0,
                        "status": LogStatus.CONFIRMED if confirmed else rng.choice(statuses[1:]),
                    }
                )

        writer.copy(lines())
        reset_sequence("commissioners_servicelog")
        through = CopyWriter(ServiceLog.households.through, [])
        through.copy(through.line({"servicelog_id": log, "household_id": household}) for log, household in links)
        return len(links)


def page(client: Client, url: str, params: dict):
    def get():
        response = client.get(url, params)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    return get


def floor(sqls: list[tuple[str, list]]):
    def run():
        for sql, params in sqls:
            raw(sql, params)()

    return run


def measure_commissioners(seconds: float, generated: bool, plan: CommissionerPlan, repeat: int) -> list[Row]:
    admin, county_admin = bench_users()
    province = Area.objects.get(code=bounds(PROVINCE_CODE)[0])
    county = Area.objects.filter(level=AreaLevel.COUNTY, code__range=province.subtree_bounds).order_by("code")[0]
    rows = [
        Row(
            "generate commissioners and service logs (COPY)",
            f"{plan.commissioners:,} commissioners, {plan.logs:,} logs",
            rate=(plan.commissioners + plan.logs) / seconds,
            note=f"{seconds:.0f} s, {'generated now' if generated else 'loaded earlier'}",
        )
    ]
    year_range = [date(YEAR, 1, 1), date(YEAR + 1, 1, 1)]
    for user, area, target in ((county_admin, county, "200 ms"), (admin, province, "1 s")):
        client = Client()
        client.force_login(user)
        digits = 9 if area.level == AreaLevel.COUNTY else 6
        low, high = area.subtree_bounds
        params = {"area": area.code, "year": YEAR}
        coverage_floor = floor([(COVERAGE_FLOOR_SQL, [digits, YEAR, low, high])])
        statistics_floor = floor(
            [
                (COVERAGE_FLOOR_SQL, [digits, YEAR, low, high]),
                (PAIRINGS_FLOOR_SQL, [digits, YEAR, low, high]),
                (FIGURES_FLOOR_SQL, [digits, YEAR, low, high]),
            ]
        )
        # What the stored figures save: the same sums straight from the logs, timed once.
        from_logs = timed(
            floor(
                [
                    (LOGS_FLOOR_SQL, [digits, low, high, *year_range]),
                    (HOUSEHOLDS_FLOOR_SQL, [digits, low, high, *year_range]),
                ]
            )
        )
        poor = Area.objects.filter(level=AreaLevel.VILLAGE, is_poor=True, code__range=(low, high)).count()
        logs = ServiceLog.objects.filter(village__code__range=(low, high)).count()
        scope = "county" if area.level == AreaLevel.COUNTY else "province"
        rows.append(
            compare(
                f"coverage page ({scope})",
                f"{poor:,} poor villages",
                [(page(client, "/commissioners/coverage/", params), coverage_floor)] * (repeat + WARMUP),
                note=f"target p95 < {target}",
            )
        )
        rows.append(
            compare(
                f"commissioner statistics page ({scope})",
                f"{logs:,} service logs",
                [(page(client, "/commissioners/", params), statistics_floor)] * (repeat + WARMUP),
                note=f"target p95 < {target}; from the logs directly (raw SQL): {from_logs * 1000:.0f} ms",
            )
        )
    return rows


__all__ = ["CommissionerPlan", "ensure_commissioners", "measure_commissioners", "remove_commissioners"]
