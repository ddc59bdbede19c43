"""Popular-science training at province scale: ~200,000 events held at the province's villages in 2020 with ~2,000
trainers and ~5,000,000 sign-ins of registered household members and guests (with their registrations and a fifth
of them rating), loaded with COPY once per province, then the stored figures recomputed from them
(`refresh_all_figures`). Measured: the training statistics page and its API twin for a county and for the province,
through the test client beside the raw-SQL floor of the same stored sums, and once the live aggregate the stored
figures avoid.

`python -m bench --only training` measures these alone. The rows belong to 2020 and to users named `bench_train_…`.
"""

from __future__ import annotations

import random
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client

from bench.assistance import next_id, reset_sequence
from bench.commissioners import floor, page
from bench.generate import PROVINCE_CODE, CopyWriter, bench_users, bounds, marker_seconds, vacuum
from bench.measure import WARMUP, Row, compare, timed
from sciaid.accounts.models import User
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household
from sciaid.training.choices import ParticipantKind, TrainingKind, TrainingStatus
from sciaid.training.models import (
    Attendance,
    Feedback,
    Registration,
    TrainerFigures,
    TrainingEvent,
    TrainingFigures,
    TrainingKindFigures,
)
from sciaid.training.services.figures import refresh_all_figures

SEED = 2020
#: The stored figures' tables.
FIGURES = (TrainingFigures, TrainingKindFigures, TrainerFigures)
YEAR = 2020
MARKER_TABLE = "bench_training"
PREFIX = "bench_train_"
KINDS = [kind.value for kind in TrainingKind]
KIND_WEIGHTS = [60, 10, 8, 15, 7]
STATUSES = [TrainingStatus.REPORTED, TrainingStatus.HELD, TrainingStatus.PUBLISHED]
STATUS_WEIGHTS = [88, 8, 4]
#: Share of two-day events, and of their trainees who come back on the second day.
TWO_DAYS, RETURNING = 0.2, 0.5
#: Share of trainees who rate the event, and of trainees who are registered household members.
RATED, HOUSEHOLD_MEMBERS = 0.2, 0.6
#: Who of a household comes, and how many guests (by phone) a village has.
MEMBERS = ("户主", "配偶", "长子", "长女")
GUESTS_PER_VILLAGE = 200

FIGURES_FLOOR_SQL = """
SELECT sum(f.distinct_trainees), sum(f.poor_household_trainees), sum(f.ratings), sum(f.rating_sum), sum(f.satisfied)
FROM training_trainingfigures f JOIN regions_area a ON a.id = f.area_id
WHERE f.year = %s AND a.code BETWEEN %s AND %s
"""
KIND_FLOOR_SQL = """
SELECT f.kind, sum(f.events), sum(f.trainees)
FROM training_trainingkindfigures f JOIN regions_area a ON a.id = f.area_id
WHERE f.year = %s AND a.code BETWEEN %s AND %s GROUP BY 1
"""
TRAINER_FLOOR_SQL = """
SELECT f.expert_id, e.name, e.organisation, sum(f.events) AS n, sum(f.trainees) AS t, sum(f.ratings), sum(f.rating_sum)
FROM training_trainerfigures f JOIN regions_area a ON a.id = f.area_id JOIN experts_expert e ON e.id = f.expert_id
WHERE f.year = %s AND a.code BETWEEN %s AND %s GROUP BY 1, 2, 3 ORDER BY n DESC, t DESC, e.name
"""
LIVE_SQL = """
SELECT count(DISTINCT at.registration_id), count(DISTINCT r.person_key),
       count(DISTINCT r.person_key) FILTER (WHERE r.household_id IS NOT NULL)
FROM training_attendance at JOIN training_registration r ON r.id = at.registration_id
JOIN regions_area a ON a.id = at.area_id
WHERE a.code BETWEEN %s AND %s AND at.day >= %s AND at.day < %s
"""


