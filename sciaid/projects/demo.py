"""Demo projects for 寿县: the seeds' 2020 transfer-payment demonstration call — four projects sharing ¥298,000,
one of them 寿县联众畜牧养殖有限公司's Hu sheep (湖羊) ecological breeding project with 安徽省农业科学院 — at different
stages, with their reviews, task books, money from the ledger, a random-supervision draw with findings and an open
rectification; plus this year's open call with a declaration under review, so each persona finds work:

    applicant     the Hu sheep project in progress, with a rectification to answer (overdue since October 2020), and
                  this year's call to declare in
    reviewer      a declaration of this year's call to score (and the 2020 inspection they were drawn for)
    county_admin  a final report to accept, a declaration's review to follow, drawing the next inspection

`DemoBuilder` calls `build_projects(self.rng, admin, areas, users, self.save)`. Rows are bulk-inserted with the fields
the services set at each step (sciaid.projects.services), so no notification e-mail goes out while seeding; money goes
through `sciaid.funds.services` like any approval, so the ledger reconciles. The 2020 draw's seed is the first one from
2020 on whose draw picks the two projects the story needs, so "verify" re-runs it to the same result. Every 2020 record
carries its 2020 dates (the draw, the deadlines), whenever the demo is seeded; only this year's call is dated now.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.roles import Role
from sciaid.funds import services as funds
from sciaid.funds.choices import ExpenditureCategory, RecipientKind
from sciaid.funds.models import FundSource
from sciaid.projects.choices import (
    CallKind,
    FindingLevel,
    ProjectStatus,
    RectificationStatus,
    ReviewStatus,
    Verdict,
)
from sciaid.projects.models import (
    BudgetLine,
    Call,
    Criterion,
    Indicator,
    Inspection,
    InspectionItem,
    Milestone,
    Project,
    Rectification,
    Review,
    TeamMember,
)
from sciaid.projects.services import aggregate, draw
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

SHOUXIAN = "340422000000"
YEAR = 2020
#: The deadline the 2020 inspection set for the Hu sheep project's rectification.
RECTIFY_BY = date(2020, 10, 31)
#: Reviewers of the county's pool besides the `reviewer` persona: (username, name, organisation).
REVIEWERS = (
    ("reviewer_ahau", "周立新", "安徽农业大学"),
    ("reviewer_hnias", "陈建华", "淮南市农业科学研究所"),
    ("reviewer_ahstu", "刘晓燕", "安徽科技学院"),
    ("reviewer_aquatic", "孙国平", "淮南市水产技术推广站"),
)


@dataclass(frozen=True)
class Plan:
    """One demo project: who declares what, for how much, and how far it has come."""

    key: str
    title: str
    organisation: str
    industry: str
    partner: str
    amount: Decimal
    status: str
    indicators: tuple[tuple[str, str, int], ...]  # (kind, unit, planned)
    budget: tuple[tuple[str, str, int], ...]  # (category, description, amount)
    leader: str


HU_SHEEP = Plan(
    "hu_sheep",
    "江淮分水岭地区湖羊生态养殖关键技术集成与示范",
    "寿县联众畜牧养殖有限公司",
    "湖羊养殖",
    "安徽省农业科学院",
    Decimal("88000"),
    ProjectStatus.IN_PROGRESS,
    (("households", "户", 120), ("poor_households", "户", 45), ("income", "元/户", 3000), ("trainees", "人次", 300)),
    (("materials", "青贮饲料及秸秆收购", 52000), ("equipment", "青贮打包设备", 20000), ("training", "技术培训", 16000)),
    "王德胜",
)
PLANS = (
    HU_SHEEP,
    Plan(
        "crayfish",
        "稻虾共作绿色高效养殖技术示范",
        "寿县隐贤镇稻虾种养专业合作社",
        "稻虾共作",
        "安徽农业大学",
        Decimal("80000"),
        ProjectStatus.ACCEPTED,
        (("households", "户", 80), ("poor_households", "户", 30), ("area", "亩", 1200), ("techniques", "项", 2)),
        (("materials", "虾苗及生物肥", 50000), ("training", "田间学校培训", 20000), ("consulting", "专家指导", 10000)),
        "李春生",
    ),
    Plan(
        "crab",
        "河蟹生态养殖技术集成示范",
        "寿县一丰生态农业有限公司",
        "河蟹养殖",
        "淮南市水产技术推广站",
        Decimal("70000"),
        ProjectStatus.IN_PROGRESS,
        (("households", "户", 60), ("poor_households", "户", 25), ("area", "亩", 800), ("yield", "%", 15)),
        (("materials", "蟹苗及水草", 45000), ("equipment", "水质检测仪", 15000), ("training", "技术培训", 10000)),
        "赵永红",
    ),
    Plan(
        "vegetables",
        "无公害蔬菜标准化种植技术示范",
        "寿县农门天下蔬菜种植专业合作社",
        "蔬菜种植",
        "安徽省农业科学院园艺研究所",
        Decimal("60000"),
        ProjectStatus.FINAL_REPORT,
        (("households", "户", 50), ("poor_households", "户", 20), ("area", "亩", 300), ("varieties", "个", 3)),
        (("materials", "种苗及有机肥", 35000), ("equipment", "滴灌设施", 15000), ("training", "技术培训", 10000)),
        "钱玉兰",
    ),
)
#: This year's declaration under review, for the reviewer persona.
MUSHROOMS = Plan(
    "mushrooms",
    "林下食用菌生态栽培技术示范",
    "寿县八公山绿源食用菌专业合作社",
    "食用菌栽培",
    "安徽省农业科学院植保所",
    Decimal("90000"),
    ProjectStatus.UNDER_REVIEW,
    (("households", "户", 70), ("poor_households", "户", 30), ("income", "元/户", 2500)),
    (("materials", "菌棒", 60000), ("training", "技术培训", 30000)),
    "吴海燕",
)
#: The default rubric as the county wrote it, in Chinese.
DEMO_RUBRIC = (("技术先进性与创新性", 30), ("带贫益贫成效", 30), ("团队与合作单位实力", 20), ("经费预算合理性", 20))
#: Review totals of the 2020 projects by its three reviewers.
TOTALS = {"hu_sheep": (92, 88, 90), "crayfish": (86, 84, 89), "crab": (83, 85, 80), "vegetables": (78, 82, 80)}


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def build_projects(
    rng: random.Random,
    admin: User,
    areas: dict[str, Area],
    users: dict[str, User],
    save: Callable[[type, list, str], None],
) -> Counter:
    """Create the demo calls, projects, reviews, allocations, inspection and rectifications; returns what was made."""
    return ProjectPlanner(rng, areas, users, save).build()


class ProjectPlanner:
    def __init__(self, rng, areas, users, save) -> None:
        self.rng, self.users, self.save = rng, users, save
        self.county = areas[SHOUXIAN]
        self.county_admin = users["county_admin"]
        villages = sorted(
            (a for a in areas.values() if a.level == AreaLevel.VILLAGE and a.is_poor), key=lambda a: a.code
        )
        self.villages = [v for v in villages if v.code.startswith(SHOUXIAN[:6])]
        self.counts: Counter[str] = Counter()

    def build(self) -> Counter:
        reviewers = [self.users["reviewer"], *self.create_reviewers()]
        call = self.create_call(YEAR, "2020年度科技扶贫转移支付示范项目申报通知", date(2020, 5, 31), self.budget())
        projects = {plan.key: self.create_project(call, plan, date(2020, 5, 20)) for plan in PLANS}
        for plan in PLANS:
            self.review(projects[plan.key], reviewers[:3], TOTALS[plan.key], date(2020, 6, 10))
            self.approve_and_start(projects[plan.key], plan)
        self.spend(projects)
        self.finish(projects)
        self.inspect(projects, reviewers)
        this_year = timezone.localdate()
        current = self.create_call(
            this_year.year, f"{this_year.year}年度科技扶贫示范项目申报通知", this_year + timedelta(days=60), None
        )
        mushrooms = self.create_project(current, MUSHROOMS, this_year - timedelta(days=3))
        self.review(mushrooms, [reviewers[3], self.users["reviewer"]], (84,), this_year)
        return self.counts

    # --- people and money -----------------------------------------------------------------------------------------

    def create_reviewers(self) -> list[User]:
        password = self.users["reviewer"].password
        made = [
            User(username=username, password=password, full_name=name, organisation=organisation)
            for username, name, organisation in REVIEWERS
        ]
        User.objects.bulk_create(made)
        self.save(RoleGrant, [RoleGrant(user=u, role=Role.REVIEWER, area=self.county) for u in made], "grants")
        self.counts["reviewers"] = len(made)
        return made

    def applicant_for(self, plan: Plan) -> User:
        """The applicant persona declares the Hu sheep project; the other organisations get their own account."""
        if plan.organisation == self.users["applicant"].organisation:
            return self.users["applicant"]
        user = User.objects.create(
            username=f"applicant_{plan.key}", password=self.users["applicant"].password, organisation=plan.organisation
        )
        self.save(RoleGrant, [RoleGrant(user=user, role=Role.APPLICANT, area=self.county)], "grants")
        return user

    def budget(self):
        return funds.create_budget(
            self.county_admin,
            year=YEAR,
            area=self.county,
            source=FundSource.objects.get(code="province-transfer"),
            amount=Decimal("298000"),
            purpose="2020年科技扶贫转移支付示范项目",
        )

    # --- declaring and reviewing ----------------------------------------------------------------------------------

    def create_call(self, year: int, title: str, deadline: date, budget) -> Call:
        call = Call(
            area=self.county,
            title=title,
            year=year,
            kind=CallKind.TRANSFER_PAYMENT,
            budget_cap=Decimal("298000"),
            per_project_cap=Decimal("100000"),
            deadline=deadline,
            required_attachments=["营业执照", "合作协议", "项目实施方案"],
            description="面向贫困村的科技扶贫示范项目，由申报单位联合科研院所实施，带动贫困户增收。",
            budget=budget,
        )
        self.save(Call, [call], "calls")
        rubric = [Criterion(call=call, name=name, weight=w, position=i) for i, (name, w) in enumerate(DEMO_RUBRIC)]
        Criterion.objects.bulk_create(rubric)
        return call

    def create_project(self, call: Call, plan: Plan, submitted: date) -> Project:
        project = Project(
            call=call,
            county=self.county,
            applicant=self.applicant_for(plan),
            organisation=plan.organisation,
            title=plan.title,
            industry=plan.industry,
            partner=plan.partner,
            summary=f"{plan.organisation}联合{plan.partner}，在贫困村开展{plan.industry}技术集成与示范，带动贫困户增收。",
            requested_amount=plan.amount,
            status=ProjectStatus.UNDER_REVIEW,
            submitted_at=at(submitted),
        )
        self.save(Project, [project], "projects")
        project.villages.set(self.rng.sample(self.villages, 2))
        self.save(
            Indicator,
            [Indicator(project=project, kind=k, unit=u, planned=Decimal(n)) for k, u, n in plan.indicators],
            "indicators",
        )
        self.save(
            BudgetLine,
            [BudgetLine(project=project, category=c, description=d, amount=Decimal(n)) for c, d, n in plan.budget],
            "budget lines",
        )
        members = [TeamMember(project=project, name=plan.leader, organisation=plan.organisation, duty="项目负责人")]
        members.append(TeamMember(project=project, name="技术专家", organisation=plan.partner, duty="技术指导"))
        self.save(TeamMember, members, "team members")
        return project

    def review(self, project: Project, reviewers: list[User], totals: tuple[int, ...], day: date) -> None:
        """Reviewers score every criterion alike (their total); those without a total are still to score."""
        criteria = list(project.call.criteria.all())
        reviews = []
        for i, reviewer in enumerate(reviewers):
            total = totals[i] if i < len(totals) else None
            scored = total is not None
            reviews.append(
                Review(
                    project=project,
                    reviewer=reviewer,
                    status=ReviewStatus.SUBMITTED if scored else ReviewStatus.ASSIGNED,
                    scores={str(c.pk): str(total) for c in criteria} if scored else {},
                    total=Decimal(total) if scored else None,
                    comments="技术路线清晰，带贫机制明确，建议立项。" if scored else "",
                    submitted_at=at(day) if scored else None,
                )
            )
        self.save(Review, reviews, "reviews")
        project.score = aggregate([r.total for r in reviews if r.total is not None])
        Project.objects.filter(pk=project.pk).update(score=project.score)

    # --- approval to acceptance -----------------------------------------------------------------------------------

    def approve_and_start(self, project: Project, plan: Plan) -> None:
        """Approved for the full request in July 2020, task book signed by both sides, then in progress."""
        Project.objects.filter(pk=project.pk).update(
            status=ProjectStatus.IN_PROGRESS,
            approved_amount=plan.amount,
            decided_at=at(date(2020, 6, 28)),
            budget_scope="；".join(description for _c, description, _n in plan.budget),
            signed_by_county=self.county_admin,
            county_signed_at=at(date(2020, 7, 3)),
            signed_by_applicant=project.applicant,
            applicant_signed_at=at(date(2020, 7, 6)),
            started_at=at(date(2020, 7, 6)),
        )
        project.refresh_from_db()
        funds.allocate(
            self.county_admin,
            project.call.budget,
            recipient_kind=RecipientKind.PROJECT,
            amount=plan.amount,
            purpose=plan.title,
            allocated_on=date(2020, 7, 1),
            recipient=project,
            recipient_name=plan.organisation,
            key=f"project-{project.pk}-approval",
        )
        # The task book adopts the declared values as targets.
        Indicator.objects.filter(project=project).update(target=F("planned"))
        milestones = [
            Milestone(project=project, title="完成示范基地建设与物资采购", due_on=date(2020, 9, 30)),
            Milestone(project=project, title="开展技术培训与示范推广", due_on=date(2020, 11, 30)),
        ]
        milestones[0].report = "示范基地建设完成，物资已采购到位。"
        milestones[0].reported_at = at(date(2020, 9, 28))
        self.save(Milestone, milestones, "milestones")

    def spend(self, projects: dict[str, Project]) -> None:
        """What the projects spent by the end of 2020: all of the finished ones, part of the running ones."""
        shares = {
            "hu_sheep": Decimal("0.6"),
            "crayfish": Decimal("1"),
            "crab": Decimal("0.5"),
            "vegetables": Decimal("1"),
        }
        for key, project in projects.items():
            allocation = funds.statement(project).allocations.get()
            for category, description, amount in next(p for p in PLANS if p.key == key).budget:
                spent = (Decimal(amount) * shares[key]).quantize(Decimal("0.01"))
                funds.spend(
                    self.county_admin,
                    allocation,
                    category=category if category in ExpenditureCategory.values else ExpenditureCategory.OTHER,
                    amount=spent,
                    spent_on=date(2020, 10, 15),
                    payee=project.organisation,
                    description=description,
                )
                self.counts["expenditures"] += 1

    def finish(self, projects: dict[str, Project]) -> None:
        """The crayfish project was accepted in December; the vegetables' final report waits for the committee."""
        for key, status in (("crayfish", ProjectStatus.ACCEPTED), ("vegetables", ProjectStatus.FINAL_REPORT)):
            project = projects[key]
            for indicator in project.indicators.all():
                indicator.achieved = indicator.planned + (indicator.planned // 10)
                indicator.save(update_fields=["achieved"])
            Milestone.objects.filter(project=project, reported_at__isnull=True).update(
                report="培训与示范推广完成。", reported_at=at(date(2020, 11, 28))
            )
            fields = {"status": status, "final_summary": "项目任务全面完成，各项指标均达到或超过任务书要求。"}
            fields["final_at"] = at(date(2020, 12, 5))
            if status == ProjectStatus.ACCEPTED:
                fields.update(
                    verdict=Verdict.PASSED,
                    verdict_comment="验收委员会一致同意通过验收。",
                    accepted_at=at(date(2020, 12, 20)),
                )
            Project.objects.filter(pk=project.pk).update(**fields)

    def inspect(self, projects: dict[str, Project], reviewers: list[User]) -> None:
        """September 2020's 双随机: two of the four running projects and two inspectors, published with findings."""
        project_pool = sorted(p.pk for p in projects.values())
        inspector_pool = sorted(r.pk for r in reviewers)
        wanted = {projects["hu_sheep"].pk, projects["crab"].pk}
        seed = YEAR * 10000
        while True:
            drawn, inspectors = draw(seed, project_pool, inspector_pool, 2, 2)
            if set(drawn) == wanted and self.users["reviewer"].pk in inspectors:
                break
            seed += 1
        inspection = Inspection(
            area=self.county,
            title="2020年科技扶贫项目“双随机一公开”专项检查",
            year=YEAR,
            seed=seed,
            project_count=2,
            inspector_count=2,
            project_pool=project_pool,
            inspector_pool=inspector_pool,
            published_at=at(date(2020, 10, 10)),
        )
        self.save(Inspection, [inspection], "inspections")
        # `drawn_at` is stamped on insert; the draw was made in September 2020, not the day the demo was seeded.
        Inspection.objects.filter(pk=inspection.pk).update(drawn_at=at(date(2020, 9, 15)))
        inspection.inspectors.set(inspectors)
        findings = {
            projects["hu_sheep"].pk: (FindingLevel.MINOR, "饲草收购台账不完整，贫困户务工工资发放记录未公示。"),
            projects["crab"].pk: (FindingLevel.GOOD, "项目按任务书实施，资金使用规范，带贫效果明显。"),
        }
        items = [
            InspectionItem(
                inspection=inspection,
                project_id=pk,
                position=i,
                level=findings[pk][0],
                findings=findings[pk][1],
                recorded_at=at(date(2020, 9, 22)),
            )
            for i, pk in enumerate(drawn, start=1)
        ]
        self.save(InspectionItem, items, "inspection findings")
        hu_sheep = next(item for item in items if item.project_id == projects["hu_sheep"].pk)
        self.save(
            Rectification,
            [
                Rectification(
                    project=projects["hu_sheep"],
                    item=hu_sheep,
                    description="补齐饲草收购台账，并在村务公开栏公示贫困户务工工资发放记录。",
                    deadline=RECTIFY_BY,
                    status=RectificationStatus.OPEN,
                    # Still open after its 2020 deadline, so the sweep escalated it to the county then.
                    escalated_at=at(RECTIFY_BY + timedelta(days=1), hour=8),
                )
            ],
            "rectifications",
        )
