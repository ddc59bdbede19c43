"""A small two-county world with one named persona per role, for tests of every app.

Tests read like `test_it_hides_other_county_households(world)`: county A (寿县) with two townships and three villages,
county B (凤台县) with one village, a household in each village, and users:

    admin (platform admin, province)     county_admin / county_admin_b    triage (A)     supervisor (A)
    info_officer (village A1)            info_officer_b (village B1)      expert (A)     farmer (own household in A1)
    applicant, reviewer, buyer (A)       outsider (no grant)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections

from sciaid.core.privacy import make_id_number
from sciaid.core.roles import Role


@dataclass
class World:
    areas: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    households: dict = field(default_factory=dict)

    def __getattr__(self, name):
        for group in ("users", "areas", "households"):
            values = self.__dict__.get(group, {})
            if name in values:
                return values[name]
        raise AttributeError(name)


def build_world() -> World:
    from sciaid.accounts.models import RoleGrant, User
    from sciaid.regions.models import Area, CadrePairing, Household, Visit
    from sciaid.regions.services import pinyin_of

    world = World()

    def area(key, code, level, name, parent=None, is_poor=False):
        pinyin, initials = pinyin_of(name)
        world.areas[key] = Area.objects.create(
            code=code,
            level=level,
            name=name,
            parent=world.areas.get(parent),
            is_poor=is_poor,
            pinyin=pinyin,
            initials=initials,
        )

    area("province", "340000000000", 1, "安徽省")
    area("city", "340400000000", 2, "淮南市", "province")
    area("county_a", "340422000000", 3, "寿县", "city")
    area("township_a1", "340422105000", 4, "隐贤镇", "county_a")
    area("township_a2", "340422106000", 4, "安丰镇", "county_a")
    area("village_a1", "340422105201", 5, "姚祠村", "township_a1", is_poor=True)
    area("village_a2", "340422105202", 5, "新桥村", "township_a1")
    area("village_a3", "340422106201", 5, "塘湾村", "township_a2", is_poor=True)
    area("county_b", "340421000000", 3, "凤台县", "city")
    area("township_b1", "340421101000", 4, "城关镇", "county_b")
    area("village_b1", "340421101201", 5, "黄湾村", "township_b1", is_poor=True)

    for i, key in enumerate(["village_a1", "village_a2", "village_a3", "village_b1"], start=1):
        village = world.areas[key]
        number = make_id_number(i, region=village.code[:6])
        world.households[f"household_{key[8:]}"] = Household.objects.create(
            number=f"{village.code}{i:04d}",
            village=village,
            head_name=f"户主{i}",
            phone=f"1390554{i:04d}",
            members=3,
            **_id_fields(number),
        )

    personas = [
        ("admin", Role.PLATFORM_ADMIN, "province"),
        ("county_admin", Role.COUNTY_ADMIN, "county_a"),
        ("county_admin_b", Role.COUNTY_ADMIN, "county_b"),
        ("triage", Role.TRIAGE_OFFICER, "county_a"),
        ("supervisor", Role.SUPERVISOR, "county_a"),
        ("info_officer", Role.INFO_OFFICER, "village_a1"),
        ("info_officer_b", Role.INFO_OFFICER, "village_b1"),
        ("expert", Role.EXPERT, "county_a"),
        ("farmer", Role.FARMER, "village_a1"),
        ("applicant", Role.APPLICANT, "county_a"),
        ("reviewer", Role.REVIEWER, "county_a"),
        ("buyer", Role.BUYER, "county_a"),
    ]
    for username, role, area_key in personas:
        user = User.objects.create_user(username, password="pw", email=f"{username}@example.cn")
        RoleGrant.objects.create(user=user, role=role, area=world.areas[area_key])
        world.users[username] = user
    world.users["outsider"] = User.objects.create_user("outsider", password="pw")
    farmer = world.users["farmer"]
    farmer.household = world.households["household_a1"]
    farmer.save()

    for key in ("household_a1", "household_b1"):
        household = world.households[key]
        pairing = CadrePairing.objects.create(
            household=household, village=household.village, cadre_name=f"干部{key[-2:]}", started_on="2020-01-01"
        )
        Visit.objects.create(
            pairing=pairing, village=household.village, visited_on="2020-03-15", relief_amount=Decimal("500.00")
        )
    return world


def _id_fields(number: str) -> dict:
    from sciaid.core.privacy import blind_index, encrypt, mask_id_number

    return {
        "id_number_encrypted": encrypt(number),
        "id_number_hash": blind_index(number),
        "id_number_masked": mask_id_number(number),
    }


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at the same moment, each in its own thread on its own database connection (the PostgreSQL
    concurrency tests); return what each returned, or the exception it raised, in the order given."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except BaseException as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def restore_emptied(serialized: str) -> None:
    """Bring back the rows of `serialized` (what the data migrations seeded: the specialty tree, the work calendar,
    fund sources) into every table of theirs that a transactional test's flush left empty.

    Serialized rollback should do this, but not every transactional test asks for it, and in the browser tests the
    connection a test runs on does not carry Django's serialized copy. Tables refilled after a flush (content types)
    are left alone.
    """
    from django.core import serializers
    from django.db import connection, transaction

    rows = list(serializers.deserialize("json", serialized))
    empty = {model for model in {type(row.object) for row in rows} if not model._base_manager.exists()}
    with transaction.atomic(), connection.constraint_checks_disabled():
        for row in rows:
            if type(row.object) in empty:
                row.save()
