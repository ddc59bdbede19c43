"""A province of generated areas and households, loaded with COPY from buffers built in memory.

The tables are the ones Django's migrations create (with their indexes), so the benchmark measures the real schema.
A marker table records which plan is loaded: a second run at the same scale skips generation, another scale replaces
the generated province.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.names import mobile_phone, person_name, place_name, village_names
from sciaid.core.privacy import blind_index, encrypt, make_id_number, mask_id_number
from sciaid.core.roles import Role
from sciaid.demo.builders import CAUSE_WEIGHTS, LIFTED_YEAR_WEIGHTS, MEMBER_WEIGHTS, STATUS_WEIGHTS
from sciaid.regions.choices import AreaLevel, HouseholdStatus
from sciaid.regions.models import Area, Household
from sciaid.regions.services import pinyin_of

SEED = 2021
#: 四川省: the province whose 2021 platform gave DESIGN.md §7 its numbers; far from the demo's 安徽省 (34).
PROVINCE_CODE = "51"
PROVINCE_NAME = "四川省"
MARKER_TABLE = "bench_dataset"
#: Rows per COPY write: large enough to keep the server busy, small enough to keep memory flat.
CHUNK_ROWS = 20_000
BENCH_ADMIN = "bench_admin"
BENCH_COUNTY_ADMIN = "bench_county_admin"


@dataclass(frozen=True)
class Plan:
    """The shape of the generated province; sizes per parent vary ±35 % around these means."""

    cities: int
    counties_per_city: int
    townships_per_county: int
    villages_per_township: int
    households_per_village: int
    poor_village_share: float = 0.23

    @classmethod
    def for_scale(cls, scale: float) -> Plan:
        """scale 1.0 = DESIGN.md §7: 20 cities, 180 counties, ~4,000 townships, ~50,000 villages, ~1.5 M households."""
        counties = max(1, round(180 * scale))
        cities = max(1, min(20, round(20 * scale)))
        return cls(cities, max(1, round(counties / cities)), 22, 13, 30)

    @property
    def key(self) -> str:
        return ",".join(f"{name}={value}" for name, value in asdict(self).items())


def bounds(prefix: str) -> tuple[str, str]:
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


def vacuum(tables: Iterable[str]) -> None:
    """VACUUM ANALYZE the tables (only ANALYZE inside a transaction, a test's, where VACUUM cannot run).

    The benchmark database is written by COPY and by measurements rolled back (each import leaves its rows dead in
    the heap and in every index), and the server this runs on may have autovacuum off: without this, a county's
    household list read 18 buffers a row through 600,000 dead imported rows (104 ms instead of 19).
    """
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {table}")


def vary(rng: random.Random, mean: int) -> int:
    return max(1, round(mean * rng.uniform(0.65, 1.35)))


def loaded_plan() -> str | None:
    """The plan of the generated province, if the province is there: a transactional test's flush empties the areas
    but not the marker table, which Django does not know."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (plan text PRIMARY KEY, villages integer, "
            "households integer, seconds double precision, created_at timestamptz DEFAULT now())"
        )
        cursor.execute(f"SELECT plan FROM {MARKER_TABLE}")
        row = cursor.fetchone()
    if row and Area.objects.filter(code=bounds(PROVINCE_CODE)[0]).exists():
        return row[0]
    return None


