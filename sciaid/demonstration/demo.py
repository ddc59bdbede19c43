"""Industrial demonstration in the demo: 寿县's bases of the seeds — the river-crab green-breeding base at 姚祠村 of
隐贤镇 (Yifeng Ecological), the pollution-free vegetable planting base of the provincial agricultural science park
(Nongmen Tianxia Vegetables), Lianzhong's Hu-sheep base — and smaller sites across the townships, of every kind and
operator, with their 2018–2020 figures, the published achievements they demonstrate and their commissioners.

Everything goes through `sciaid.demonstration.services` as the county admin would do it (the crab base's figures as
its commissioner, the `expert` login), so the audit log and the rules are those of real use.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sciaid.accounts.models import User
from sciaid.achievements.models import Achievement
from sciaid.core.publishing import PublicationStatus
from sciaid.demonstration import services
from sciaid.demonstration.choices import OperatorKind as O
from sciaid.demonstration.choices import SiteKind as K
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.models import Area, Household

COUNTY = "340422"
YEARS = (2018, 2019, 2020)

#: (name, kind, operator kind, operator, township code, industry, mu, since, achievements, households driven, poor,
#:  state, description, 2020 figures: output t, yield kg/mu, income yuan, poor households' increase yuan)
SITES = (
    ("寿县河蟹绿色养殖示范基地", K.BASE, O.ENTERPRISE, "寿县益丰生态农业有限公司", "105", "river-crabs", "1200", 2016,
     ("河蟹生态养殖技术", "稻蟹综合种养技术"), 86, 32, "active",
     "依托市县水产技术推广站，推广河蟹绿色养殖技术，种草投螺、稀放精养，带动周边农户发展生态养殖。",
     ("96", "80", "6200000", "3200")),
    ("寿县无公害蔬菜种植示范基地", K.PARK, O.COOPERATIVE, "寿县农门天下蔬菜种植专业合作社", "100", "vegetables", "650",
     2017, ("大棚蔬菜水肥一体化技术", "设施蔬菜连作障碍综合治理技术"), 120, 45, "active",
     "位于省级农业科技园区，淮南职业技术学院和县农技推广中心的科技特派员服务团队指导无公害蔬菜生产。",
     ("5200", "8000", "9800000", "2800")),
    ("湖羊生态养殖示范基地", K.BASE, O.ENTERPRISE, "寿县联众畜牧养殖有限公司", "110", "sheep", "300", 2018,
     ("肉牛秸秆青贮饲喂技术",), 64, 28, "active",
     "与省农科院合作集成江淮分水岭地区湖羊生态养殖关键技术，青贮牧草和秸秆，贫困户售秸秆、进场务工增收。",
     ("210", "700", "4600000", "2600")),
    ("正阳关镇稻虾共作示范基地", K.BASE, O.COOPERATIVE, "寿县正阳关镇水稻种植合作社", "112", "crayfish", "800", 2017,
     ("稻虾共作技术",), 75, 30, "active", "一季水稻两季小龙虾，减少化肥农药用量。",
     ("180", "225", "5400000", "2400")),
    ("寿县瓜蒌种植示范基地", K.BASE, O.ENTERPRISE, "寿县蒌香农业发展有限公司", "104", "chinese-herbs", "500", 2018,
     ("瓜蒌高产栽培技术",), 58, 22, "active", "推广瓜蒌搭架栽培和病害综合防治。", ("75", "150", "3000000", "2100")),
    ("丰庄镇优质水稻示范片", K.SITE, O.COOPERATIVE, "寿县丰庄镇种粮大户联合体", "103", "grain", "1500", 2018,
     ("皖稻68", "徽两优898"), 140, 36, "active", "示范优质水稻新品种和测土配方施肥。",
     ("930", "620", "2600000", "900")),
    ("安丰镇食用菌示范点", K.SITE, O.HOUSEHOLD, "陈德明", "106", "edible-fungi", "12", 2019,
     ("食用菌袋料栽培技术",), 18, 12, "active", "利用秸秆袋料栽培平菇，示范户带动邻里发展。",
     ("36", "3000", "420000", "1800")),
    ("双桥镇林下养鸡示范点", K.SITE, O.FAMILY_FARM, "寿县绿林家庭农场", "101", "poultry", "200", 2018,
     ("林下养鸡技术",), 26, 14, "active", "林地放养土鸡，统一防疫和补饲。", ("18", "90", "900000", "1500")),
    ("瓦埠镇黄桃示范园", K.PARK, O.FAMILY_FARM, "寿县桃源家庭农场", "107", "fruit-trees", "260", 2017,
     ("黄桃优质丰产栽培技术",), 30, 10, "closed", "开心形整形修剪和套袋技术示范；2020年底园区流转，示范结束。",
     ("390", "1500", "2300000", "1200")),
    ("堰口镇肉牛养殖示范点", K.SITE, O.HOUSEHOLD, "李广才", "111", "cattle", "40", 2019,
     ("肉牛秸秆青贮饲喂技术",), 12, 6, "active", "秸秆青贮饲喂肉牛示范户。", ("42", "0", "760000", "1600")),
    ("涧沟镇设施蔬菜示范点", K.SITE, O.COOPERATIVE, "寿县涧沟镇蔬菜专业合作社", "102", "vegetables", "90", 2020,
     ("大棚蔬菜水肥一体化技术",), 20, 8, "draft", "新建大棚，待县科技局审核后公开。", None),
)  # fmt: skip
#: Each earlier year's figures as a share of the next year's: the sites grew.
GROWTH = {2018: Decimal("0.72"), 2019: Decimal("0.86"), 2020: Decimal(1)}


def build_demonstration(admin: User, areas: dict[str, Area], users: dict[str, User]) -> Counter:
    """Enter, publish (or close) the sites and enter their yearly figures; returns the counts."""
    county_admin = users["county_admin"]
    catalogue = {a.title: a for a in Achievement.objects.filter(status=PublicationStatus.PUBLISHED)}
    specialties = {s.code: s for s in Specialty.objects.all()}
    commissioners = list(
        Expert.objects.filter(is_commissioner=True, home_area__code__startswith=COUNTY).order_by("name", "id")
    )
    own_expert = Expert.objects.filter(user=users["expert"]).first()
    figures = 0
    for index, row in enumerate(SITES):
        village = first_village(areas, row[4])
        team = [commissioners[(index * 2 + k) % len(commissioners)] for k in range(2)] if commissioners else []
        if index == 0 and own_expert is not None:
            team = [own_expert, *[e for e in team if e != own_expert]][:2]
        site = enter(county_admin, village, specialties, catalogue, team, row)
        state = row[11]
        if state == "draft":
            continue
        services.publish_site(county_admin, site)
        # The crab base's figures are its commissioner's work; the others the county's.
        author = users["expert"] if index == 0 and own_expert is not None else county_admin
        for year in YEARS:
            if year >= row[7]:
                services.record_figures(author, site, year=year, **year_figures(row[13], row[9], year))
                figures += 1
        if state == "closed":
            services.close_site(county_admin, site, "园区土地流转，示范结束。")
    return Counter({"demonstration sites": len(SITES), "site figures": figures})


def first_village(areas: dict[str, Area], township: str) -> Area:
    """The township's first village (姚祠村 for 隐贤镇, where the seeds put the crab base)."""
    prefix = f"{COUNTY}{township}"
    return min((a for code, a in areas.items() if code.startswith(prefix) and a.is_village), key=lambda a: a.code)


