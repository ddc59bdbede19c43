"""Demo experts for 寿县 and 凤台县: commissioners paired with every poor village of 寿县 for 2020, a few for 凤台县,
and province-, city- and county-level experts, with plausible names, organisations, titles and expertise.

`DemoBuilder` calls `build_experts(self.rng, admin, areas, users["expert"], self.save)` after the areas exist; every
draw comes from the caller's Random, so the demo stays deterministic. Rows are bulk-inserted through the builder's
`save(model, objs, key)` (which also writes their audit entries).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.names import mobile_phone, person_name
from sciaid.core.roles import Role
from sciaid.core.text import joined_tokens
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

YEAR = 2020
SHOUXIAN = "340422000000"
FENGTAI = "340421000000"
CITY = "340400000000"
PROVINCE = "340000000000"
YAOCI = "340422105201"
SHOUXIAN_COMMISSIONERS = 59
FENGTAI_COMMISSIONERS = 4
OTHER_EXPERTS = {ExpertLevel.PROVINCE: 8, ExpertLevel.CITY: 6, ExpertLevel.COUNTY: 6}

ORGANISATIONS = {
    ExpertLevel.PROVINCE: ("安徽农业大学", "安徽省农业科学院", "安徽科技学院", "安徽省农业技术推广总站"),
    ExpertLevel.CITY: ("淮南市农业科学研究所", "淮南市水产技术推广站", "淮南市畜牧兽医局", "淮南职业技术学院"),
    ExpertLevel.COUNTY: (
        "寿县农业农村局",
        "寿县农业技术推广中心",
        "寿县畜牧兽医水产站",
        "寿县林业局",
        "寿县农机推广站",
    ),
}
FENGTAI_ORGANISATIONS = ("凤台县农业农村局", "凤台县农业技术推广中心", "凤台县畜牧兽医站")
TITLES = {
    ExpertLevel.PROVINCE: ("研究员", "教授", "副研究员", "副教授"),
    ExpertLevel.CITY: ("高级农艺师", "高级畜牧师", "高级工程师", "副研究员"),
    ExpertLevel.COUNTY: ("高级农艺师", "农艺师", "畜牧师", "兽医师", "助理农艺师", "工程师"),
}
#: What an expert of each specialty writes about themselves; two sentences are drawn per expert.
EXPERTISE = {
    "grain": ("水稻、小麦高产栽培技术", "稻麦病虫害绿色防控", "优质专用小麦品种推广", "测土配方施肥"),
    "vegetables": ("设施蔬菜大棚栽培", "露地蔬菜病虫害防治", "蔬菜集约化育苗", "茄果类蔬菜嫁接技术"),
    "fruit-trees": ("梨、桃、葡萄整形修剪", "果园病虫害综合防治", "果树高接换种", "猕猴桃标准化栽培"),
    "tea": ("茶园管理与低产茶园改造", "名优绿茶加工工艺", "茶树病虫害绿色防控"),
    "edible-fungi": ("香菇、平菇代料栽培", "食用菌菌种制作", "黑木耳露地栽培"),
    "chinese-herbs": ("白芍、桔梗规范化种植", "中药材病虫害防治", "中药材产地初加工"),
    "oil-crops": ("油菜机械化种植", "花生高产栽培", "油菜菌核病防治"),
    "pigs": ("生猪规模化养殖", "非洲猪瘟防控与生物安全", "母猪繁育与仔猪管理"),
    "cattle": ("肉牛育肥与饲草调制", "牛常见病防治", "青贮饲料制作"),
    "sheep": ("湖羊舍饲养殖", "羊寄生虫病防治", "肉羊繁殖技术"),
    "poultry": ("蛋鸡、肉鸭规模养殖", "禽流感免疫与防控", "林下散养土鸡"),
    "aquaculture": ("池塘健康养殖与水质调控", "鱼病诊断与防治", "稻渔综合种养"),
    "river-crabs": ("河蟹生态养殖", "蟹塘水草种植与水质调控", "河蟹苗种培育"),
    "crayfish": ("稻虾共作技术", "小龙虾繁育与病害防治"),
    "veterinary": ("动物疫病诊断", "畜禽养殖场消毒与免疫程序"),
    "machinery": ("植保无人机使用与维修", "水稻机插秧技术", "农机具安全使用与保养"),
    "processing": ("农产品初加工与贮藏保鲜", "稻米加工与品牌建设", "农产品质量安全检测"),
    "e-commerce": ("农产品网店运营", "直播带货与短视频营销", "农村电商物流"),
    "soil-fertiliser": ("秸秆还田与土壤改良", "有机肥替代化肥"),
    "plant-protection": ("农药科学安全使用", "病虫害预测预报"),
}
AVAILABILITY = ("工作日 8:00–17:00", "周一至周六 8:00–18:00", "工作日 全天", "周末及晚间", "随时电话联系")


def expert_name(rng: random.Random, taken: set[str]) -> str:
    """A name no other demo expert has, so people can tell them apart in lists."""
    while True:
        name = person_name(rng, female=rng.random() < 0.3)
        if name not in taken:
            taken.add(name)
            return name


def build_experts(
    rng: random.Random,
    admin: User,
    areas: dict[str, Area],
    expert_user: User | None,
    save: Callable[[type, list, str], None],
) -> None:
    """Create the demo experts, their logins and role grants, specialties and 2020 pairings.

    `areas` maps division codes to the demo's saved areas; `expert_user` (the `expert` demo login, who already holds
    the expert role) becomes the commissioner paired with 姚祠村.
    """
    specialties = {s.code: s for s in Specialty.objects.filter(code__in=EXPERTISE)}
    codes = sorted(specialties)
    taken: set[str] = set()
    plans: list[dict] = []

    def plan(level: str, home: str, organisation: str, commissioner: bool, user: User | None = None) -> dict:
        chosen = rng.sample(codes, rng.choice((1, 2, 2, 3)))
        sentences = [s for code in chosen for s in rng.sample(EXPERTISE[code], min(2, len(EXPERTISE[code])))]
        entry = {
            "user": user,
            "name": user.full_name if user and user.full_name else expert_name(rng, taken),
            "organisation": organisation,
            "title": rng.choice(TITLES[level]),
            "level": level,
            "home_area": areas[home],
            "expertise": "擅长" + "、".join(sentences) + "。",
            "availability": rng.choice(AVAILABILITY),
            "phone": mobile_phone(rng),
            "is_commissioner": commissioner,
            "specialties": [specialties[code] for code in chosen],
        }
        plans.append(entry)
        return entry

    if expert_user is not None:
        plan(ExpertLevel.COUNTY, SHOUXIAN, expert_user.organisation or "淮南市水产技术推广站", True, expert_user)
        plans[-1]["specialties"] = [specialties["river-crabs"], specialties["aquaculture"]]
        plans[-1]["expertise"] = "擅长河蟹生态养殖、蟹塘水草种植与水质调控、稻渔综合种养。"
    while sum(1 for p in plans if p["home_area"].code == SHOUXIAN and p["is_commissioner"]) < SHOUXIAN_COMMISSIONERS:
        level = rng.choice((ExpertLevel.COUNTY, ExpertLevel.COUNTY, ExpertLevel.PROVINCE, ExpertLevel.CITY))
        plan(ExpertLevel.COUNTY, SHOUXIAN, rng.choice(ORGANISATIONS[level]), True)
    for _ in range(FENGTAI_COMMISSIONERS):
        plan(ExpertLevel.COUNTY, FENGTAI, rng.choice(FENGTAI_ORGANISATIONS), True)
    homes = {ExpertLevel.PROVINCE: PROVINCE, ExpertLevel.CITY: CITY, ExpertLevel.COUNTY: SHOUXIAN}
    for level, count in OTHER_EXPERTS.items():
        for _ in range(count):
            plan(level, homes[level], rng.choice(ORGANISATIONS[level]), False)

    _create_logins(plans, admin, save)
    experts = [
        Expert(
            **{k: v for k, v in entry.items() if k != "specialties"},
            expertise_tokens=joined_tokens(entry["expertise"]),
            created_by=admin,
            updated_by=admin,
        )
        for entry in plans
    ]
    save(Expert, experts, "experts")
    Expert.specialties.through.objects.bulk_create(
        [
            Expert.specialties.through(expert_id=expert.pk, specialty_id=specialty.pk)
            for expert, entry in zip(experts, plans, strict=True)
            for specialty in entry["specialties"]
        ]
    )
    save(Pairing, _plan_pairings(rng, experts, areas, admin), "expert_pairings")


def _create_logins(plans: list[dict], admin: User, save) -> None:
    """A login (no usable password: experts set theirs by the reset link) and an expert grant for each new expert."""
    password = make_password(None)
    new = [entry for entry in plans if entry["user"] is None]
    users = [
        User(
            username=f"expert{index:03d}",
            password=password,
            full_name=entry["name"],
            organisation=entry["organisation"],
        )
        for index, entry in enumerate(new, start=1)
    ]
    User.objects.bulk_create(users)
    for entry, user in zip(new, users, strict=True):
        entry["user"] = user
    save(
        RoleGrant,
        [
            RoleGrant(user=user, role=Role.EXPERT, area=entry["home_area"], created_by=admin, updated_by=admin)
            for entry, user in zip(new, users, strict=True)
        ],
        "expert_grants",
    )


def _plan_pairings(rng: random.Random, experts: list[Expert], areas: dict[str, Area], admin: User) -> list[Pairing]:
    """Every poor village of each county gets a commissioner of that county; each commissioner 1–3 villages."""
    pairings = []
    for county in (SHOUXIAN, FENGTAI):
        prefix = county[:6]
        villages = sorted(
            (a for a in areas.values() if a.level == AreaLevel.VILLAGE and a.is_poor and a.code.startswith(prefix)),
            key=lambda a: a.code,
        )
        commissioners = [e for e in experts if e.is_commissioner and e.home_area.code == county]
        load = dict.fromkeys(range(len(commissioners)), 0)
        rest = list(villages)
        if county == SHOUXIAN and YAOCI in areas:
            # The demo `expert` login (the first planned commissioner) serves 姚祠村.
            rest.remove(areas[YAOCI])
            pairings.append(Pairing(expert=commissioners[0], village=areas[YAOCI], year=YEAR))
            load[0] = 1
        rng.shuffle(rest)
        for village in rest:
            idle = [i for i, n in load.items() if n == 0]
            index = idle[0] if idle else rng.choice([i for i, n in load.items() if n < 3])
            load[index] += 1
            pairings.append(Pairing(expert=commissioners[index], village=village, year=YEAR))
    for pairing in pairings:
        pairing.created_by = pairing.updated_by = admin
    return pairings
