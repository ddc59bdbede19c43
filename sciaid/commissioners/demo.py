"""Demo commissioners' year for 寿县 (and a little of 凤台县), modelled on the Shouxian report's 2020 figures.

The experts demo has already made 59 寿县 commissioners paired with all 72 poor villages (and 4 for 凤台县). This adds
the selection batches they came from (and an open batch for next year), two service teams, one signed agreement
per pairing and team village, and the year's service logs: in 寿县 exactly the report's 293 trainings with 6,302
trainees, 110 new varieties, 155 new techniques and 725 poor households helped, all confirmed; a few other logs
wait for confirmation or were returned; a handful of commissioners stopped visiting in the summer, so the alerts
page has something to show. Everything is drawn from the demo's `random.Random`, in a fixed order.

After them, the county's year-end (`build_commissioner_year`): the fund rule posted to the ledger
(allocation/demo.py), the appraisal published (appraisals/demo.py) and the workstations in every state
(workstations/demo.py), all through the services acting as the demo personas.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from sciaid.accounts.models import User
from sciaid.commissioners.agreements.choices import AgreementStatus
from sciaid.commissioners.agreements.models import Agreement
from sciaid.commissioners.allocation.demo import post_allocation_rule
from sciaid.commissioners.appraisals.demo import publish_appraisal
from sciaid.commissioners.logs.choices import LogStatus, ServiceKind
from sciaid.commissioners.logs.figures import repair_figures
from sciaid.commissioners.logs.models import ServiceLog
from sciaid.commissioners.selection.choices import BatchStatus, CandidateSource, CandidateStatus
from sciaid.commissioners.selection.models import Batch, Candidate
from sciaid.commissioners.statistics.services import progress
from sciaid.commissioners.teams.models import Team, TeamMember
from sciaid.commissioners.workstations.demo import build_workstations
from sciaid.experts.demo import SHOUXIAN, YEAR
from sciaid.experts.models import Expert, Pairing
from sciaid.funds.models import FundSource
from sciaid.regions.choices import HouseholdStatus
from sciaid.regions.models import Area, Household

#: The Shouxian report's figures for the year (the garbled "65,438" and "55 … /kloc-0" read as 110 and 155).
REPORT = {"trainings": 293, "trainees": 6302, "varieties": 110, "techniques": 155, "households": 725}
#: Commissioners whose last confirmed visit is in the summer (the report's complaint: too little time in villages).
IDLE_COMMISSIONERS = 5
TEAM_SIZE = 4
TEAMS = ("稻渔综合种养服务团", "设施蔬菜服务团")
OTHER_KINDS = (
    ServiceKind.GUIDANCE,
    ServiceKind.GUIDANCE,
    ServiceKind.CONSULTATION,
    ServiceKind.VARIETY,
    ServiceKind.TECHNIQUE,
    ServiceKind.DEMONSTRATION,
    ServiceKind.ENTREPRENEURSHIP,
)
SUMMARIES = {
    ServiceKind.TRAINING: (
        "稻虾共作技术培训",
        "设施蔬菜栽培技术培训",
        "畜禽养殖防疫培训",
        "河蟹生态养殖培训",
        "果树修剪培训",
    ),
    ServiceKind.GUIDANCE: ("田间地头指导病虫害防治", "蟹塘水质调控现场指导", "大棚温湿度管理指导", "圈舍消毒现场指导"),
    ServiceKind.CONSULTATION: ("电话解答农户种植问题", "到户解答养殖疑问", "集中答疑会"),
    ServiceKind.VARIETY: ("推广优质稻新品种", "引进高产小麦品种", "示范推广新品种蔬菜"),
    ServiceKind.TECHNIQUE: ("引进测土配方施肥技术", "推广绿色防控技术", "介绍秸秆还田技术"),
    ServiceKind.DEMONSTRATION: ("建立稻虾共作示范田", "建设蔬菜标准化示范棚", "开展机插秧现场示范"),
    ServiceKind.ENTREPRENEURSHIP: ("辅导致富带头人制定产业计划", "帮助合作社对接销售渠道", "指导致富带头人网店运营"),
}
VARIETIES = (
    "荃优822",
    "徽两优898",
    "宁麦13",
    "皖麦52",
    "秋乐368",
    "黄金梨",
    "红阳猕猴桃",
    "豫艺糯玉米",
    "湘研15号辣椒",
)
TECHNIQUES = ("测土配方施肥", "稻虾共作", "绿色防控", "秸秆还田", "机插秧", "水肥一体化", "蟹塘种草", "林下养鸡")
DUTIES = "每月进村服务不少于两次，开展实用技术培训，推广新品种新技术，帮扶贫困户发展产业。"


def build_commissioners(
    rng: random.Random,
    admin: User,
    areas: dict[str, Area],
    users: dict[str, User],
    save: Callable[[type, list, str], None],
) -> Counter:
    """Create the demo's batches, candidates, teams, agreements and service logs; returns what was made."""
    return CommissionerPlanner(rng, admin, users, save).build()