def enter(user: User, village: Area, specialties: dict, catalogue: dict, team: list, row: tuple):
    name, kind, operator_kind, operator, _township, industry, mu, since, titles, driven, poor = row[:11]
    households = list(Household.objects.filter(village=village).order_by("number")[: min(poor, 5)])
    return services.save_site(
        user,
        name=name,
        kind=kind,
        operator_kind=operator_kind,
        operator_name=operator,
        village=village,
        address=f"{village.name}" if operator_kind != "household" else "",
        industry=specialties[industry],
        area_mu=Decimal(mu),
        established_year=since,
        description=row[12],
        achievements=[catalogue[t] for t in titles if t in catalogue],
        commissioners=team,
        households_driven=driven,
        poor_households_driven=poor,
        poor_households=households,
    )


def year_figures(latest: tuple[str, str, str, str], driven: int, year: int) -> dict:
    """A year's figures: those of 2020 scaled down by the growth since."""
    output, per_mu, income, increase = (Decimal(value) * GROWTH[year] for value in latest)
    cents = Decimal("0.01")
    return {
        "output": output.quantize(cents),
        "yield_per_mu": per_mu.quantize(cents),
        "income": income.quantize(cents),
        "households_driven": int(driven * GROWTH[year]),
        "poor_income_increase": increase.quantize(cents),
    }
