"""The deterministic demo: 安徽省 → 淮南市 → 寿县 (the seeds' Shouxian, 72 poor villages) and a smaller 凤台县.

Everything is drawn from one `random.Random(2020)`, so two fresh databases get the same areas, households, pairings
and visits (only ciphertexts, password salts and timestamps differ). Rows are written with bulk inserts and each gets
its audit entry, attributed to the demo platform admin, so the audit log has a history to show.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from sciaid.accounts.models import RoleGrant, User
from sciaid.achievements.demo import build_achievements
from sciaid.assistance.demo import build_demands
from sciaid.commissioners.demo import build_commissioner_year, build_commissioners
from sciaid.core import audit
from sciaid.core.context import acting_as
from sciaid.core.names import mobile_phone, person_name, village_names
from sciaid.core.notifications import inbox_only
from sciaid.core.portal import recount_all
from sciaid.core.privacy import blind_index, encrypt, make_id_number, mask_id_number
from sciaid.core.roles import Role
from sciaid.demonstration.demo import build_demonstration
from sciaid.experts.demo import build_experts
from sciaid.funds.demo import build_funds
from sciaid.information.demo import build_information
from sciaid.market.demo import build_market
from sciaid.projects.demo import build_projects
from sciaid.regions.choices import AreaLevel, HouseholdStatus, PovertyCause
from sciaid.regions.models import Area, CadrePairing, Household, HouseholdIncome, Visit
from sciaid.regions.services import pinyin_of, refresh_area_statistics
from sciaid.training.demo import build_training

PASSWORD = "sciaid-demo-2020"
SEED = 2020
#: The year the demo is about (the county's 2020 self-inspection): nothing in it is dated later, and the statuses
#: of villages and households are those at the end of that year.
DEMO_YEAR = 2020
#: The national rural poverty line, yuan of net income per capita in the prices of each year (National Bureau of
#: Statistics: 2,995 in 2018, 3,218 in 2019, about 4,000 in 2020). A household's income of a year is above it
#: exactly when the household was out of poverty that year.
POVERTY_LINE = {2018: Decimal(2995), 2019: Decimal(3218), DEMO_YEAR: Decimal(4000)}
INCOME_YEARS = tuple(POVERTY_LINE)
#: Income as a share of the year's poverty line: (lowest, highest) before lifting, once lifted, and for a household
#: at risk of return (just above the line). A ±2 % wobble per year never crosses the line.
INCOME_BANDS = {"poor": (0.70, 0.97), "lifted": (1.10, 2.40), "at_risk": (1.03, 1.15)}


@dataclass(frozen=True)
class CountyPlan:
    """One demo county: its 6-digit code, its townships (3-digit code, name) and how many villages and poor ones."""

    code: str
    name: str
    townships: tuple[tuple[str, str], ...]
    villages: int
    poor_villages: int


SHOUXIAN = CountyPlan(
    "340422",
    "寿县",
    (
        ("100", "寿春镇"),
        ("101", "双桥镇"),
        ("102", "涧沟镇"),
        ("103", "丰庄镇"),
        ("104", "刘岗镇"),
        ("105", "隐贤镇"),
        ("106", "安丰镇"),
        ("107", "瓦埠镇"),
        ("108", "小甸镇"),
        ("109", "迎河镇"),
        ("110", "板桥镇"),
        ("111", "堰口镇"),
        ("112", "正阳关镇"),
        ("200", "陶店回族乡"),
        ("201", "八公山乡"),
    ),
    villages=200,
    poor_villages=72,
)
FENGTAI = CountyPlan(
    "340421", "凤台县", (("100", "城关镇"), ("101", "朱马店镇"), ("102", "岳张集镇")), villages=20, poor_villages=6
)
COUNTIES = (SHOUXIAN, FENGTAI)
PROVINCE = ("340000000000", "安徽省")
CITY = ("340400000000", "淮南市")
#: The seeds' poor village in 隐贤镇, home of the river-crab workstation (the first village of its township).
YAOCI = ("340422105201", "姚祠村")
COUNTY_B_VILLAGE = "340421100201"
PERSONA_VILLAGES = frozenset({YAOCI[0], COUNTY_B_VILLAGE})


def full_code(*parts: str) -> str:
    return "".join(parts).ljust(12, "0")


@dataclass(frozen=True)
class DemoLogin:
    """One demo user: a role over an area, with the organisation they work for."""

    username: str
    role: str
    area_code: str
    organisation: str


DEMO_LOGINS = (
    DemoLogin("admin", Role.PLATFORM_ADMIN, PROVINCE[0], "安徽省科学技术厅"),
    DemoLogin("city_admin", Role.COUNTY_ADMIN, CITY[0], "淮南市科学技术局"),
    DemoLogin("county_admin", Role.COUNTY_ADMIN, full_code(SHOUXIAN.code), "寿县科学技术局"),
    DemoLogin("triage", Role.TRIAGE_OFFICER, full_code(SHOUXIAN.code), "寿县生产力促进中心"),
    DemoLogin("info_officer", Role.INFO_OFFICER, YAOCI[0], "隐贤镇姚祠村村委会"),
    DemoLogin("expert", Role.EXPERT, full_code(SHOUXIAN.code), "淮南市水产技术推广站"),
    DemoLogin("farmer", Role.FARMER, YAOCI[0], ""),
    DemoLogin("applicant", Role.APPLICANT, full_code(SHOUXIAN.code), "寿县联众畜牧养殖有限公司"),
    DemoLogin("reviewer", Role.REVIEWER, full_code(SHOUXIAN.code), "安徽省农业科学院"),
    DemoLogin("buyer", Role.BUYER, full_code(SHOUXIAN.code), "淮南市科学技术局机关食堂"),
    DemoLogin("supervisor", Role.SUPERVISOR, full_code(SHOUXIAN.code), "寿县扶贫开发局"),
    DemoLogin("county_admin_b", Role.COUNTY_ADMIN, full_code(FENGTAI.code), "凤台县科学技术局"),
    DemoLogin("info_officer_b", Role.INFO_OFFICER, COUNTY_B_VILLAGE, "城关镇村委会"),
)

#: Main causes as registered in Anhui's poverty files: illness first, then lack of skills and of labour.
CAUSE_WEIGHTS = {
    PovertyCause.ILLNESS: 40,
    PovertyCause.LACK_OF_SKILLS: 18,
    PovertyCause.LACK_OF_LABOUR: 12,
    PovertyCause.DISABILITY: 12,
    PovertyCause.LACK_OF_FUNDS: 10,
    PovertyCause.SCHOOLING: 3,
    PovertyCause.OTHER: 3,
    PovertyCause.DISASTER: 2,
}
#: By the end of 2020 most registered households were lifted out; a few remained poor or were at risk of return.
STATUS_WEIGHTS = {HouseholdStatus.LIFTED: 88, HouseholdStatus.AT_RISK: 6, HouseholdStatus.POOR: 6}
#: Shouxian left the list of poor counties in 2019; its poor villages went out in 2016–2019.
VILLAGE_LIFTED_WEIGHTS = {2016: 2, 2017: 3, 2018: 3, 2019: 2}
LIFTED_YEAR_WEIGHTS = {2014: 5, 2015: 10, 2016: 20, 2017: 25, 2018: 20, 2019: 15, 2020: 5}
MEMBER_WEIGHTS = {1: 12, 2: 22, 3: 22, 4: 22, 5: 14, 6: 8}
CADRE_DEPARTMENTS = ("科学技术局", "农业农村局", "扶贫开发局", "教育局", "卫生健康委员会", "供电公司", "农村商业银行")
VISIT_NOTES = (
    "了解家庭收入情况",
    "宣传扶贫政策",
    "指导种植技术",
    "协助办理医保报销",
    "核对帮扶手册",
    "了解子女就学情况",
)
#: Festival visits bring relief payments (the seeds: Spring Festival and July 1st condolence visits).
FESTIVALS = ((date(2019, 1, 28), "春节慰问"), (date(2019, 6, 28), "七一慰问"), (date(2020, 1, 15), "春节慰问"))
RELIEF_AMOUNTS = (Decimal("200.00"), Decimal("300.00"), Decimal("500.00"))


def income_band(household: Household, year: int) -> str:
    """Where a household's income of `year` lies: below the line before it was lifted out, above it after."""
    if household.status == HouseholdStatus.POOR or household.lifted_year > year:
        return "poor"
    return "at_risk" if household.status == HouseholdStatus.AT_RISK else "lifted"


