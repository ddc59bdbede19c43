"""The demo as `make run` loads it: the seeds' county at its real size, every persona, and a second run that is a no-op.

The real command runs once per test process (`full_demo`, inside a transaction no other test sees).
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import F, Max, Sum
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sciaid.accounts.models import User
from sciaid.core.models import ObjectChange
from sciaid.core.privacy import validate_id_number
from sciaid.core.roles import Role
from sciaid.demo.builders import DEMO_LOGINS, DEMO_YEAR, PASSWORD, POVERTY_LINE, SHOUXIAN, YAOCI
from sciaid.regions.choices import AreaLevel, HouseholdStatus
from sciaid.regions.models import Area, CadrePairing, Household, HouseholdIncome, Visit

SHOUXIAN_BOUNDS = ("340422000000", "340422999999")


def seed() -> str:
    """Run the command as an English-speaking operator would see it (its output is translated)."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(full_demo):
    """What the command printed the first time (the demo is built once per test process: sciaid/demo/testing.py)."""
    return full_demo


def users(*names: str) -> list[User]:
    return [User.objects.get(username=name) for name in names]


def test_it_loads_the_seeds_county_at_its_size(demo):
    county = Area.objects.get(code=SHOUXIAN_BOUNDS[0])
    assert county.name == "寿县"
    assert county.parent.name == "淮南市" and county.parent.parent.name == "安徽省"
    townships = Area.objects.filter(level=AreaLevel.TOWNSHIP, code__range=SHOUXIAN_BOUNDS)
    villages = Area.objects.filter(level=AreaLevel.VILLAGE, code__range=SHOUXIAN_BOUNDS)
    assert townships.count() == len(SHOUXIAN.townships) == 15
    assert villages.count() == 200
    assert villages.filter(is_poor=True).count() == 72
    assert 2_800 <= Household.objects.filter(village__code__range=SHOUXIAN_BOUNDS).count() <= 3_300


def test_every_village_has_a_unique_name_in_its_county(demo):
    names = list(
        Area.objects.filter(level=AreaLevel.VILLAGE, code__range=SHOUXIAN_BOUNDS).values_list("name", flat=True)
    )
    assert len(names) == len(set(names))
    assert all(name.endswith("村") for name in names)


def test_yaoci_village_is_a_poor_village_of_yinxian_found_by_its_initials(demo):
    village = Area.objects.get(initials="ycc", level=AreaLevel.VILLAGE, name=YAOCI[1])
    assert village.code == YAOCI[0]
    assert village.parent.name == "隐贤镇"
    assert village.is_poor and village.pinyin == "yaocicun"


def test_households_have_valid_ids_and_a_realistic_mix(demo):
    households = Household.objects.filter(village__code__range=SHOUXIAN_BOUNDS)
    for household in households.order_by("?")[:50]:
        assert validate_id_number(household.id_number) == household.id_number
        assert household.id_number.startswith(SHOUXIAN.code)
        assert household.masked_id_number == household.id_number[:4] + "*" * 10 + household.id_number[-4:]
    total = households.count()
    lifted = households.filter(status=HouseholdStatus.LIFTED).count()
    assert 0.8 * total < lifted < total
    assert households.filter(status=HouseholdStatus.POOR).exists()
    assert households.filter(status=HouseholdStatus.AT_RISK).exists()
    assert not households.filter(status=HouseholdStatus.POOR, lifted_year__isnull=False).exists()
    assert HouseholdIncome.objects.filter(year__in=[2018, 2019, 2020]).count() == 3 * Household.objects.count()


def test_poor_households_have_cadres_who_visit_with_relief_payments(demo):
    unpaired = Household.objects.exclude(status=HouseholdStatus.LIFTED).filter(pairings__isnull=True)
    assert not unpaired.exists()
    visits = Visit.objects.all()
    assert {v.year for v in visits.dates("visited_on", "year")} == {2019, 2020}
    assert visits.aggregate(total=Sum("relief_amount"))["total"] > 0
    assert not visits.filter(visited_on__lt=F("pairing__started_on")).exists()
    assert not visits.exclude(village=F("pairing__household__village")).exists()


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.username)
def test_every_persona_logs_in_with_the_demo_password_in_their_area(demo, login):
    user = User.objects.get(username=login.username)
    assert user.check_password(PASSWORD)
    assert not user.is_staff and not user.is_superuser
    assert [(g.role, g.area.code) for g in user.active_grants()] == [(login.role, login.area_code)]