def build_commissioner_year(rng: random.Random, admin: User, areas: dict[str, Area], users: dict[str, User]) -> Counter:
    """Post the allocation rule, publish the appraisal and file the workstations of 寿县 for the demo's year."""
    county, county_admin = areas[SHOUXIAN], users["county_admin"]
    source = FundSource.objects.get(code="province-transfer")
    return Counter(
        commissioner_allocations=post_allocation_rule(admin, county_admin, county, source),
        appraisals=publish_appraisal(county_admin, county),
        workstations=build_workstations(rng, admin, areas, users, county, source),
    )


def aware(day: date, hour: int = 17) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def spread(rng: random.Random, total: int, parts: int, low: int = 0) -> list[int]:
    """`total` split into `parts` random non-negative integers (each at least `low`) that add up exactly."""
    base = [low] * parts
    for _ in range(total - low * parts):
        base[rng.randrange(parts)] += 1
    return base


class CommissionerPlanner:
    def __init__(self, rng, admin, users, save) -> None:
        self.rng, self.admin, self.users, self.save = rng, admin, users, save
        self.pairings = list(
            Pairing.objects.filter(year=YEAR).select_related("expert", "village").order_by("village__code", "pk")
        )
        self.counts: Counter = Counter()

    def build(self) -> Counter:
        self.batches()
        teams = self.teams()
        agreements = self.agreements(teams)
        self.logs(teams, agreements)
        self.fulfil(agreements)
        return self.counts

    def stamp(self, objs: list) -> list:
        for obj in objs:
            obj.created_by = obj.updated_by = self.admin
        return objs

    # --- selection ------------------------------------------------------------------------------------------------

    def batches(self) -> None:
        by_county: dict[str, list[Expert]] = defaultdict(list)
        for pairing in self.pairings:
            county = pairing.village.code[:6].ljust(12, "0")
            if pairing.expert not in by_county[county]:
                by_county[county].append(pairing.expert)
        counties = {a.code: a for a in Area.objects.filter(code__in=by_county)}
        batches = [
            Batch(
                county=counties[code],
                year=YEAR,
                title=f"{YEAR}年度{counties[code].name}科技特派员选派",
                closes_on=date(YEAR, 3, 15),
                status=BatchStatus.CLOSED,
                notes="省、市、县三级科技特派员结对帮扶贫困村。",
            )
            for code in sorted(by_county)
        ]
        shouxian = counties[SHOUXIAN]
        batches.append(
            Batch(
                county=shouxian,
                year=YEAR + 1,
                title=f"{YEAR + 1}年度{shouxian.name}科技特派员选派",
                closes_on=date(YEAR + 1, 3, 31),
                notes="继续选派科技特派员，实现贫困村全覆盖。",
            )
        )
        self.save(Batch, self.stamp(batches), "commissioner_batches")
        decided = aware(date(YEAR, 3, 20))
        candidates = []
        for batch in batches[:-1]:
            for expert in by_county[batch.county.code]:
                nominated = self.rng.random() < 0.7
                candidates.append(
                    Candidate(
                        batch=batch,
                        expert=expert,
                        level=expert.level,
                        source=CandidateSource.NOMINATED if nominated else CandidateSource.APPLIED,
                        nominated_by=expert.organisation if nominated else "",
                        status=CandidateStatus.APPROVED,
                        decided_at=decided,
                    )
                )
        others = list(Expert.objects.filter(is_commissioner=False, home_area=shouxian).order_by("pk"))
        for expert in others[:2]:
            candidates.append(
                Candidate(
                    batch=batches[0] if batches[0].county == shouxian else batches[1],
                    expert=expert,
                    level=expert.level,
                    statement="愿意到贫困村开展科技服务。",
                    status=CandidateStatus.REJECTED,
                    reason="专业与本县贫困村产业需求不符。",
                    decided_at=decided,
                )
            )
        for expert in others[2:5]:
            candidates.append(
                Candidate(batch=batches[-1], expert=expert, level=expert.level, statement="申请结对帮扶贫困村。")
            )
        self.save(Candidate, self.stamp(candidates), "commissioner_candidates")

    # --- teams ------------------------------------------------------------------------------------------------------

    def teams(self) -> list[Team]:
        shouxian = [p for p in self.pairings if p.village.code.startswith(SHOUXIAN[:6])]
        experts = list(dict.fromkeys(p.expert for p in shouxian))[1 : 1 + TEAM_SIZE * len(TEAMS)]
        county = Area.objects.get(code=SHOUXIAN)
        teams, members, villages = [], [], []
        for index, name in enumerate(TEAMS):
            group = experts[index * TEAM_SIZE : (index + 1) * TEAM_SIZE]
            team = Team(county=county, year=YEAR, name=name, leader=group[0])
            teams.append(team)
            members.append(group)
            villages.append(sorted({p.village for p in shouxian if p.expert in group}, key=lambda v: v.code)[:2])
        self.save(Team, self.stamp(teams), "commissioner_teams")
        TeamMember.objects.bulk_create(
            [
                TeamMember(team=team, expert=expert)
                for team, group in zip(teams, members, strict=True)
                for expert in group
            ]
        )
        Team.villages.through.objects.bulk_create(
            [
                Team.villages.through(team_id=team.pk, area_id=village.pk)
                for team, chosen in zip(teams, villages, strict=True)
                for village in chosen
            ]
        )
        for team, group, chosen in zip(teams, members, villages, strict=True):
            team.group, team.chosen = group, chosen
        return teams

    # --- agreements ---------------------------------------------------------------------------------------------------

    def agreement(self, village: Area, **party) -> Agreement:
        rng = self.rng
        return Agreement(
            village=village,
            year=YEAR,
            signed_on=date(YEAR, 3, rng.randint(21, 31)),
            starts_on=date(YEAR, 4, 1),
            ends_on=date(YEAR, 12, 31),
            duties=DUTIES,
            target_trainings=rng.choice((3, 4, 4, 5)),
            target_trainees=rng.choice((60, 80, 100)),
            target_varieties=rng.choice((1, 1, 2)),
            target_techniques=rng.choice((1, 2, 2, 3)),
            target_households=rng.choice((8, 10, 12)),
            status=AgreementStatus.SIGNED,
            **party,
        )

    def agreements(self, teams: list[Team]) -> dict:
        made = {}
        for pairing in self.pairings:
            made[pairing.expert_id, pairing.village_id] = self.agreement(
                pairing.village, pairing=pairing, expert=pairing.expert
            )
        for team in teams:
            for village in team.chosen:
                made[("team", team.pk), village.pk] = self.agreement(village, team=team)
        self.save(Agreement, self.stamp(list(made.values())), "commissioner_agreements")
        return made

    # --- service logs ---------------------------------------------------------------------------------------------

    def logs(self, teams: list[Team], agreements: dict) -> None:
        rng = self.rng
        shouxian = [p for p in self.pairings if p.village.code.startswith(SHOUXIAN[:6])]
        others = [p for p in self.pairings if p not in shouxian]
        idle = {p.expert_id for p in rng.sample(shouxian, IDLE_COMMISSIONERS)}
        confirmer = self.users.get("county_admin") or self.admin
        planned: list[ServiceLog] = []

        def add(pairing_or_team, village: Area, expert: Expert, kind: str, day: date, **fields) -> ServiceLog:
            key = (
                (("team", pairing_or_team.pk), village.pk)
                if isinstance(pairing_or_team, Team)
                else (expert.pk, village.pk)
            )
            log = ServiceLog(
                expert=expert,
                team=pairing_or_team if isinstance(pairing_or_team, Team) else None,
                agreement=agreements.get(key),
                village=village,
                kind=kind,
                served_on=day,
                summary=rng.choice(SUMMARIES[kind]),
                status=fields.pop("status", LogStatus.CONFIRMED),
                **fields,
            )
            if log.status == LogStatus.CONFIRMED:
                log.confirmed_by, log.confirmed_at = confirmer, aware(day + timedelta(days=rng.randint(0, 3)))
            if log.status == LogStatus.RETURNED:
                log.return_note = "请补充现场照片和参训人员名单。"
            if rng.random() < 0.6:
                log.latitude = Decimal("32.5800") + Decimal(rng.randint(-2000, 2000)) / 10000
                log.longitude = Decimal("116.7800") + Decimal(rng.randint(-2000, 2000)) / 10000
            planned.append(log)
            return log

        def day_for(expert_id: int, last: bool = False) -> date:
            if expert_id in idle:
                return date(YEAR, 4, 1) + timedelta(days=rng.randint(0, 110))
            if last:
                return date(YEAR, 12, rng.randint(2, 24))
            return date(YEAR, 4, 1) + timedelta(days=rng.randint(0, 240))

        # 寿县: the report's trainings and trainees, over its 72 pairings; every other service besides.
        trainings = spread(rng, REPORT["trainings"], len(shouxian), low=3)
        trainees = spread(rng, REPORT["trainees"], REPORT["trainings"], low=8)
        training_logs, confirmed = [], []
        for pairing, count in zip(shouxian, trainings, strict=True):
            for _ in range(count):
                log = add(pairing, pairing.village, pairing.expert, ServiceKind.TRAINING, day_for(pairing.expert_id))
                log.participants = trainees[len(training_logs)]
                training_logs.append(log)
            for index in range(rng.choice((1, 2, 2, 3))):
                status = LogStatus.CONFIRMED
                if index and rng.random() < 0.25:
                    status = rng.choice((LogStatus.SUBMITTED, LogStatus.SUBMITTED, LogStatus.RETURNED))
                kind = ServiceKind.CONSULTATION if index == 0 else rng.choice(OTHER_KINDS)
                log = add(
                    pairing,
                    pairing.village,
                    pairing.expert,
                    kind,
                    day_for(pairing.expert_id, last=index == 0),
                    participants=rng.randint(2, 12),
                    status=status,
                )
                if status == LogStatus.CONFIRMED:
                    confirmed.append(log)
        for team in teams:
            for village in team.chosen:
                for _ in range(2):
                    log = add(team, village, rng.choice(team.group), ServiceKind.DEMONSTRATION, day_for(0))
                    log.participants = rng.randint(10, 30)
                    confirmed.append(log)
        confirmed.extend(training_logs)
        self.spread_items(confirmed, "varieties", VARIETIES, REPORT["varieties"])
        self.spread_items(confirmed, "techniques", TECHNIQUES, REPORT["techniques"])
        # 凤台县: a few services per pairing, as a second county to compare with.
        for pairing in others:
            for kind in (ServiceKind.TRAINING, ServiceKind.GUIDANCE, ServiceKind.CONSULTATION):
                add(
                    pairing,
                    pairing.village,
                    pairing.expert,
                    kind,
                    day_for(pairing.expert_id, last=kind == "consultation"),
                    participants=rng.randint(5, 30),
                )
        self.save(ServiceLog, self.stamp(planned), "service_logs")
        self.link_households(confirmed)
        repair_figures()

    def spread_items(self, logs: list[ServiceLog], field: str, names: tuple[str, ...], total: int) -> None:
        """Give `total` introduced items to random confirmed logs (at most 3 each), as lines of text."""
        counts = Counter()
        while sum(counts.values()) < total:
            log = self.rng.choice(logs)
            if counts[id(log)] < 3:
                counts[id(log)] += 1
                setattr(log, field, "\n".join(filter(None, [getattr(log, field), self.rng.choice(names)])))
        for log in logs:
            setattr(log, f"new_{field}", counts[id(log)])

    def link_households(self, confirmed: list[ServiceLog]) -> None:
        """725 poor households of 寿县, each helped by 1–3 confirmed logs of its village (so it counts once)."""
        by_village: dict[int, list[ServiceLog]] = defaultdict(list)
        for log in confirmed:
            if log.village.code.startswith(SHOUXIAN[:6]):
                by_village[log.village_id].append(log)
        poor = list(
            Household.objects.filter(village_id__in=by_village)
            .exclude(status=HouseholdStatus.LIFTED)
            .order_by("number")
            .values_list("pk", "village_id")
        )
        if len(poor) < REPORT["households"]:
            poor = list(
                Household.objects.filter(village_id__in=by_village).order_by("number").values_list("pk", "village_id")
            )
        chosen = self.rng.sample(poor, min(REPORT["households"], len(poor)))
        links = set()
        for household_id, village_id in chosen:
            for log in self.rng.sample(
                by_village[village_id], min(len(by_village[village_id]), self.rng.randint(1, 3))
            ):
                links.add((log.pk, household_id))
        ServiceLog.households.through.objects.bulk_create(
            [
                ServiceLog.households.through(servicelog_id=log, household_id=household)
                for log, household in sorted(links)
            ],
            batch_size=2000,
        )
        self.counts["service_log_households"] += len(links)

    def fulfil(self, agreements: dict) -> None:
        """Agreements whose every target is met by the confirmed logs are marked fulfilled."""
        done = [pk for pk, targets in progress(agreements.values()).items() if all(t.met for t in targets)]
        Agreement.objects.filter(pk__in=done).update(status=AgreementStatus.FULFILLED)
        self.counts["agreements_fulfilled"] = len(done)
