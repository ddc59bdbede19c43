"""Expert assistance at province scale: ~20,000 experts and ~1,000,000 demands on the generated province, loaded
with COPY, then the four measurements issue 3 asks for, each beside its raw-SQL floor from the same run.

0. the experts' service records rebuilt from all assignments (`rebuild_expert_records`, what a bulk load needs;
   the services keep them up to date afterwards) vs the one grouped SQL statement that computes them;
1. expert recommendation for one demand (`recommend_experts`) vs one SQL statement that selects the same candidates
   with their expertise, home area, specialties and stored service records;
2. similar-demand search (`similar_demands`, what GET /api/v1/demands/similar/ runs) vs the SQL of its candidate scan;
3. the triage queue (GET /api/v1/demands/?status=submitted&ordering=due_at for a county triage officer, through the
   test client) vs the raw COUNT and page SELECT;
4. the SLA sweep (`escalate_overdue` + `close_unrated`) over every demand vs the SQL that finds the due rows.

`python -m bench --only assistance` measures these alone.

The sweep runs in a transaction that is rolled back, so every run measures the same work: the first sweep after the
open demands' deadlines passed (every overdue demand moves up and its tier is told). The data's shape: 3 years of
demands, ~96 % closed (history), the rest spread over the open states, mostly within the last three weeks.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from bench.generate import PROVINCE_CODE, CopyWriter, bounds, vacuum
from bench.measure import WARMUP, Row, compare, raw, timed
from sciaid.accounts.models import RoleGrant, User
from sciaid.assistance import services
from sciaid.assistance.choices import (
    OPEN_ASSIGNMENTS,
    OPEN_STATES,
    SERVED_STATES,
    TRIAGE_STATES,
    AssignmentStatus,
    DemandStatus,
    ServiceMode,
    Urgency,
)
from sciaid.assistance.demo import COMMENTS, TEMPLATES
from sciaid.assistance.models import Assignment, Demand
from sciaid.assistance.recommend import (
    CANDIDATE_LIMIT,
    SIMILAR_CANDIDATES,
    recommend_experts,
    similar_demands,
    specialty_family,
)
from sciaid.core.roles import Role
from sciaid.core.text import joined_tokens, tokens
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.demo import AVAILABILITY, EXPERTISE, ORGANISATIONS, TITLES
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

SEED = 2022
MARKER_TABLE = "bench_assistance"
EXPERT_PREFIX = "bench_expert_"
OFFICER_PREFIX = "bench_officer_"
BENCH_TRIAGE = "bench_triage"
HISTORY_DAYS = 3 * 365
GENERATED_TABLES = (
    "experts_expert",
    "experts_expert_specialties",
    "experts_pairing",
    "assistance_demand",
    "assistance_assignment",
)
#: Share of demands per final state; what is left is closed history.
OPEN_SHARES = {
    DemandStatus.SUBMITTED: 0.006,
    DemandStatus.TRIAGED: 0.002,
    DemandStatus.DECLINED: 0.0005,
    DemandStatus.ASSIGNED: 0.004,
    DemandStatus.ACCEPTED: 0.003,
    DemandStatus.IN_SERVICE: 0.005,
    DemandStatus.RESOLVED: 0.008,
    DemandStatus.MERGED: 0.005,
    DemandStatus.REJECTED: 0.005,
}
#: Words farmers add to the templates' descriptions, so 1 M demands do not share a few dozen texts.
DETAILS = (
    "去年也出现过类似情况",
    "邻居家也有这个问题",
    "用过土办法没有效果",
    "今年雨水特别多",
    "最近天气忽冷忽热",
    "刚换了新的饲料",
    "用的是自留种",
    "地势低洼容易积水",
    "家里劳动力少，希望专家上门",
    "附近农资店推荐了几种药",
    "第一次种养，没有经验",
    "规模比去年扩大了一倍",
    "品种是从外地引进的",
    "已经拍了照片",
    "损失大概有两三成",
    "合作社其他社员也想了解",
)
LEAF_CODES = tuple(EXPERTISE)
LEVEL_HOMES = ((ExpertLevel.PROVINCE, 0.05), (ExpertLevel.CITY, 0.15), (ExpertLevel.COUNTY, 0.80))


@dataclass(frozen=True)
class AssistancePlan:
    experts: int
    demands: int
    commissioner_share: float = 0.6

    @classmethod
    def for_scale(cls, scale: float) -> AssistancePlan:
        return cls(max(20, round(20_000 * scale)), max(200, round(1_000_000 * scale)))

    @property
    def key(self) -> str:
        return f"experts={self.experts},demands={self.demands},year={timezone.localdate().year}"


def marker_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (plan text PRIMARY KEY, seconds double precision, "
            "created_at timestamptz DEFAULT now())"
        )


def loaded(plan: AssistancePlan, province_key: str) -> bool:
    marker_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {MARKER_TABLE} WHERE plan = %s", [f"{province_key};{plan.key}"])
        return cursor.fetchone() is not None


def ensure_assistance(plan: AssistancePlan, province_key: str, log=print) -> tuple[float, bool]:
    """Load experts and demands for `plan` unless loaded on this province; (seconds it took, generated now)."""
    if loaded(plan, province_key):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT seconds FROM {MARKER_TABLE} WHERE plan = %s", [f"{province_key};{plan.key}"])
            return cursor.fetchone()[0], False
    started = time.perf_counter()
    with transaction.atomic():
        remove_assistance()
        AssistanceGenerator(plan, log).load()
        copy_ratings_to_assignments()
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {MARKER_TABLE} (plan, seconds) VALUES (%s, %s)", [f"{province_key};{plan.key}", seconds]
            )
    # A live database is vacuumed by autovacuum; freshly COPYed tables need it once for index-only scans (VACUUM
    # cannot run inside the test's transaction, where ANALYZE is enough).
    vacuum((*GENERATED_TABLES, "accounts_user"))
    return seconds, True


def remove_assistance() -> None:
    """Drop what an earlier plan loaded: the province's demands, the bench experts and their users."""
    low, high = bounds(PROVINCE_CODE)
    users = "SELECT id FROM accounts_user WHERE username LIKE %s OR username LIKE %s OR username = %s"
    people = [f"{EXPERT_PREFIX}%", f"{OFFICER_PREFIX}%", BENCH_TRIAGE]
    experts = f"SELECT id FROM experts_expert WHERE user_id IN ({users})"
    marker_table()
    demands = (
        "SELECT d.id FROM assistance_demand d JOIN regions_area v ON v.id = d.village_id WHERE v.code BETWEEN %s AND %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM assistance_assignment WHERE demand_id IN ({demands})", [low, high])
        cursor.execute(f"DELETE FROM assistance_message WHERE demand_id IN ({demands})", [low, high])
        cursor.execute(
            "UPDATE assistance_demand SET merged_into_id = NULL, possible_duplicate_of_id = NULL "
            f"WHERE id IN ({demands})",
            [low, high],
        )
        cursor.execute(f"DELETE FROM assistance_demand WHERE id IN ({demands})", [low, high])
        cursor.execute(f"DELETE FROM assistance_expertrecord WHERE expert_id IN ({experts})", people)
        cursor.execute(f"DELETE FROM experts_pairing WHERE expert_id IN ({experts})", people)
        cursor.execute(f"DELETE FROM experts_expert_specialties WHERE expert_id IN ({experts})", people)
        cursor.execute(f"DELETE FROM experts_expert WHERE user_id IN ({users})", people)
        cursor.execute(f"DELETE FROM core_notification WHERE recipient_id IN ({users})", people)
        cursor.execute(f"DELETE FROM accounts_rolegrant WHERE user_id IN ({users})", people)
        cursor.execute(f"DELETE FROM accounts_user WHERE id IN ({users})", people)
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def reset_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