@dataclass(frozen=True)
class TrainingPlan:
    events: int
    attendances: int

    @classmethod
    def for_scale(cls, scale: float) -> TrainingPlan:
        return cls(max(200, round(200_000 * scale)), max(5_000, round(5_000_000 * scale)))

    @property
    def trainers(self) -> int:
        return max(20, self.events // 100)

    @property
    def key(self) -> str:
        return f"events={self.events},attendances={self.attendances},year={YEAR}"


def ensure_training(plan: TrainingPlan, province_key: str, log=print) -> tuple[float, bool]:
    """Load trainers, events, registrations, sign-ins and ratings unless loaded; (seconds, generated now)."""
    key = f"{province_key};{plan.key}"
    seconds = loaded_seconds_of(key)
    if seconds is not None:
        return seconds, False
    started = time.perf_counter()
    with transaction.atomic():
        remove_training()
        TrainingGenerator(plan, log).load()
        took = time.perf_counter()
        rows = refresh_all_figures()
        log(f"  stored figures of {rows:,} area-years recomputed in {time.perf_counter() - took:.1f} s")
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {MARKER_TABLE} (plan, seconds) VALUES (%s, %s)", [key, seconds])
    vacuum(model._meta.db_table for model in (TrainingEvent, Registration, Attendance, Feedback, *FIGURES))
    return seconds, True


def loaded_seconds_of(key: str) -> float | None:
    return marker_seconds(MARKER_TABLE, key)


def remove_training() -> None:
    """Drop what an earlier plan loaded (idempotent): every training row of the year and the bench trainers."""
    loaded_seconds_of("")
    events = "SELECT id FROM training_trainingevent WHERE starts_on >= %s AND starts_on < %s"
    year = [date(YEAR, 1, 1), date(YEAR + 1, 1, 1)]
    users = "SELECT id FROM accounts_user WHERE username LIKE %s"
    with connection.cursor() as cursor:
        for table in ("training_feedback", "training_attendance", "training_registration"):
            cursor.execute(f"DELETE FROM {table} WHERE event_id IN ({events})", year)
        cursor.execute(f"DELETE FROM training_trainingevent_trainers WHERE trainingevent_id IN ({events})", year)
        cursor.execute(f"DELETE FROM training_trainingevent_topics WHERE trainingevent_id IN ({events})", year)
        cursor.execute(f"DELETE FROM training_trainingevent WHERE id IN ({events})", year)
        for model in FIGURES:
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE year = %s", [YEAR])
        cursor.execute(f"DELETE FROM experts_expert WHERE user_id IN ({users})", [f"{PREFIX}%"])
        cursor.execute(f"DELETE FROM accounts_user WHERE id IN ({users})", [f"{PREFIX}%"])
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")


class TrainingGenerator:
    def __init__(self, plan: TrainingPlan, log=print):
        self.plan, self.log, self.rng = plan, log, random.Random(SEED)
        low, high = bounds(PROVINCE_CODE)
        areas = Area.objects.filter(code__range=(low, high), level__in=(AreaLevel.COUNTY, AreaLevel.VILLAGE))
        rows = list(areas.values_list("id", "code", "level"))
        self.villages = [(pk, code) for pk, code, level in rows if level == AreaLevel.VILLAGE]
        self.counties = {code[:6]: pk for pk, code, level in rows if level == AreaLevel.COUNTY}
        self.households: dict[int, list[int]] = {}
        for pk, village in Household.objects.filter(village__code__range=(low, high)).values_list("pk", "village_id"):
            self.households.setdefault(village, []).append(pk)

    def load(self) -> None:
        started = time.perf_counter()
        trainers = self.create_trainers()
        events = self.create_events(trainers)
        registrations, attendances, ratings = self.create_people(events)
        took = time.perf_counter() - started
        self.log(
            f"  {len(events):,} events, {registrations:,} registrations, {attendances:,} sign-ins, "
            f"{ratings:,} ratings in {took:.1f} s"
        )

    def create_trainers(self) -> dict[str, list[int]]:
        """Trainers spread over the counties: county code → expert ids."""
        first_user, first_expert = next_id("accounts_user"), next_id("experts_expert")
        password = make_password(None)
        users = CopyWriter(User, ["id"])
        count = self.plan.trainers
        users.copy(
            users.line({"id": first_user + i, "username": f"{PREFIX}{i:05d}", "password": password, "phone": None})
            for i in range(count)
        )
        reset_sequence("accounts_user")
        counties = sorted(self.counties)
        by_county: dict[str, list[int]] = {}
        writer = CopyWriter(Expert, ["id"])
        lines = []
        for i in range(count):
            county = counties[i % len(counties)]
            by_county.setdefault(county, []).append(first_expert + i)
            values = {
                "id": first_expert + i,
                "user_id": first_user + i,
                "name": f"培训讲师{i:05d}",
                "organisation": "农业技术推广中心",
                "level": ExpertLevel.COUNTY,
                "home_area_id": self.counties[county],
            }
            lines.append(writer.line(values))
        writer.copy(lines)
        reset_sequence("experts_expert")
        return by_county

    def create_events(self, trainers: dict[str, list[int]]) -> list[tuple[int, int, str, date, int]]:
        """(id, village id, village code, first day, days) of each event, held at a random village."""
        rng, first = self.rng, next_id("training_trainingevent")
        writer = CopyWriter(TrainingEvent, ["id"])
        through = CopyWriter(TrainingEvent.trainers.through, [])
        events, links = [], []
        lines = []
        for n in range(self.plan.events):
            village, code = rng.choice(self.villages)
            day = date(YEAR, 1, 1) + timedelta(days=rng.randrange(364))
            days = 2 if rng.random() < TWO_DAYS else 1
            events.append((first + n, village, code, day, days))
            links.append((first + n, rng.choice(trainers[code[:6]])))
            lines.append(
                writer.line(
                    {
                        "id": first + n,
                        "kind": rng.choices(KINDS, KIND_WEIGHTS)[0],
                        "title": "实用技术培训",
                        "organiser_kind": "bureau",
                        "organiser_name": "县科学技术局",
                        "area_id": village,
                        "starts_on": day.isoformat(),
                        "ends_on": (day + timedelta(days=days - 1)).isoformat(),
                        "status": rng.choices(STATUSES, STATUS_WEIGHTS)[0],
                    }
                )
            )
        writer.copy(lines)
        reset_sequence("training_trainingevent")
        through.copy(through.line({"trainingevent_id": e, "expert_id": x}) for e, x in links)
        return events

    def person(self, village: int) -> tuple[str, int | None, str, str]:
        """(person key, household id, phone hash, name) of a villager: a household's member or a guest."""
        households = self.households.get(village)
        if households and self.rng.random() < HOUSEHOLD_MEMBERS:
            household, name = self.rng.choice(households), self.rng.choice(MEMBERS)
            return f"h:{household}:{name}", household, "", name
        phone = f"{village:08x}{self.rng.randrange(GUESTS_PER_VILLAGE):04x}"
        return f"p:{phone}", None, phone, "村民"

    def people(self, village: int, count: int) -> set[tuple]:
        """`count` different villagers (fewer only when the village has not that many)."""
        found: set[tuple] = set()
        for _ in range(3 * count):
            found.add(self.person(village))
            if len(found) == count:
                break
        return found

    def create_people(self, events) -> tuple[int, int, int]:
        # Millions of sign-in lines wait in temporary files, not in memory, until the registrations are in.
        with (
            tempfile.TemporaryFile("w+", encoding="utf-8") as sign_ins,
            tempfile.TemporaryFile("w+", encoding="utf-8") as ratings,
        ):
            return self.copy_people(events, sign_ins, ratings)

    def copy_people(self, events, sign_ins, ratings) -> tuple[int, int, int]:
        rng, plan = self.rng, self.plan
        per_event = plan.attendances / plan.events / (1 + TWO_DAYS * RETURNING)
        first_registration = next_id("training_registration")
        registrations = CopyWriter(Registration, ["id"])
        attendances = CopyWriter(Attendance, [])
        feedback = CopyWriter(Feedback, [])

        def lines():
            pk = first_registration
            for event, village, _code, day, days in events:
                people = self.people(village, max(1, round(rng.gauss(per_event, per_event / 3))))
                for key, household, phone, name in people:
                    kind = ParticipantKind.HOUSEHOLD if household else ParticipantKind.GUEST
                    common = {"event_id": event, "area_id": village}
                    for offset in range(days):
                        if offset == 0 or rng.random() < RETURNING:
                            when = (day + timedelta(days=offset)).isoformat()
                            sign_ins.write(
                                attendances.line({**common, "registration_id": pk, "day": when, "source": "tick"})
                            )
                    if rng.random() < RATED:
                        rating = rng.choices((5, 4, 3, 2, 1), (45, 30, 15, 6, 4))[0]
                        ratings.write(feedback.line({**common, "registration_id": pk, "rating": rating}))
                    yield registrations.line(
                        {
                            **common,
                            "id": pk,
                            "kind": kind,
                            "household_id": household,
                            "name": name,
                            "phone_hash": phone,
                            "person_key": key,
                            "walk_in": False,
                        }
                    )
                    pk += 1

        count = registrations.copy(lines())
        reset_sequence("training_registration")
        sign_ins.seek(0)
        ratings.seek(0)
        attended = attendances.copy(sign_ins)
        rated = feedback.copy(ratings)
        return count, attended, rated


def measure_training(seconds: float, generated: bool, plan: TrainingPlan, repeat: int) -> list[Row]:
    admin, county_admin = bench_users()
    province = Area.objects.get(code=bounds(PROVINCE_CODE)[0])
    county = Area.objects.filter(level=AreaLevel.COUNTY, code__range=province.subtree_bounds).order_by("code")[0]
    rows = [
        Row(
            "generate trainings, registrations, sign-ins (COPY)",
            f"{plan.events:,} events, {plan.attendances:,} sign-ins",
            rate=(plan.events + plan.attendances) / seconds,
            note=f"{seconds:.0f} s with the figures' recompute, {'generated now' if generated else 'loaded earlier'}",
        )
    ]
    for user, area, target in ((county_admin, county, "200 ms"), (admin, province, "1 s")):
        client = Client()
        client.force_login(user)
        low, high = area.subtree_bounds
        params = {"area": area.code, "year": YEAR}
        stored = floor([(sql, [YEAR, low, high]) for sql in (FIGURES_FLOOR_SQL, KIND_FLOOR_SQL, TRAINER_FLOOR_SQL)])
        live = timed(floor([(LIVE_SQL, [low, high, date(YEAR, 1, 1), date(YEAR + 1, 1, 1)])]))
        sign_ins = Attendance.objects.filter(area__code__range=(low, high)).count()
        scope = "county" if area.level == AreaLevel.COUNTY else "province"
        note = f"target p95 < {target}; live trainee counts from the sign-ins (raw SQL): {live * 1000:.0f} ms"
        for label, url in (("statistics page", "/training/statistics/"), ("API", "/api/v1/reports/training/")):
            rows.append(
                compare(
                    f"training {label} ({scope})",
                    f"{sign_ins:,} sign-ins",
                    [(page(client, url, params), stored)] * (repeat + WARMUP),
                    note=note,
                )
            )
    return rows


__all__ = ["TrainingPlan", "ensure_training", "measure_training", "remove_training"]
