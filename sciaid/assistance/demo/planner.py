"""The demo demands' journeys, planned step by step as the services would have left them, then bulk-inserted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from sciaid.accounts.models import RoleGrant, User
from sciaid.assistance.choices import AssignmentStatus, DemandStatus, ServiceMode, SlaStage, Urgency
from sciaid.assistance.demo.words import (
    CALLBACK_ANSWERS,
    COMMENTS,
    EXPERT_ADVICE,
    EXPERT_QUESTIONS,
    INVALID_NOTES,
    NOT_TECHNICAL,
    PERSONA_TEMPLATES,
    REQUESTER_ANSWERS,
    TEMPLATES,
)
from sciaid.assistance.models import JUDGEMENT_CRITERIA, Assignment, Demand, Message
from sciaid.assistance.services import due, rebuild_records
from sciaid.core import audit
from sciaid.core.calendar import WorkCalendar
from sciaid.core.names import person_name
from sciaid.core.roles import Role
from sciaid.core.text import joined_tokens
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

YEAR = 2020
SHOUXIAN = "340422"
FENGTAI = "340421"
YAOCI = "340422105201"
OFFICERS_PER_TOWNSHIP = 2
#: How many demands end in each state: 2020's history first, then the open desk of the last days.
HISTORY = {"rated": 150, "desk_closed": 12, "auto_closed": 16, "merged": 8, "rejected": 8}
OPEN = {
    DemandStatus.SUBMITTED: 18,
    DemandStatus.TRIAGED: 8,
    DemandStatus.DECLINED: 4,
    DemandStatus.ASSIGNED: 14,
    DemandStatus.ACCEPTED: 10,
    DemandStatus.IN_SERVICE: 14,
    DemandStatus.RESOLVED: 10,
}
FENGTAI_SHARE = 0.07


@dataclass
class Journey:
    """One demand on its way: the demand row, its assignments and messages, and the clock it is on."""

    demand: Demand
    assignments: list[Assignment] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


class DemandPlanner:
    def __init__(self, rng, admin, areas, users, save) -> None:
        self.rng, self.admin, self.areas, self.users, self.save = rng, admin, areas, users, save
        self.now = timezone.now().replace(microsecond=0)
        self.calendar = WorkCalendar(date(YEAR, 1, 1), timezone.localdate(self.now))
        self.step = settings.ASSISTANCE_ESCALATION_STEP_HOURS
        self.specialties = {s.code: s for s in Specialty.objects.all()}
        self.villages = sorted((a for a in areas.values() if a.level == AreaLevel.VILLAGE), key=lambda a: a.code)
        self.households: dict[int, list[Household]] = {}
        for household in Household.objects.filter(village__in=self.villages).order_by("number"):
            self.households.setdefault(household.village_id, []).append(household)
        self.used_households: set[int] = set()
        self.experts = list(Expert.objects.select_related("user", "home_area").order_by("pk"))
        self.expert_specialties: dict[int, set[str]] = {}
        for expert_id, code in Expert.specialties.through.objects.values_list("expert_id", "specialty__code"):
            self.expert_specialties.setdefault(expert_id, set()).add(code)
        self.paired: dict[int, list[Expert]] = {}
        by_id = {e.pk: e for e in self.experts}
        for expert_id, village_id in Pairing.objects.filter(year=YEAR).values_list("expert_id", "village_id"):
            self.paired.setdefault(village_id, []).append(by_id[expert_id])
        self.counts: Counter[str] = Counter()
        self.journeys: list[Journey] = []

    # --- people -----------------------------------------------------------------------------------------------

    def create_officers(self) -> dict[int, list[User]]:
        """Info officers for each township's villages (no usable password: they set theirs by the reset link); the
        personas keep their own villages. Returns the officers of each village."""
        officers: dict[int, list[User]] = {}
        for login in ("info_officer", "info_officer_b"):
            user = self.users.get(login)
            if user is not None:
                for grant in RoleGrant.objects.filter(user=user, role=Role.INFO_OFFICER).select_related("area"):
                    officers.setdefault(grant.area_id, []).append(user)
        townships = sorted((a for a in self.areas.values() if a.level == AreaLevel.TOWNSHIP), key=lambda a: a.code)
        password = make_password(None)
        plans: list[tuple[User, list[Area]]] = []
        for township in townships:
            villages = [v for v in self.villages if v.parent_id == township.pk and v.pk not in officers]
            for index in range(min(OFFICERS_PER_TOWNSHIP, len(villages))):
                own = villages[index::OFFICERS_PER_TOWNSHIP]
                user = User(
                    username=f"officer{len(plans) + 1:03d}",
                    password=password,
                    full_name=person_name(self.rng, female=self.rng.random() < 0.4),
                    organisation=f"{township.name}{own[0].name}村民委员会",
                )
                plans.append((user, own))
        User.objects.bulk_create([user for user, _ in plans])
        grants = [
            RoleGrant(user=user, role=Role.INFO_OFFICER, area=village, created_by=self.admin, updated_by=self.admin)
            for user, own in plans
            for village in own
        ]
        self.save(RoleGrant, grants, "info_officer_grants")
        for user, own in plans:
            for village in own:
                officers.setdefault(village.pk, []).append(user)
        self.counts["info_officers"] = len(plans)
        return officers

    def pick_expert(self, village: Area, specialty: str, avoid: Expert | None = None) -> Expert:
        """An expert who can reach the village: its paired commissioner when they know the field (or half the time
        anyway), else one of its county, city or province sharing the specialty, else any of them."""
        ancestors = set(village.ancestor_codes())
        reach = [e for e in self.experts if e.home_area.code in ancestors and e != avoid]
        paired = [e for e in self.paired.get(village.pk, []) if e != avoid]
        knowing = [e for e in paired if specialty in self.expert_specialties.get(e.pk, set())]
        if knowing or (paired and self.rng.random() < 0.5):
            return self.rng.choice(knowing or paired)
        matching = [e for e in reach if specialty in self.expert_specialties.get(e.pk, set())]
        return self.rng.choice(matching or reach or paired)

    # --- time -------------------------------------------------------------------------------------------------

    def after(self, moment: datetime, low_hours: float, high_hours: float) -> datetime:
        return moment + timedelta(seconds=round(self.rng.uniform(low_hours, high_hours) * 3600))

    def workday_moment(self, day: date) -> datetime:
        """A moment within office hours of a working day on or after `day`."""
        while not self.calendar.is_workday(day):
            day += timedelta(days=1)
        start = timezone.make_aware(datetime(day.year, day.month, day.day, 8))
        return start + timedelta(minutes=self.rng.randrange(9 * 60))

    def level(self, due_at: datetime | None, moment: datetime) -> int:
        """The escalation level the SLA sweep had raised a demand to by `moment` (0 while it is on time)."""
        if due_at is None or moment <= due_at:
            return 0
        late = self.calendar.work_hours_between(due_at, moment)
        return min(3, 1 + int(late // self.step))

    # --- demands ----------------------------------------------------------------------------------------------

    def build(self) -> Counter:
        officers = self.create_officers()
        self.officers = officers
        self.desk = self.users.get("triage") or self.admin
        shouxian = [v for v in self.villages if v.code.startswith(SHOUXIAN) and v.pk in officers]
        fengtai = [v for v in self.villages if v.code.startswith(FENGTAI) and v.pk in officers]
        self.persona_demands()
        for outcome, count in HISTORY.items():
            for _ in range(count):
                village = self.rng.choice(fengtai if fengtai and self.rng.random() < FENGTAI_SHARE else shouxian)
                self.history(outcome, village)
        for status, count in OPEN.items():
            for _ in range(count):
                village = self.rng.choice(fengtai if fengtai and self.rng.random() < FENGTAI_SHARE else shouxian)
                self.open_demand(status, village, self.rng.choice(officers[village.pk]))
        self.write()
        return self.counts

    def persona_demands(self) -> None:
        """The personas' work: in 姚祠村, a demand to triage, one waiting for the demo expert, one to rate; the
        farmer's own history and an open demand in service.

        The demo expert is 姚祠村's commissioner and a river-crab specialist, so the recommendation puts them first
        for the village's demand waiting for triage; their open workload stays at the two demands of their own
        journey (one to accept, one in service), and the farmer's open demand is served by another expert, so the
        workload does not outweigh the pairing."""
        yaoci = self.areas.get(YAOCI)
        officer, expert_user, farmer = (self.users.get(k) for k in ("info_officer", "expert", "farmer"))
        if yaoci is None or officer is None:
            return
        expert = next((e for e in self.experts if expert_user and e.user_id == expert_user.pk), None)
        self.open_demand(DemandStatus.SUBMITTED, yaoci, officer, templates=PERSONA_TEMPLATES)
        for status in (DemandStatus.ASSIGNED, DemandStatus.RESOLVED, DemandStatus.IN_SERVICE):
            self.open_demand(status, yaoci, officer, expert=expert, templates=PERSONA_TEMPLATES)
        household = getattr(farmer, "household", None)
        if household is None:
            return
        self.used_households.add(household.pk)
        start = date(YEAR, 3, 2)
        for _ in range(3):
            journey = self.history("rated", yaoci, requester=farmer, household=household, start=start, expert=expert)
            start = timezone.localdate(journey.demand.closed_at) + timedelta(days=self.rng.randint(20, 60))
        self.open_demand(DemandStatus.ACCEPTED, yaoci, farmer, household=household, avoid=expert)

    def new_demand(self, village, requester, submitted_at, *, household=None, templates=TEMPLATES) -> Journey:
        """A submitted demand, as `submit_demand` records it."""
        rng = self.rng
        code, title, description, _ = rng.choice(templates)
        description = description.format(n=rng.choice((3, 5, 8, 10, 12, 15, 20, 30, 50, 100)))
        is_farmer = requester.household_id is not None and household is not None
        if household is None and rng.random() < 0.6:
            free = [h for h in self.households.get(village.pk, []) if h.pk not in self.used_households]
            household = rng.choice(free) if free else None
        if household is not None:
            self.used_households.add(household.pk)
        demand = Demand(
            title=title,
            description=description,
            specialty=self.specialties[code],
            village=village,
            household=household,
            requester=requester,
            requester_role=Role.FARMER if is_farmer else Role.INFO_OFFICER,
            farmer_name=household.head_name if household else person_name(rng, rng.random() < 0.3),
            farmer_phone=household.phone if household else "",
            urgency=Urgency.URGENT if rng.random() < 0.2 else Urgency.NORMAL,
            preferred_mode=ServiceMode.ON_SITE if rng.random() < 0.35 else ServiceMode.ONLINE,
            status=DemandStatus.SUBMITTED,
            submitted_at=submitted_at,
            due_at=due(SlaStage.TRIAGE, submitted_at, self.calendar),
            created_by=requester,
            updated_by=requester,
        )
        demand.search_tokens = joined_tokens(f"{demand.title} {demand.description}")
        journey = Journey(demand)
        self.journeys.append(journey)
        return journey

    def triage(self, journey: Journey, at: datetime) -> None:
        journey.demand.status, journey.demand.triaged_at = DemandStatus.TRIAGED, at

    def assign(self, journey: Journey, at: datetime, expert: Expert) -> Assignment:
        demand = journey.demand
        demand.status = DemandStatus.ASSIGNED
        demand.triaged_at = demand.triaged_at or at
        demand.assigned_at, demand.due_at, demand.escalation_level = at, due(SlaStage.ACCEPT, at, self.calendar), 0
        assignment = Assignment(
            expert=expert, assigned_by=self.desk, assigned_at=at, created_by=self.desk, updated_by=self.desk
        )
        journey.assignments.append(assignment)
        return assignment

    def answer(self, assignment: Assignment, at: datetime, status: str, reason: str = "") -> None:
        assignment.status, assignment.decline_reason, assignment.responded_at = status, reason, at
        assignment.response_seconds = max(int((at - assignment.assigned_at).total_seconds()), 0)

    def accept(self, journey: Journey, at: datetime) -> None:
        demand = journey.demand
        self.answer(journey.assignments[-1], at, AssignmentStatus.ACCEPTED)
        demand.status, demand.accepted_at = DemandStatus.ACCEPTED, at
        demand.due_at, demand.escalation_level = due(SlaStage.RESOLVE, at, self.calendar), 0

    def decline(self, journey: Journey, at: datetime) -> None:
        demand = journey.demand
        self.answer(journey.assignments[-1], at, AssignmentStatus.DECLINED, "该问题不在我的专业范围，请改派其他专家。")
        demand.status, demand.due_at, demand.escalation_level = (
            DemandStatus.DECLINED,
            due(SlaStage.TRIAGE, at, self.calendar),
            0,
        )

    def message(self, journey: Journey, author: User, text: str, at: datetime, asks: bool = False) -> None:
        journey.messages.append(
            Message(author=author, text=text, asks_requester=asks, created_at=at, created_by=author, updated_by=author)
        )

    def serve(self, journey: Journey, at: datetime) -> datetime:
        """The expert's first reply puts the demand in service; sometimes the farmer is asked and answers."""
        demand, expert_user = journey.demand, journey.assignments[-1].expert.user
        demand.status = DemandStatus.IN_SERVICE
        if self.rng.random() < 0.5:
            self.message(journey, expert_user, self.rng.choice(EXPERT_ADVICE), at)
            return at
        index = self.rng.randrange(len(EXPERT_QUESTIONS))
        self.message(journey, expert_user, EXPERT_QUESTIONS[index], at, asks=True)
        answered = self.after(at, 1, 20)
        self.message(journey, demand.requester, REQUESTER_ANSWERS[index], answered)
        waited = max(self.calendar.work_hours_between(at, answered), 0.0)
        demand.paused_hours += waited
        demand.due_at = self.calendar.add_work_hours(demand.due_at, waited)
        return answered

    def resolve(self, journey: Journey, at: datetime) -> None:
        demand = journey.demand
        summary = next(t[3] for t in TEMPLATES if t[1] == demand.title)
        demand.escalation_level = max(demand.escalation_level, self.level(demand.due_at, at))
        demand.status, demand.solution_summary = DemandStatus.RESOLVED, summary
        demand.resolved_by, demand.resolved_at, demand.due_at, demand.paused_since = (
            journey.assignments[-1].expert,
            at,
            None,
            None,
        )

    def route(self, journey: Journey, start: datetime, expert: Expert | None = None) -> datetime:
        """Triage, assign (sometimes declined once and assigned again) and accept; returns the acceptance time."""
        rng, demand = self.rng, journey.demand
        at = self.after(start, 0.5, 30 if rng.random() < 0.1 else 8)
        if rng.random() < 0.3:
            self.triage(journey, at)
            at = self.after(at, 0.1, 3)
        code = demand.specialty.code
        if expert is None and rng.random() < 0.1:
            first = self.pick_expert(demand.village, code)
            self.assign(journey, at, first)
            at = self.after(at, 1, 20)
            self.decline(journey, at)
            at = self.after(at, 0.5, 6)
            expert = self.pick_expert(demand.village, code, avoid=first)
        self.assign(journey, at, expert or self.pick_expert(demand.village, code))
        at = self.after(at, 0.3, 60 if rng.random() < 0.1 else 24)
        self.accept(journey, at)
        return at

    def history(self, outcome, village, *, requester=None, household=None, start=None, expert=None) -> Journey:
        """A 2020 demand that ended as `outcome`: rated, closed by the desk or the sweep, merged or rejected."""
        rng = self.rng
        requester = requester or rng.choice(self.officers[village.pk])
        submitted = self.workday_moment(start or date(YEAR, 1, 2) + timedelta(days=rng.randrange(350)))
        if outcome == "rejected":
            title, description, reason = rng.choice(NOT_TECHNICAL)
            journey = self.new_demand(village, requester, submitted, household=household)
            demand = journey.demand
            demand.title, demand.description, demand.specialty = title, description, self.specialties["other"]
            demand.search_tokens = joined_tokens(f"{title} {description}")
            at = self.after(submitted, 1, 30)
            demand.status, demand.reject_reason = DemandStatus.REJECTED, reason
            demand.escalation_level, demand.due_at = self.level(demand.due_at, at), None
            return journey
        if outcome == "merged":
            original = self.history("rated", village)
            first = original.demand
            journey = self.new_demand(village, requester, self.after(first.submitted_at, 0.5, 4))
            demand = journey.demand
            demand.title, demand.specialty, demand.household = first.title, first.specialty, first.household
            demand.farmer_name, demand.farmer_phone = first.farmer_name, first.farmer_phone
            demand.search_tokens = joined_tokens(f"{demand.title} {demand.description}")
            demand.possible_duplicate_of = first if first.household_id else None
            demand.status, demand.merged_into, demand.due_at = DemandStatus.MERGED, first, None
            return journey
        journey = self.new_demand(village, requester, submitted, household=household)
        demand = journey.demand
        at = self.route(journey, submitted, expert)
        if rng.random() < 0.6:
            at = self.serve(journey, self.after(at, 0.2, 8))
        self.resolve(journey, self.after(at, 3, 150))
        if outcome == "rated":
            demand.rating = rng.choices((5, 4, 3, 2, 1), (55, 28, 10, 4, 3))[0]
            demand.rating_comment = rng.choice(COMMENTS)
            demand.rated_at = demand.closed_at = self.after(demand.resolved_at, 0.5, 100)
            for assignment in journey.assignments:
                if assignment.status == AssignmentStatus.ACCEPTED:
                    assignment.rating = demand.rating
        elif outcome == "desk_closed":
            demand.closed_at = self.after(demand.resolved_at, 30, 150)
        else:
            auto_close = settings.ASSISTANCE_AUTO_CLOSE_DAYS * 24
            demand.closed_at = self.after(demand.resolved_at, auto_close, auto_close + 1)
        demand.status = DemandStatus.CLOSED
        if rng.random() < 0.6:
            self.call_back(journey, self.after(demand.resolved_at, 20, 200))
        if rng.random() < 0.7:
            self.judge(journey, self.after(max(demand.closed_at, demand.called_at or demand.closed_at), 24, 300))
        return journey

    def call_back(self, journey: Journey, at: datetime) -> None:
        demand = journey.demand
        satisfied = demand.rating is None or demand.rating >= 3
        if self.rng.random() < 0.1:
            satisfied = not satisfied
        caller = self.rng.choice([self.desk, *self.officers.get(demand.village_id, [])])
        demand.called_at, demand.called_by = at, caller
        demand.callback_answer, demand.callback_satisfied = self.rng.choice(CALLBACK_ANSWERS[satisfied]), satisfied

    def judge(self, journey: Journey, at: datetime) -> None:
        """Valid when all five criteria hold; an invalid service misses one or two of them."""
        demand = journey.demand
        valid = self.rng.random() < 0.8 and demand.callback_satisfied is not False
        values = dict.fromkeys(JUDGEMENT_CRITERIA, True)
        if not valid:
            for name in self.rng.sample(JUDGEMENT_CRITERIA, self.rng.randint(1, 2)):
                values[name] = False
            demand.judgement_note = self.rng.choice(INVALID_NOTES)
        for name, value in values.items():
            setattr(demand, name, value)
        county = "county_admin" if demand.village.code.startswith(SHOUXIAN) else "county_admin_b"
        demand.valid, demand.judged_at, demand.judged_by = valid, at, self.users.get(county) or self.admin

    def open_demand(
        self, status, village, requester, *, household=None, expert=None, avoid=None, templates=TEMPLATES
    ) -> None:
        """A demand of the last working days now in `status`, served by `expert` (or one picked who is not
        `avoid`); older ones may be overdue (escalated as the sweep would have done by now)."""
        rng = self.rng
        age_hours = rng.uniform(2, 60) if rng.random() < 0.7 else rng.uniform(80, 300)
        if status == DemandStatus.RESOLVED:
            age_hours = rng.uniform(30, 120)
        submitted = self.now - timedelta(seconds=round(age_hours * 3600))
        journey = self.new_demand(village, requester, submitted, household=household, templates=templates)
        demand = journey.demand
        span = (self.now - submitted).total_seconds() / 3600
        # Each step happens within the time left, so nothing lies in the future.
        marks = sorted(submitted + timedelta(hours=rng.uniform(0, span)) for _ in range(5))
        if status == DemandStatus.TRIAGED:
            self.triage(journey, marks[0])
        elif status == DemandStatus.DECLINED:
            self.assign(journey, marks[0], self.pick_expert(village, demand.specialty.code))
            self.decline(journey, marks[1])
        elif status != DemandStatus.SUBMITTED:
            self.assign(journey, marks[0], expert or self.pick_expert(village, demand.specialty.code, avoid))
            if status != DemandStatus.ASSIGNED:
                self.accept(journey, marks[1])
            if status in (DemandStatus.IN_SERVICE, DemandStatus.RESOLVED):
                expert_user = journey.assignments[-1].expert.user
                asks = status == DemandStatus.IN_SERVICE and rng.random() < 0.3
                demand.status = DemandStatus.IN_SERVICE
                self.message(
                    journey, expert_user, rng.choice(EXPERT_QUESTIONS if asks else EXPERT_ADVICE), marks[2], asks
                )
                demand.paused_since = marks[2] if asks else None
            if status == DemandStatus.RESOLVED:
                self.resolve(journey, marks[3])
                return
        if demand.due_at is not None:
            demand.escalation_level = self.level(demand.due_at, demand.paused_since or self.now)

    # --- writing ----------------------------------------------------------------------------------------------

    def write(self) -> None:
        """Insert the demands (duplicates after their originals), their assignments and messages, and audit them."""
        journeys = sorted(self.journeys, key=lambda j: j.demand.merged_into is not None)
        demands = [j.demand for j in journeys]
        for demand in demands:
            demand.created_at, demand.updated_at = demand.submitted_at, last_change(demand)
        originals = [d for d in demands if d.merged_into is None]
        insert(Demand, originals, ("submitted_at", "created_at", "updated_at"))
        insert(Demand, demands[len(originals) :], ("submitted_at", "created_at", "updated_at"))
        assignments = [a for j in journeys for a in j.assignments]
        messages = [m for j in journeys for m in j.messages]
        for journey in journeys:
            for row in (*journey.assignments, *journey.messages):
                row.demand = journey.demand
        for assignment in assignments:
            assignment.created_at = assignment.assigned_at
            assignment.updated_at = assignment.responded_at or assignment.assigned_at
        for message in messages:
            message.updated_at = message.created_at
        insert(Assignment, assignments, ("assigned_at", "created_at", "updated_at"))
        insert(Message, messages, ("created_at", "updated_at"))
        rebuild_records()  # the experts' service records, as the services would have kept them
        for objs, key in ((demands, "demands"), (assignments, "assignments"), (messages, "demand_messages")):
            audit.record_created(objs, note="seed_demo")
            self.counts[key] += len(objs)
        self.counts.update(f"demands_{d.status}" for d in demands)


def last_change(demand: Demand) -> datetime:
    moments = (
        demand.submitted_at,
        demand.triaged_at,
        demand.assigned_at,
        demand.accepted_at,
        demand.resolved_at,
        demand.closed_at,
        demand.called_at,
        demand.judged_at,
    )
    return max(m for m in moments if m is not None)


def insert(model, objs: list, stamps: tuple[str, ...]) -> None:
    """Bulk insert rows whose times are the journey's: the insert stamps `auto_now(_add)` fields with the present,
    so the planned times are written back in one bulk update."""
    planned = [tuple(getattr(obj, name) for name in stamps) for obj in objs]
    model.objects.bulk_create(objs, batch_size=500)
    for obj, values in zip(objs, planned, strict=True):
        for name, value in zip(stamps, values, strict=True):
            setattr(obj, name, value)
    model.objects.bulk_update(objs, list(stamps), batch_size=500)