@cache
def cached_tokens(text: str) -> str:
    return joined_tokens(text)


class AssistanceGenerator:
    """Experts (with logins, specialties, expertise and pairings) and demands with their assignments."""

    def __init__(self, plan: AssistancePlan, log=print):
        self.plan, self.log, self.rng = plan, log, random.Random(SEED)
        self.now = timezone.now()
        self.specialties = dict(Specialty.objects.values_list("code", "pk"))
        low, high = bounds(PROVINCE_CODE)
        areas = Area.objects.filter(code__range=(low, high)).values_list("id", "code", "level", "is_poor")
        self.villages = [(pk, code, poor) for pk, code, level, poor in areas if level == AreaLevel.VILLAGE]
        self.area_ids = {code: pk for pk, code, _, _ in areas}
        self.counties = sorted(code for _, code, level, _ in areas if level == AreaLevel.COUNTY)
        self.cities = sorted(code for _, code, level, _ in areas if level == AreaLevel.CITY)

    def load(self) -> None:
        started = time.perf_counter()
        officers = self.create_users()
        experts = self.create_experts()
        self.log(f"  {len(experts):,} experts in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        demands = self.create_demands(experts, officers)
        self.log(f"  {demands:,} demands with their assignments in {time.perf_counter() - started:.1f} s")

    def create_users(self) -> dict[str, int]:
        """A login for every expert, one info officer per county (who submits its demands) and the county desk of
        the first county (who is measured)."""
        password = make_password(None)
        first = next_id("accounts_user")
        writer = CopyWriter(User, ["id"])
        names = [f"{EXPERT_PREFIX}{n:05d}" for n in range(self.plan.experts)]
        names += [f"{OFFICER_PREFIX}{code[:6]}" for code in self.counties] + [BENCH_TRIAGE]
        writer.copy(
            writer.line({"id": first + i, "username": name, "password": password, "phone": None})
            for i, name in enumerate(names)
        )
        reset_sequence("accounts_user")
        self.expert_user_ids = list(range(first, first + self.plan.experts))
        officers = {code[:6]: first + self.plan.experts + i for i, code in enumerate(self.counties)}
        rows = [(uid, Role.INFO_OFFICER, self.area_ids[code.ljust(12, "0")]) for code, uid in officers.items()]
        rows.append((first + len(names) - 1, Role.TRIAGE_OFFICER, self.area_ids[self.counties[0]]))
        self.grant(rows)
        return officers

    @staticmethod
    def grant(rows: list[tuple[int, str, int]]) -> None:
        writer = CopyWriter(RoleGrant, [])
        writer.copy(writer.line({"user_id": user, "role": role, "area_id": area}) for user, role, area in rows)

    def create_experts(self) -> list[tuple[int, str, set[str]]]:
        """(id, home area code, specialty codes) of each expert, with an expert grant on its home area; commissioners
        are paired with their county's poor villages for this year."""
        rng, plan = self.rng, self.plan
        first = next_id("experts_expert")
        writer = CopyWriter(Expert, ["id"])
        experts = []
        lines = []
        for index in range(plan.experts):
            level = rng.choices([lv for lv, _ in LEVEL_HOMES], [w for _, w in LEVEL_HOMES])[0]
            if level == ExpertLevel.PROVINCE:
                home = bounds(PROVINCE_CODE)[0]
            elif level == ExpertLevel.CITY:
                home = rng.choice(self.cities)
            else:
                home = self.counties[index % len(self.counties)]
            chosen = rng.sample(LEAF_CODES, rng.choice((1, 2, 2, 3)))
            sentences = [s for code in chosen for s in rng.sample(EXPERTISE[code], min(2, len(EXPERTISE[code])))]
            expertise = "擅长" + "、".join(sentences) + "。"
            commissioner = level == ExpertLevel.COUNTY and rng.random() < plan.commissioner_share
            experts.append((first + index, home, set(chosen), commissioner))
            lines.append(
                writer.line(
                    {
                        "id": first + index,
                        "user_id": self.expert_user_ids[index],
                        "name": f"专家{index:05d}",
                        "organisation": rng.choice(ORGANISATIONS[level]),
                        "title": rng.choice(TITLES[level]),
                        "level": level,
                        "home_area_id": self.area_ids[home],
                        "expertise": expertise,
                        "expertise_tokens": cached_tokens(expertise),
                        "availability": rng.choice(AVAILABILITY),
                        "is_commissioner": commissioner,
                    }
                )
            )
        writer.copy(lines)
        reset_sequence("experts_expert")
        self.grant([(self.expert_user_ids[pk - first], Role.EXPERT, self.area_ids[home]) for pk, home, _, _ in experts])
        through = Expert.specialties.through
        links = CopyWriter(through, [])
        links.copy(
            links.line({"expert_id": pk, "specialty_id": self.specialties[code]})
            for pk, _, codes, _ in experts
            for code in codes
        )
        commissioners: dict[str, list[int]] = {}
        for pk, home, _, commissioner in experts:
            if commissioner:
                commissioners.setdefault(home[:6], []).append(pk)
        pairings = CopyWriter(Pairing, [])
        year = timezone.localdate().year
        pairings.copy(
            pairings.line({"expert_id": rng.choice(commissioners[code[:6]]), "village_id": pk, "year": year})
            for pk, code, poor in self.villages
            if poor and code[:6] in commissioners
        )
        return [(pk, home, codes) for pk, home, codes, _ in experts]

    def create_demands(self, experts, officers: dict[str, int]) -> int:
        rng, plan, now = self.rng, self.plan, self.now
        by_reach: dict[tuple[str, str], list[int]] = {}
        for pk, home, codes in experts:
            for code in codes:
                by_reach.setdefault((home, code), []).append(pk)
        province = bounds(PROVINCE_CODE)[0]
        states = [*OPEN_SHARES, DemandStatus.CLOSED]
        weights = [*OPEN_SHARES.values(), 1 - sum(OPEN_SHARES.values())]
        first = next_id("assistance_demand")
        demands = CopyWriter(Demand, ["id"])
        assignments = CopyWriter(Assignment, [])
        desk = officers[self.counties[0][:6]]

        def expert_for(village_code: str, specialty: str) -> int:
            county, city = village_code[:6].ljust(12, "0"), village_code[:4].ljust(12, "0")
            home = rng.choices((county, city, province), (80, 15, 5))[0]
            pool = by_reach.get((home, specialty)) or by_reach.get((county, specialty))
            if not pool:
                pool = [pk for pk, h, _ in experts[:50] if h == province] or [experts[0][0]]
            return rng.choice(pool)

        demand_lines, assignment_lines = [], []
        count = 0
        for index in range(plan.demands):
            pk = first + index
            village_id, village_code, _ = rng.choice(self.villages)
            code, title, description, summary = rng.choice(TEMPLATES)
            description = description.format(n=rng.randint(2, 60)) + rng.choice(DETAILS) + "。"
            status = rng.choices(states, weights)[0]
            if status in OPEN_STATES or status == DemandStatus.RESOLVED:
                submitted = now - timedelta(hours=rng.uniform(1, 21 * 24))
            else:
                submitted = now - timedelta(hours=rng.uniform(21 * 24, HISTORY_DAYS * 24))
            values = {
                "id": pk,
                "title": title,
                "description": description,
                "specialty_id": self.specialties[code],
                "village_id": village_id,
                "requester_id": officers[village_code[:6]],
                "requester_role": Role.INFO_OFFICER,
                "farmer_name": "",
                "farmer_phone": "",
                "urgency": Urgency.URGENT if rng.random() < 0.1 else Urgency.NORMAL,
                "preferred_mode": ServiceMode.ON_SITE if rng.random() < 0.3 else ServiceMode.ONLINE,
                "status": status,
                "submitted_at": submitted,
                "search_tokens": f"{cached_tokens(title)} {cached_tokens(description)}",
                "due_at": submitted + timedelta(hours=rng.uniform(24, 72)),
            }
            served = status in SERVED_STATES
            assigned = status in (DemandStatus.ASSIGNED, DemandStatus.ACCEPTED, DemandStatus.IN_SERVICE) or served
            if status in (DemandStatus.MERGED, DemandStatus.REJECTED) or served:
                values["due_at"] = None
            if status == DemandStatus.REJECTED:
                values["reject_reason"] = "不属于技术需求"
            if status == DemandStatus.MERGED and index:
                values["merged_into_id"] = pk - 1
            if assigned or status == DemandStatus.DECLINED:
                at = submitted + timedelta(hours=rng.uniform(0.5, 30))
                expert = expert_for(village_code, code)
                values.update(triaged_at=at, assigned_at=at)
                answer = at + timedelta(hours=rng.uniform(0.3, 40))
                answered = status != DemandStatus.ASSIGNED and answer < now
                a_status = AssignmentStatus.PENDING
                if status == DemandStatus.DECLINED:
                    a_status = AssignmentStatus.DECLINED
                elif answered:
                    a_status = AssignmentStatus.ACCEPTED
                if status == DemandStatus.ASSIGNED:
                    values["due_at"] = at + timedelta(hours=rng.uniform(48, 120))
                assignment_lines.append(
                    assignments.line(
                        {
                            "demand_id": pk,
                            "expert_id": expert,
                            "status": a_status,
                            "assigned_by_id": desk,
                            "assigned_at": at,
                            "responded_at": answer if a_status != AssignmentStatus.PENDING else None,
                            "response_seconds": int((answer - at).total_seconds())
                            if a_status != AssignmentStatus.PENDING
                            else None,
                            "decline_reason": "不在专业范围" if a_status == AssignmentStatus.DECLINED else "",
                        }
                    )
                )
                if a_status == AssignmentStatus.ACCEPTED:
                    values["accepted_at"] = answer
                    if not served:
                        values["due_at"] = answer + timedelta(hours=rng.uniform(100, 400))
                if served:
                    resolved = min(answer + timedelta(hours=rng.uniform(3, 150)), now - timedelta(minutes=5))
                    values.update(solution_summary=summary, resolved_by_id=expert, resolved_at=resolved)
                if status == DemandStatus.CLOSED:
                    closed = resolved + timedelta(hours=rng.uniform(1, 160))
                    values["closed_at"] = closed
                    if rng.random() < 0.8:
                        rating = rng.choices((5, 4, 3, 2, 1), (55, 28, 10, 4, 3))[0]
                        values.update(rating=rating, rated_at=closed, rating_comment=rng.choice(COMMENTS))
                    if rng.random() < 0.6:
                        valid = rng.random() < 0.8
                        values.update(
                            valid=valid,
                            on_target=valid,
                            effective=True,
                            truthful=True,
                            complete=True,
                            timely=True,
                            judged_at=closed + timedelta(days=rng.uniform(1, 20)),
                        )
            values["updated_at"] = last_change(values, now)
            demand_lines.append(demands.line(values))
            if len(demand_lines) >= 50_000:
                count += demands.copy(demand_lines)
                assignments.copy(assignment_lines)
                demand_lines, assignment_lines = [], []
        count += demands.copy(demand_lines)
        assignments.copy(assignment_lines)
        reset_sequence("assistance_demand")
        return count


#: The moments a demand's row changes at (its deadline is not one).
STEP_TIMES = ("submitted_at", "triaged_at", "assigned_at", "accepted_at", "resolved_at", "closed_at", "judged_at")


def last_change(values: dict, now) -> datetime:
    """When the row was last written, as the services would have left it: its latest step (never after now)."""
    return min(now, max(values[key] for key in STEP_TIMES if values.get(key)))


# --- measurements -----------------------------------------------------------------------------------------------


def copy_ratings_to_assignments() -> None:
    """What `services.rate` does for each rating: the serving expert's assignment carries the demand's rating."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assistance_assignment g SET rating = d.rating FROM assistance_demand d "
            "WHERE d.id = g.demand_id AND g.status = 'accepted' AND d.rating IS NOT NULL"
        )


RECOMMEND_FLOOR_SQL = f"""
WITH candidates AS (
    SELECT DISTINCT e.id FROM experts_expert e
    JOIN regions_area a ON a.id = e.home_area_id
    JOIN experts_expert_specialties s ON s.expert_id = e.id
    WHERE e.is_active AND a.code = ANY(%s) AND s.specialty_id = ANY(%s)
    LIMIT {CANDIDATE_LIMIT}
)
SELECT e.id, e.name, e.expertise_tokens, a.code, r.open_assignments, r.ratings, r.rating_total, r.response_seconds,
    ARRAY(SELECT s.specialty_id FROM experts_expert_specialties s WHERE s.expert_id = e.id)
FROM candidates c
JOIN experts_expert e ON e.id = c.id
JOIN regions_area a ON a.id = e.home_area_id
LEFT JOIN assistance_expertrecord r ON r.expert_id = e.id
"""
RECORDS_FLOOR_SQL = """
SELECT g.expert_id,
    count(*) FILTER (WHERE g.status = ANY(%s) AND d.status = ANY(%s)),
    count(g.rating) FILTER (WHERE g.status = 'accepted'),
    sum(g.rating) FILTER (WHERE g.status = 'accepted'),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY g.response_seconds) FILTER (WHERE g.status = 'accepted')