def test_there_is_a_user_for_every_role(demo):
    roles = {role for user in User.objects.all() for role in user.roles}
    assert roles == set(Role.values)


def test_the_farmer_owns_a_household_in_yaoci_and_sees_only_it(demo):
    (farmer,) = users("farmer")
    assert farmer.household.village.code == YAOCI[0]
    assert list(Household.objects.for_user(farmer)) == [farmer.household]


def test_county_b_admin_cannot_see_shouxian_households(demo):
    county_admin_b, county_admin = users("county_admin_b", "county_admin")
    visible_to_b = Household.objects.for_user(county_admin_b)
    assert visible_to_b.exists()
    assert not visible_to_b.filter(village__code__range=SHOUXIAN_BOUNDS).exists()
    assert not Household.objects.for_user(county_admin).filter(village__code__startswith="340421").exists()


def test_the_audit_log_has_the_demo_history(demo):
    households = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(Household))
    assert households.count() == Household.objects.count()
    assert set(households.values_list("user_name", flat=True)) == {"admin"}


def test_a_second_run_changes_nothing_and_prints_the_logins_again(demo):
    models = (Area, Household, HouseholdIncome, CadrePairing, Visit, User, ObjectChange)
    before = [model.objects.count() for model in models]
    output = seed()
    assert [model.objects.count() for model in models] == before
    assert "nothing changed" in output
    for login in DEMO_LOGINS:
        assert login.username in output
    assert PASSWORD in output


def test_the_first_run_prints_the_logins(demo):
    assert "Demo data loaded" in demo
    assert all(f"  {login.username} " in demo for login in DEMO_LOGINS)


# --- one year, told consistently ------------------------------------------------------------------------------------


def test_nothing_in_the_demo_is_dated_after_its_year(demo):
    assert Visit.objects.aggregate(last=Max("visited_on"))["last"].year == DEMO_YEAR
    assert HouseholdIncome.objects.aggregate(last=Max("year"))["last"] == DEMO_YEAR
    assert Household.objects.aggregate(last=Max("lifted_year"))["last"] <= DEMO_YEAR
    assert Area.objects.aggregate(last=Max("lifted_year"))["last"] <= DEMO_YEAR
    assert CadrePairing.objects.aggregate(last=Max("started_on"))["last"].year <= DEMO_YEAR


def test_incomes_are_above_the_poverty_line_exactly_in_the_years_a_household_was_out_of_poverty(demo):
    wrong = []
    for income in HouseholdIncome.objects.select_related("household").iterator(chunk_size=5000):
        household = income.household
        out = household.status != HouseholdStatus.POOR and household.lifted_year <= income.year
        if out != (income.income_per_capita >= POVERTY_LINE[income.year]):
            wrong.append((household.number, household.status, household.lifted_year, income.year))
    assert wrong == []
    at_risk = HouseholdIncome.objects.filter(household__status=HouseholdStatus.AT_RISK, year=DEMO_YEAR)
    assert at_risk.aggregate(top=Max("income_per_capita"))["top"] < POVERTY_LINE[DEMO_YEAR] * Decimal("1.2")


def test_the_county_admins_home_tells_the_demo_years_story(demo):
    client = Client()
    client.force_login(User.objects.get(username="county_admin"))
    sections = client.get("/en" + reverse("home")).context["sections"]
    counts = {str(item["label"]): item.get("count") for section in sections for item in section["items"]}
    households = Household.objects.filter(village__code__range=SHOUXIAN_BOUNDS)

    # 寿县's 72 poor villages were all lifted out by 2019; some households were still poor or at risk in 2020.
    assert (counts["Poor villages"], counts["Poor villages lifted out"]) == (72, 72)
    assert "Poor villages not yet lifted" not in counts
    assert counts["Households not yet lifted out"] == households.filter(status=HouseholdStatus.POOR).count() > 0
    assert counts["Households at risk of return to poverty"] == households.filter(status="at_risk").count() > 0
