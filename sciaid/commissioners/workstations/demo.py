"""The demo's workstations of 寿县 in every state, after the seeds: the river-crab workstation of 姚祠村 (隐贤镇)
among the filed ones, each reporting its 2020 activities and appraisal; two newly filed ones funded together with
¥360,000. Everything goes through the services, acting as the demo personas; dates are then set back into 2020
where the services stamp today."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sciaid.commissioners.appraisals.choices import Rating
from sciaid.commissioners.appraisals.demo import aware
from sciaid.commissioners.workstations import services
from sciaid.commissioners.workstations.choices import ActivityKind, OrganisationKind
from sciaid.commissioners.workstations.models import Workstation
from sciaid.experts.demo import YAOCI, YEAR
from sciaid.experts.models import Expert
from sciaid.funds.models import FundSource
from sciaid.funds.services import create_budget
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

#: Two newly filed workstations received ¥360,000 together.
WORKSTATION_FUNDS = Decimal("360000.00")


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