FROM assistance_assignment g JOIN assistance_demand d ON d.id = g.demand_id
GROUP BY g.expert_id
"""
SIMILAR_FLOOR_SQL = f"""
SELECT d.id, d.search_tokens FROM assistance_demand d JOIN regions_area v ON v.id = d.village_id
WHERE v.code BETWEEN %s AND %s AND d.status = ANY(%s) AND d.search_tokens LIKE ANY(%s)
ORDER BY d.resolved_at DESC LIMIT {SIMILAR_CANDIDATES}
"""
QUEUE_FROM = (
    "FROM assistance_demand d JOIN regions_area v ON v.id = d.village_id "
    "WHERE v.code BETWEEN %s AND %s AND d.status = %s"
)
QUEUE_PAGE_SQL = (
    "SELECT d.*, v.*, s.*, u.* FROM assistance_demand d JOIN regions_area v ON v.id = d.village_id "
    "JOIN experts_specialty s ON s.id = d.specialty_id JOIN accounts_user u ON u.id = d.requester_id "
    "WHERE v.code BETWEEN %s AND %s AND d.status = %s ORDER BY d.due_at LIMIT 50"
)
SWEEP_FLOOR_SQL = (
    "SELECT count(*) FROM assistance_demand WHERE status = ANY(%s) AND due_at < %s AND paused_since IS NULL "
    "AND escalation_level < 3 UNION ALL "
    "SELECT count(*) FROM assistance_demand WHERE status = 'resolved' AND resolved_at < %s AND updated_at < %s"
)


def recommendation(repeat: int, rng: random.Random) -> Row:
    """Recommend experts for random demands waiting for triage all over the province."""
    ids = list(Demand.objects.filter(status__in=TRIAGE_STATES).values_list("pk", flat=True))
    demands = list(
        Demand.objects.filter(pk__in=rng.sample(ids, min(len(ids), repeat + WARMUP))).select_related(
            "village", "specialty"
        )
    )
    cases, sizes = [], []
    for demand in (demands * (1 + (repeat + WARMUP) // max(1, len(demands))))[: repeat + WARMUP]:
        same, related = specialty_family(demand.specialty)
        params = [demand.village.ancestor_codes(), list(same | related)]
        sizes.append(len(raw(RECOMMEND_FLOOR_SQL, params)()))
        cases.append(((lambda d=demand: recommend_experts(d)), raw(RECOMMEND_FLOOR_SQL, params)))
    experts = Expert.objects.count()
    return compare(
        "expert recommendation (recommend_experts)",
        f"{experts:,} experts, ~{sum(sizes) // max(1, len(sizes))} candidates",
        cases,
        note="target p95 < 100 ms",
    )


def similar(user, county: Area, repeat: int, rng: random.Random) -> Row:
    """What the submit form shows while a farmer types: resolved demands like their words, in the desk's county."""
    cases = []
    for _ in range(repeat + WARMUP):
        _, title, description, _ = rng.choice(TEMPLATES)
        text = f"{title} {description.format(n=rng.randint(2, 60))}"
        query = list(dict.fromkeys(tokens(text)))
        keys = sorted(query, key=len, reverse=True)[:8]
        params = [*county.subtree_bounds, list(SERVED_STATES), [f"%{word}%" for word in keys]]
        cases.append(((lambda t=text: similar_demands(t, user)), raw(SIMILAR_FLOOR_SQL, params)))
    served = Demand.objects.filter(status__in=SERVED_STATES, village__code__range=county.subtree_bounds).count()
    return compare(
        "similar-demand search (similar_demands)",
        f"{served:,} served demands in the county",
        cases,
        note="target p95 < 150 ms",
    )