def marker_seconds(table: str, key: str) -> float | None:
    """How long the data of plan `key` took to load, if a benchmark's marker `table` says it is loaded (the table is
    created on first use, so an empty key just makes sure it exists)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {table} (plan text PRIMARY KEY, seconds double precision, "
            "created_at timestamptz DEFAULT now())"
        )
        cursor.execute(f"SELECT seconds FROM {table} WHERE plan = %s", [key])
        row = cursor.fetchone()
    return row[0] if row else None


@dataclass
class Dataset:
    plan: Plan
    villages: int
    households: int
    seconds: float
    generated: bool


def ensure_dataset(plan: Plan, log=print) -> Dataset:
    """Generate the province for `plan` unless it is already loaded; return its size and generation time."""
    if loaded_plan() == plan.key:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT villages, households, seconds FROM {MARKER_TABLE} WHERE plan = %s", [plan.key])
            villages, households, seconds = cursor.fetchone()
        return Dataset(plan, villages, households, seconds, generated=False)
    started = time.perf_counter()
    with transaction.atomic():
        remove_generated()
        villages, households = Generator(plan, log).load()
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {MARKER_TABLE} (plan, villages, households, seconds) VALUES (%s, %s, %s, %s)",
                [plan.key, villages, households, seconds],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE regions_area")
        cursor.execute("ANALYZE regions_household")
    return Dataset(plan, villages, households, seconds, generated=True)


def remove_generated() -> None:
    """Drop a previously generated province (another scale) and its benchmark users."""
    low, high = bounds(PROVINCE_CODE)
    User.objects.filter(username__in=[BENCH_ADMIN, BENCH_COUNTY_ADMIN]).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM regions_areastatistics "
            "WHERE area_id IN (SELECT id FROM regions_area WHERE code BETWEEN %s AND %s)",
            [low, high],
        )
        cursor.execute(
            "DELETE FROM regions_household "
            "WHERE village_id IN (SELECT id FROM regions_area WHERE code BETWEEN %s AND %s)",
            [low, high],
        )
        cursor.execute("DELETE FROM regions_area WHERE code BETWEEN %s AND %s", [low, high])
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")


def bench_users() -> tuple[User, User]:
    """The province's platform admin and the admin of its first county, created on first use."""
    province = Area.objects.get(code=bounds(PROVINCE_CODE)[0])
    county = Area.objects.filter(level=AreaLevel.COUNTY, code__range=province.subtree_bounds).order_by("code")[0]
    users = []
    for username, role, area in (
        (BENCH_ADMIN, Role.PLATFORM_ADMIN, province),
        (BENCH_COUNTY_ADMIN, Role.COUNTY_ADMIN, county),
    ):
        user, created = User.objects.get_or_create(username=username)
        if created:
            RoleGrant.objects.create(user=user, role=role, area=area)
        users.append(user)
    return users[0], users[1]


class CopyWriter:
    """Rows of one model as COPY text: the columns given per row, every other column at its default."""

    def __init__(self, model, given: list[str]):
        fields = [f for f in model._meta.concrete_fields if f.attname in given or not f.primary_key]
        self.table = model._meta.db_table
        self.attnames = [f.attname for f in fields]
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        now = timezone.now().isoformat()
        self.defaults = {
            f.attname: now if f.attname in ("created_at", "updated_at") else copy_text(f.get_default()) for f in fields
        }

    def line(self, values: dict) -> str:
        # Generated values hold no tab, newline or backslash, so they need no COPY escaping.
        return "\t".join(copy_text(values[a]) if a in values else self.defaults[a] for a in self.attnames) + "\n"

    def copy(self, lines: Iterable[str]) -> int:
        count = 0
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy,
        ):
            buffer: list[str] = []
            for line in lines:
                buffer.append(line)
                if len(buffer) >= CHUNK_ROWS:
                    copy.write("".join(buffer))
                    count += len(buffer)
                    buffer.clear()
            copy.write("".join(buffer))
            count += len(buffer)
        return count


def copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class Generator:
    """Builds the plan's areas (explicit ids, so children can point at parents) and then its households."""

    def __init__(self, plan: Plan, log=print):
        self.plan = plan
        self.rng = random.Random(SEED)
        self.log = log

    def load(self) -> tuple[int, int]:
        areas = list(self.areas())
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM regions_area")
            first_id = cursor.fetchone()[0] + 1
        ids = {code: first_id + index for index, (code, *_) in enumerate(areas)}
        writer = CopyWriter(Area, ["id"])
        started = time.perf_counter()
        writer.copy(
            writer.line(
                {
                    "id": ids[code],
                    "code": code,
                    "parent_id": ids.get(parent),
                    "level": level,
                    "name": name,
                    "pinyin": pinyin,
                    "initials": initials,
                    "is_poor": is_poor,
                    "lifted_year": 2019 if is_poor else None,
                }
            )
            for code, parent, level, name, is_poor, (pinyin, initials) in areas
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('regions_area', 'id'), (SELECT max(id) FROM regions_area))"
            )
        villages = [(ids[code], code, is_poor) for code, _, level, _, is_poor, _ in areas if level == AreaLevel.VILLAGE]
        self.log(f"  {len(areas):,} areas ({len(villages):,} villages) in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        households = CopyWriter(Household, []).copy(self.household_lines(villages))
        self.log(f"  {households:,} households in {time.perf_counter() - started:.1f} s")
        return len(villages), households

    def areas(self) -> Iterator[tuple]:
        """(code, parent code, level, name, is poor, (pinyin, initials)) for the province and everything under it."""
        rng, plan = self.rng, self.plan
        province = bounds(PROVINCE_CODE)[0]
        yield province, None, AreaLevel.PROVINCE, PROVINCE_NAME, False, pinyin_of(PROVINCE_NAME)
        city_names: set[str] = set()
        county_names: set[str] = set()
        for city in range(1, plan.cities + 1):
            city_code = f"{PROVINCE_CODE}{city:02d}"
            name = place_name(rng, "市", city_names)
            yield bounds(city_code)[0], province, AreaLevel.CITY, name, False, pinyin_of(name)
            for county in range(1, plan.counties_per_city + 1):
                county_code = f"{city_code}{county:02d}"
                name = place_name(rng, "县", county_names)
                yield bounds(county_code)[0], bounds(city_code)[0], AreaLevel.COUNTY, name, False, pinyin_of(name)
                yield from self.county(county_code)

    def county(self, county_code: str) -> Iterator[tuple]:
        rng, plan = self.rng, self.plan
        township_names: set[str] = set()
        taken: set[str] = set()
        for township in range(vary(rng, plan.townships_per_county)):
            township_code = f"{county_code}{100 + township:03d}"
            name = place_name(rng, "乡" if rng.random() < 0.25 else "镇", township_names)
            parent = bounds(county_code)[0]
            yield bounds(township_code)[0], parent, AreaLevel.TOWNSHIP, name, False, pinyin_of(name)
            names = village_names(rng, vary(rng, plan.villages_per_township), taken)
            for number, name in enumerate(names, start=201):
                is_poor = rng.random() < plan.poor_village_share
                code = f"{township_code}{number:03d}"
                yield code, bounds(township_code)[0], AreaLevel.VILLAGE, name, is_poor, pinyin_of(name)

    def household_lines(self, villages: list[tuple[int, str, bool]]) -> Iterator[str]:
        rng, plan = self.rng, self.plan
        writer = CopyWriter(Household, [])
        statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        causes, cause_weights = list(CAUSE_WEIGHTS), list(CAUSE_WEIGHTS.values())
        years, year_weights = list(LIFTED_YEAR_WEIGHTS), list(LIFTED_YEAR_WEIGHTS.values())
        members, member_weights = list(MEMBER_WEIGHTS), list(MEMBER_WEIGHTS.values())
        serial_in_county: dict[str, int] = {}
        for village_id, code, is_poor in villages:
            # Poor villages hold about twice the registered households of the others (1.6 vs 0.82 of the mean).
            size = vary(rng, round(plan.households_per_village * (1.6 if is_poor else 0.82)))
            for serial in range(1, size + 1):
                k = serial_in_county.get(code[:6], 0)
                serial_in_county[code[:6]] = k + 1
                id_number = county_id_number(code[:6], k)
                status = rng.choices(statuses, status_weights)[0]
                yield writer.line(
                    {
                        "number": f"{code}{serial:04d}",
                        "village_id": village_id,
                        "head_name": person_name(rng, rng.random() < 0.15),
                        "id_number_encrypted": encrypt(id_number),
                        "id_number_hash": blind_index(id_number),
                        "id_number_masked": mask_id_number(id_number),
                        "phone": mobile_phone(rng) if rng.random() < 0.85 else "",
                        "members": rng.choices(members, member_weights)[0],
                        "main_cause": rng.choices(causes, cause_weights)[0],
                        "other_causes": [],
                        "status": status,
                        "lifted_year": None if status == HouseholdStatus.POOR else rng.choices(years, year_weights)[0],
                    }
                )


def county_id_number(region: str, k: int, born_from: date = date(1938, 1, 1)) -> str:
    """The k-th distinct valid ID number of a county: birth day and serial both walk with k (unique for k < 438,000).

    7919 is prime to the 17,520 days of the birth range, so k ↦ (day, serial) never repeats within a county.
    """
    birth = born_from + timedelta(days=(k * 7919) % 17_520)
    return make_id_number(k % 1000, birth.strftime("%Y%m%d"), region)
