"""The demo's commissioner year for 寿县 2020, after the seeds (../shared/seeds/): the fund allocation rule (¥3,400
for one village, ¥700 more for each further one, paid from the province's ¥210,000) posted to the ledger, the yearly
appraisal of the 59 commissioners published with 33 excellent and 26 qualified, and the county's workstations in
every state, the river-crab workstation of 姚祠村 (隐贤镇) among them.

`DemoBuilder` calls `build_commissioner_year(rng, admin, areas, users)` after the commissioners' service logs are
built. Everything goes through the services, acting as the demo personas, so the ledger, the audit log and the
states are exactly what the pages would have left; dates are then set back into 2020 where the services stamp today.

The appraisal rubric of the demo weighs the county's own assessment most (manual 60, village opinion 20, service
volume 10, effect 10): the seeds print only the outcome (33 excellent, 26 qualified). The 33 commissioners with the
most confirmed services and the best effect get the county's top marks; the quota (56 %: 33 of 59) and the
thresholds (excellent from 80, qualified from 60) then rate them whatever the other figures are.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from sciaid.accounts.models import User
from sciaid.commissioners import services
from sciaid.commissioners.models import AppraisalRubric, Workstation
from sciaid.commissioners.yearly_choices import ActivityKind, OrganisationKind, Rating
from sciaid.experts.models import Expert
from sciaid.funds.models import FundSource
from sciaid.funds.services import create_budget
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

YEAR = 2020
SHOUXIAN = "340422000000"
YAOCI = "340422105201"
#: The seeds: ¥3,400 for one village, "appropriately" more for two or more; 59 commissioners, 72 villages.
BASE_AMOUNT = Decimal("3400.00")
INCREMENT = Decimal("700.00")
COMMISSIONER_FUNDS = Decimal("210000.00")
#: Two newly filed workstations received ¥360,000 together.
WORKSTATION_FUNDS = Decimal("360000.00")
EXCELLENT = 33
RUBRIC = {
    "weight_volume": 10,
    "weight_effect": 10,
    "weight_opinion": 20,
    "weight_manual": 60,
    "volume_target": 5,
    "excellent_from": Decimal("80.00"),
    "qualified_from": Decimal("60.00"),
    "excellent_quota": 56,
}
#: (opinion, manual) scores the county gives its best commissioners and the others.
TOP_SCORES = (Decimal("100.00"), Decimal("100.00"))
OTHER_SCORES = (Decimal("75.00"), Decimal("75.00"))


def build_commissioner_year(rng: random.Random, admin: User, areas: dict[str, Area], users: dict[str, User]) -> Counter:
    """Post the allocation rule, publish the appraisal and file the workstations of 寿县 for 2020."""
    counts: Counter[str] = Counter()
    county = areas[SHOUXIAN]
    county_admin = users["county_admin"]
    source = FundSource.objects.get(code="province-transfer")
    budget = create_budget(
        admin, year=YEAR, area=county, source=source, amount=COMMISSIONER_FUNDS, purpose="科技特派员帮扶贫困村工作经费"
    )
    rule = services.save_allocation_rule(
        county_admin, county=county, year=YEAR, base_amount=BASE_AMOUNT, increment=INCREMENT
    )
    posted = services.post_allocation_rule(county_admin, rule, budget=budget, allocated_on=date(YEAR, 6, 30))
    counts["commissioner_allocations"] += posted.posted
    counts["appraisals"] += publish_appraisal(county_admin, county)
    counts["workstations"] += build_workstations(rng, admin, areas, users, county, source)
    return counts


def publish_appraisal(county_admin: User, county: Area) -> int:
    rubric = services.save_appraisal_rubric(county_admin, county=county, year=YEAR, **RUBRIC)
    services.compute_appraisal(county_admin, rubric)
    sheets = list(rubric.sheets.select_related("expert"))
    # The county's best: most confirmed services, then the best effect, then by name (reproducible).
    sheets.sort(key=lambda s: (-s.services, -s.effect_score, s.expert.name))
    for index, sheet in enumerate(sheets):
        opinion, manual = TOP_SCORES if index < EXCELLENT else OTHER_SCORES
        services.score_appraisal(county_admin, sheet, opinion_score=opinion, manual_score=manual)
    services.review_appraisal(county_admin, rubric)
    services.publish_appraisal(county_admin, rubric)
    AppraisalRubric.objects.filter(pk=rubric.pk).update(published_at=aware(date(YEAR, 12, 28)))
    return len(sheets)


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def village_in(areas: dict[str, Area], township: str, rng: random.Random) -> Area:
    """A village of the township (by its 9-digit code prefix), drawn reproducibly."""
    villages = sorted(
        (a for code, a in areas.items() if code.startswith(township) and a.level == AreaLevel.VILLAGE), key=str
    )
    return rng.choice(villages)


#: (name, organisation, kind, industry, township prefix or host village code, plan, state)
STATIONS = (
    (
        "寿县河蟹绿色养殖科技特派员工作站",
        "寿县怡丰生态农业有限公司",
        OrganisationKind.ENTERPRISE,
        "河蟹养殖",
        YAOCI,
        "依托市县水产技术推广站，组织科技特派员推广河蟹绿色养殖技术，优化养殖结构，推动养殖业集约化、规模化、高效化发展。",
        "filed",
    ),
    (
        "寿县无公害蔬菜种植科技特派员工作站",
        "寿县农门天下蔬菜种植专业合作社",
        OrganisationKind.COOPERATIVE,
        "蔬菜种植",
        "340422106",
        "由淮南农业学院和寿县农技推广中心的科技特派员组成服务团队，带动贫困村及周边群众发展无公害蔬菜生产。",
        "filed",
    ),
    (
        "寿县席草科技特派员工作站",
        "寿县正阳关席草专业合作社",
        OrganisationKind.COOPERATIVE,
        "席草种植与加工",
        "340422112",
        "推广席草良种与机械化收割，带动农户增收。",
        "filed",
    ),
    (
        "寿县稻虾共作科技特派员工作站",
        "寿县瓦埠湖稻虾种养专业合作社",
        OrganisationKind.COOPERATIVE,
        "稻虾综合种养",
        "340422107",
        "示范稻虾共作技术，建设标准化稻虾田 500 亩。",
        "under_review",
    ),
    (
        "寿县中药材种植科技特派员工作站",
        "寿县八公山中药材有限公司",
        OrganisationKind.ENTERPRISE,
        "中药材种植",
        "340422201",
        "白芍、桔梗规范化种植与产地初加工。",
        "applied",
    ),
    (
        "寿县休闲农业科技特派员工作站",
        "寿县堰口农旅发展有限公司",
        OrganisationKind.ENTERPRISE,
        "休闲农业",
        "340422111",
        "建设采摘园。",
        "rejected",
    ),
)
ACTIVITIES = (
    (ActivityKind.TRAINING, date(YEAR, 4, 16), "实用技术培训", 60, 18),
    (ActivityKind.DEMONSTRATION, date(YEAR, 6, 20), "示范基地现场观摩", 45, 25),
    (ActivityKind.GUIDANCE, date(YEAR, 8, 11), "入户技术指导", 12, 12),
)


def build_workstations(rng, admin, areas, users, county: Area, source: FundSource) -> int:
    applicant, county_admin, reviewer = users["applicant"], users["county_admin"], users["reviewer"]
    commissioners = list(Expert.objects.filter(is_commissioner=True, home_area=county).order_by("name")[:12])
    budget = create_budget(
        admin, year=YEAR, area=county, source=source, amount=WORKSTATION_FUNDS, purpose="省级科技特派员工作站建设经费"
    )
    for index, (name, organisation, kind, industry, place, plan, state) in enumerate(STATIONS):
        village = areas[place] if place in areas else village_in(areas, place, rng)
        station = services.apply_workstation(
            applicant,
            name=name,
            organisation=organisation,
            organisation_kind=kind,
            industry=industry,
            village=village,
            facilities="办公场所、培训室、示范基地",
            plan=plan,
            commissioners=commissioners[2 * index : 2 * index + 2],
        )
        if state == "applied":
            continue
        if state == "rejected":
            services.reject_workstation(admin, station, reason="申报材料不完整，示范带动作用不明显。")
            continue
        services.start_workstation_review(county_admin, station, reviewers=[reviewer])
        services.submit_workstation_review(
            reviewer, station, score=85 + index, opinion="技术依托单位实力强，同意备案。"
        )
        if state == "under_review":
            continue
        services.file_workstation(admin, station, note="省科技厅第五批省级科技特派员工作站备案")
        Workstation.objects.filter(pk=station.pk).update(
            filed_on=date(YEAR, 7, 15), decided_at=aware(date(YEAR, 7, 15))
        )
        for activity_kind, held_on, title, participants, households in ACTIVITIES:
            services.report_workstation_activity(
                applicant,
                station,
                kind=activity_kind,
                held_on=held_on,
                title=f"{industry}{title}",
                participants=participants,
                households_driven=households,
            )
        rating = Rating.EXCELLENT if industry.startswith("席草") else Rating.QUALIFIED
        score = Decimal("93.00") if rating == Rating.EXCELLENT else Decimal("82.00")
        services.appraise_workstation(county_admin, station, year=YEAR, score=score, rating=rating)
        if index < 2:
            services.fund_workstation(
                county_admin,
                station,
                budget=budget,
                amount=WORKSTATION_FUNDS / 2,
                purpose="工作站建设",
                allocated_on=date(YEAR, 9, 1),
            )
    return len(STATIONS)