def triage_queue(user, county: Area, repeat: int) -> Row:
    """The county desk's queue through the API, soonest deadline first."""
    client = APIClient()
    client.force_authenticate(user)
    url = "/api/v1/demands/"
    params = {"status": DemandStatus.SUBMITTED, "ordering": "due_at"}

    def get():
        response = client.get(url, params)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    with CaptureQueriesContext(connection) as first:
        get()
    with CaptureQueriesContext(connection) as second:
        get()
    args = [*county.subtree_bounds, DemandStatus.SUBMITTED]

    def base():
        raw(f"SELECT count(*) {QUEUE_FROM}", args, fetch="one")()
        raw(QUEUE_PAGE_SQL, args)()

    (waiting,) = raw(f"SELECT count(*) {QUEUE_FROM}", args, fetch="one")()
    cases = [(get, base)] * (repeat + WARMUP)
    counts = f"{len(first)} queries" + ("" if len(first) == len(second) else f" then {len(second)}")
    return compare(
        "triage queue (API list, county desk)",
        f"{waiting:,} submitted in the county",
        cases,
        note=f"{counts}; target p95 < 200 ms",
    )


def records_rebuild() -> Row:
    """Recompute every expert's service record from the assignments, as after a bulk load (kept: it is idempotent)."""
    seconds = timed(services.rebuild_records)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assistance_expertrecord")
    floor = timed(raw(RECORDS_FLOOR_SQL, [list(OPEN_ASSIGNMENTS), list(OPEN_STATES)]))
    assignments = Assignment.objects.count()
    return Row(
        "expert records rebuild (rebuild_expert_records)",
        f"{Expert.objects.count():,} experts, {assignments:,} assignments",
        seconds,
        None,
        floor,
        note="one run; the services keep them after",
    )