def demo_exists() -> bool:
    return Area.objects.filter(code=full_code(SHOUXIAN.code)).exists()


def weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class DemoBuilder:
    """Builds the whole demo in one transaction; `counts` says what was created."""

    def __init__(self, seed: int = SEED, counties: tuple[CountyPlan, ...] = COUNTIES):
        self.rng = random.Random(seed)
        self.counties = counties
        self.counts: Counter[str] = Counter()
        self.id_numbers: set[str] = set()

    def build(self) -> Counter:
        with transaction.atomic(), inbox_only():
            users = self.create_users()
            admin = users["admin"]
            with acting_as(admin):
                areas = self.create_areas(admin)
                households = self.create_households(admin, areas)
                self.create_incomes(admin, households)
                self.create_pairings_and_visits(admin, households)
                self.create_grants(admin, users, areas)
                self.link_farmer(users["farmer"], households)
                build_experts(self.rng, admin, areas, users["expert"], self.save)
                self.counts.update(build_demands(self.rng, admin, areas, users, self.save))
                self.counts.update(build_funds(admin, areas, users))
                self.counts.update(build_projects(self.rng, admin, areas, users, self.save))
                self.counts.update(build_commissioners(self.rng, admin, areas, users, self.save))
                self.counts.update(build_commissioner_year(self.rng, admin, areas, users))
                self.counts.update(build_training(admin, areas, users))
                self.counts.update(build_information(admin, areas, users))
                self.counts.update(build_achievements(admin, areas, users))
                self.counts.update(build_market(admin, areas, users))
                self.counts.update(build_demonstration(admin, areas, users))
            refresh_area_statistics()
            recount_all()  # the portal's tallies, of what the builders wrote beside the services
        return self.counts

    # --- users ----------------------------------------------------------------------------------------------------

    def create_users(self) -> dict[str, User]:
        # One hash for every demo user: hashing costs ~0.3 s each with the production hasher.
        password = make_password(PASSWORD)
        users = [
            User(
                username=login.username,
                password=password,
                email=f"{login.username}@demo.sciaid.cn",
                full_name=person_name(self.rng, female=self.rng.random() < 0.4),
                organisation=login.organisation,
            )
            for login in DEMO_LOGINS
        ]
        User.objects.bulk_create(users)
        self.counts["users"] = len(users)
        return {user.username: user for user in users}

    def create_grants(self, admin: User, users: dict[str, User], areas: dict[str, Area]) -> None:
        grants = [
            RoleGrant(
                user=users[login.username],
                role=login.role,
                area=areas[login.area_code],
                created_by=admin,
                updated_by=admin,
            )
            for login in DEMO_LOGINS
        ]
        self.save(RoleGrant, grants, "grants")

    def link_farmer(self, farmer: User, households: list[Household]) -> None:
        """The farmer persona is the head of the first household of 姚祠村, and logs in by that phone too."""
        household = next(h for h in households if h.village.code == YAOCI[0] and h.phone)
        farmer.household = household
        farmer.full_name = household.head_name
        farmer.phone = household.phone
        farmer.save(update_fields=["household", "full_name", "phone"])

    # --- areas ----------------------------------------------------------------------------------------------------

    def create_areas(self, admin: User) -> dict[str, Area]:
        """Areas level by level (each level's bulk insert gives the next its parents' ids); keyed by code."""
        areas: dict[str, Area] = {}

        def level(rows: list[tuple[str, str, str | None, bool, int | None]], lvl: int) -> None:
            objs = []
            for code, name, parent_code, is_poor, lifted_year in rows:
                pinyin, initials = pinyin_of(name)
                objs.append(
                    Area(
                        code=code,
                        name=name,
                        level=lvl,
                        parent=areas.get(parent_code) if parent_code else None,
                        pinyin=pinyin,
                        initials=initials,
                        is_poor=is_poor,
                        lifted_year=lifted_year,
                        created_by=admin,
                        updated_by=admin,
                    )
                )
            self.save(Area, objs, f"areas_{AreaLevel(lvl).name.lower()}")
            areas.update((a.code, a) for a in objs)

        level([(PROVINCE[0], PROVINCE[1], None, False, None)], AreaLevel.PROVINCE)
        level([(CITY[0], CITY[1], PROVINCE[0], False, None)], AreaLevel.CITY)
        level([(full_code(c.code), c.name, CITY[0], False, None) for c in self.counties], AreaLevel.COUNTY)
        level(
            [
                (full_code(c.code, t), name, full_code(c.code), False, None)
                for c in self.counties
                for t, name in c.townships
            ],
            AreaLevel.TOWNSHIP,
        )
        level([row for county in self.counties for row in self.plan_villages(county)], AreaLevel.VILLAGE)
        self.counts["poor_villages"] = sum(1 for a in areas.values() if a.is_poor)
        return areas

    def plan_villages(self, county: CountyPlan) -> list[tuple[str, str, str, bool, int | None]]:
        """Spread the county's villages over its townships, name them, and mark exactly `poor_villages` as poor."""
        townships = len(county.townships)
        sizes = [county.villages // townships] * townships
        for index in self.rng.sample(range(townships), county.villages % townships):
            sizes[index] += 1
        taken = {YAOCI[1]}
        rows = []
        for (township_code, _), size in zip(county.townships, sizes, strict=True):
            parent = full_code(county.code, township_code)
            names = village_names(self.rng, size, taken)
            for number, name in enumerate(names, start=201):
                code = full_code(county.code, township_code, str(number))
                rows.append((code, YAOCI[1] if code == YAOCI[0] else name, parent))
        # The villages where the personas work are always poor ones.
        forced = {index for index, row in enumerate(rows) if row[0] in PERSONA_VILLAGES}
        rest = [index for index in range(len(rows)) if index not in forced]
        poor = forced | set(self.rng.sample(rest, county.poor_villages - len(forced)))
        return [
            (code, name, parent, index in poor, weighted(self.rng, VILLAGE_LIFTED_WEIGHTS) if index in poor else None)
            for index, (code, name, parent) in enumerate(rows)
        ]

    # --- households -----------------------------------------------------------------------------------------------

    def create_households(self, admin: User, areas: dict[str, Area]) -> list[Household]:
        rng = self.rng
        households = []
        villages = [a for a in areas.values() if a.level == AreaLevel.VILLAGE]
        for village in villages:
            size = rng.randint(22, 32) if village.is_poor else rng.randint(7, 11)
            for serial in range(1, size + 1):
                female = rng.random() < 0.15
                id_number = self.unique_id_number(village.code[:6], female)
                status = weighted(rng, STATUS_WEIGHTS)
                main_cause = weighted(rng, CAUSE_WEIGHTS)
                others = [c for c in CAUSE_WEIGHTS if c != main_cause]
                households.append(
                    Household(
                        number=f"{village.code}{serial:04d}",
                        village=village,
                        head_name=person_name(rng, female),
                        id_number_encrypted=encrypt(id_number),
                        id_number_hash=blind_index(id_number),
                        id_number_masked=mask_id_number(id_number),
                        phone=mobile_phone(rng) if rng.random() < 0.85 else "",
                        members=weighted(rng, MEMBER_WEIGHTS),
                        main_cause=main_cause,
                        other_causes=rng.sample(others, weighted(rng, {0: 5, 1: 4, 2: 1})),
                        status=status,
                        lifted_year=None if status == HouseholdStatus.POOR else weighted(rng, LIFTED_YEAR_WEIGHTS),
                        created_by=admin,
                        updated_by=admin,
                    )
                )
        self.save(Household, households, "households")
        return households

    def unique_id_number(self, region: str, female: bool) -> str:
        """A valid ID number for a head born 1938–1985; the serial's last digit is odd for men, even for women."""
        while True:
            birth = date(1938, 1, 1) + timedelta(days=self.rng.randrange(48 * 365))
            serial = self.rng.randrange(500) * 2 + (0 if female else 1)
            number = make_id_number(serial, birth.strftime("%Y%m%d"), region)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def create_incomes(self, admin: User, households: list[Household]) -> None:
        """Net income per capita 2018–2020, below the year's poverty line until the household was lifted out and
        above it from then on (just above it for a household now at risk of return).

        Each household keeps its place within its band from year to year, so incomes grow with the line.
        """
        rng = self.rng
        incomes = []
        for household in households:
            place = rng.uniform(0, 1)
            for year in INCOME_YEARS:
                low, high = INCOME_BANDS[income_band(household, year)]
                share = (low + (high - low) * place) * rng.uniform(0.98, 1.02)
                incomes.append(
                    HouseholdIncome(
                        household=household,
                        year=year,
                        income_per_capita=(POVERTY_LINE[year] * Decimal(f"{share:.4f}")).quantize(Decimal("0.01")),
                        created_by=admin,
                        updated_by=admin,
                    )
                )
        self.save(HouseholdIncome, incomes, "incomes")

    # --- pairings and visits --------------------------------------------------------------------------------------

    def create_pairings_and_visits(self, admin: User, households: list[Household]) -> None:
        """A cadre for every household of a poor village and every household not yet safely out; 3–5 each."""
        rng = self.rng
        pairings: list[CadrePairing] = []
        cadre: tuple[str, str, str] | None = None
        left = 0
        township = ""
        for household in households:
            if not (household.village.is_poor or household.status != HouseholdStatus.LIFTED):
                continue
            if left == 0 or household.village.parent_id != township:
                township = household.village.parent_id
                cadre = (person_name(rng, rng.random() < 0.3), self.cadre_organisation(household), mobile_phone(rng))
                left = rng.randint(3, 5)
            left -= 1
            pairings.append(
                CadrePairing(
                    household=household,
                    village=household.village,
                    cadre_name=cadre[0],
                    cadre_organisation=cadre[1],
                    cadre_phone=cadre[2],
                    started_on=date(rng.choice((2016, 2017, 2018)), rng.randint(1, 12), rng.randint(1, 28)),
                    created_by=admin,
                    updated_by=admin,
                )
            )
        self.save(CadrePairing, pairings, "pairings")
        self.save(Visit, [visit for p in pairings for visit in self.plan_visits(p, admin)], "visits")

    def cadre_organisation(self, household: Household) -> str:
        county = next(c for c in self.counties if household.village.code.startswith(c.code))
        return county.name + self.rng.choice(CADRE_DEPARTMENTS)

    def plan_visits(self, pairing: CadrePairing, admin: User) -> list[Visit]:
        """Festival visits with a relief payment, and ordinary visits across 2019–2020."""
        rng = self.rng
        visits = []
        for start, note in FESTIVALS:
            if rng.random() < 0.6:
                visited_on = start + timedelta(days=rng.randrange(5))
                visits.append((visited_on, note, rng.choice(RELIEF_AMOUNTS)))
        first, last = date(DEMO_YEAR - 1, 1, 1), date(DEMO_YEAR, 12, 31)
        for _ in range(rng.randint(1, 4)):
            visited_on = first + timedelta(days=rng.randrange((last - first).days + 1))
            illness = pairing.household.main_cause == PovertyCause.ILLNESS
            relief = Decimal("1000.00") if illness and rng.random() < 0.1 else Decimal("0.00")
            visits.append((visited_on, rng.choice(VISIT_NOTES), relief))
        return [
            Visit(
                pairing=pairing,
                village=pairing.village,
                visited_on=visited_on,
                notes=note,
                relief_amount=relief,
                created_by=admin,
                updated_by=admin,
            )
            for visited_on, note, relief in sorted(visits)
        ]

    # --- writing --------------------------------------------------------------------------------------------------

    def save(self, model, objs: list, key: str) -> None:
        """Bulk insert, then one audit entry per row (the ids come back from the insert)."""
        model.objects.bulk_create(objs, batch_size=1000)
        audit.record_created(objs, note="seed_demo")
        self.counts[key] += len(objs)