def sla_sweep() -> Row:
    """Escalate and auto-close over every demand, rolled back so the next run sees the same work."""
    from django.conf import settings

    now = timezone.now()
    cutoff = now - timedelta(days=settings.ASSISTANCE_AUTO_CLOSE_DAYS)
    with transaction.atomic():
        started = time.perf_counter()
        moved = services.escalate_overdue(now)
        closed = services.close_unrated(now)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    floor = timed(raw(SWEEP_FLOOR_SQL, [list(OPEN_STATES), now, cutoff, cutoff]))
    total = Demand.objects.count()
    return Row(
        "SLA sweep (escalate_overdue + close_unrated)",
        f"{total:,} demands",
        seconds,
        None,
        floor,
        note=f"{moved:,} escalated, {closed:,} closed; one run; target < 60 s",
    )


def measure_assistance(seconds: float, generated: bool, plan: AssistancePlan, repeat: int) -> list[Row]:
    rng = random.Random(SEED)
    county = Area.objects.filter(level=AreaLevel.COUNTY, code__range=bounds(PROVINCE_CODE)).order_by("code")[0]
    desk = User.objects.get(username=BENCH_TRIAGE)
    how = "generated now" if generated else "loaded earlier"
    return [
        Row(
            "generate experts and demands (COPY)",
            f"{plan.experts:,} experts, {plan.demands:,} demands",
            rate=(plan.experts + plan.demands) / seconds,
            note=f"{seconds:.0f} s, {how}",
        ),
        records_rebuild(),
        recommendation(repeat, rng),
        similar(desk, county, repeat, rng),
        triage_queue(desk, county, repeat),
        sla_sweep(),
    ]


__all__ = ["AssistancePlan", "ensure_assistance", "measure_assistance", "remove_assistance"]
