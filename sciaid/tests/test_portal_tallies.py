"""The portal's tallies (`core.portal`): the services that publish, withdraw and change what the portal counts keep
its figures right as they go, without a recount; `refresh_portal_tallies` repairs rows written beside them; two
publications at the same moment both count; the home page reads a pinned number of queries.

Figures are read as a visitor reads them: from the portal page of the province or of a county (two-county world of
sciaid/testing.py: county A 寿县 and county B 凤台县 under the city 淮南市 of 安徽省).
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from sciaid.achievements import services as achievements
from sciaid.achievements.choices import AchievementKind, TransferMode
from sciaid.assistance.choices import KnowledgeStatus
from sciaid.assistance.services import knowledge
from sciaid.commissioners.logs import services as logs
from sciaid.commissioners.logs.choices import ServiceKind
from sciaid.core.models import PortalTally
from sciaid.demonstration import services as demonstration
from sciaid.demonstration.choices import OperatorKind
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.information import services as information
from sciaid.information.choices import NewsCategory
from sciaid.information.models import NewsItem
from sciaid.regions.chooser import COOKIE
from sciaid.testing import at_once
from sciaid.training import services as training
from sciaid.training.choices import TrainingKind
from sciaid.training.tests.search_factories import make_knowledge

PROVINCE, COUNTY_A, COUNTY_B = "340000000000", "340422000000", "340421000000"
NEWS, CATALOGUE, ANSWERS = "News and notices published", "Achievements in the catalogue", "Answers published"
SITES, DRIVEN, HELD, SERVICES = "Demonstration sites", "Households driven", "Trainings held", "Commissioner services"


def figures(client, code: str = PROVINCE) -> dict[str, int]:
    """The headline figures of an area's portal page, by their English label."""
    response = client.get(f"/en/portal/{code}/")
    assert response.status_code == 200
    return {figure.label: figure.value for figure in response.context["figures"]}


def seen(client, label: str) -> tuple[int, int, int]:
    """A figure as the province, county A and county B show it."""
    return tuple(figures(client, code)[label] for code in (PROVINCE, COUNTY_A, COUNTY_B))


def news(world, user: str, area: str, title: str) -> NewsItem:
    """A news item in review, for `area`, by `user`."""
    item = information.save_item(
        world.users[user], area=world.areas[area], title=title, category=NewsCategory.NOTICE, body="<p>春耕</p>"
    )
    return information.submit_item(world.users[user], item)


def test_news_count_where_they_are_published_and_for_the_areas_below(client, world):
    county = news(world, "county_admin", "county_a", "寿县春耕备耕通知")
    province = news(world, "admin", "province", "全省科技扶贫通知")
    assert seen(client, NEWS) == (0, 0, 0)

    information.publish_item(world.county_admin, county)
    assert seen(client, NEWS) == (1, 1, 0)
    # What the province publishes is for the people of every county too.
    information.publish_item(world.admin, province)
    assert seen(client, NEWS) == (2, 2, 1)

    information.withdraw_item(world.county_admin, county, "过时")
    assert seen(client, NEWS) == (1, 1, 1)


def test_the_catalogue_grows_on_publishing_and_shrinks_on_withdrawing(client, world):
    user = world.county_admin_b
    item = achievements.save_achievement(
        user,
        area=world.county_b,
        industries=[Specialty.objects.get(code="river-crabs")],
        title="凤台大豆新品种",
        kind=AchievementKind.VARIETY,
        owner="安徽农业大学",
        transfer_modes=[TransferMode.LICENCE],
        description="A variety.",
    )
    achievements.submit_achievement(user, item)
    assert seen(client, CATALOGUE) == (0, 0, 0)

    achievements.publish_achievement(user, item)
    assert seen(client, CATALOGUE) == (1, 0, 1)

    achievements.withdraw_achievement(user, item, "已过时")
    assert seen(client, CATALOGUE) == (0, 0, 0)


def test_answers_count_when_published_and_stop_when_dismissed(client, world):
    entry = make_knowledge(world, "河蟹七月死亡怎么办", "换掉三分之一的塘水。", status=KnowledgeStatus.PENDING)
    assert seen(client, ANSWERS) == (0, 0, 0)

    knowledge.publish_knowledge(world.county_admin, entry)
    assert seen(client, ANSWERS) == (1, 1, 0)

    knowledge.dismiss_knowledge(world.county_admin, entry, "不宜公开")
    assert seen(client, ANSWERS) == (0, 0, 0)


def site_fields(world, village: str) -> dict:
    return {
        "name": "寿县河蟹绿色养殖示范基地",
        "operator_kind": OperatorKind.ENTERPRISE,
        "operator_name": "寿县益丰生态农业有限公司",
        "industry": Specialty.objects.get(code="river-crabs"),
        "area_mu": Decimal("1200"),
        "village": world.areas[village],
    }


def record(world, site, households: int) -> None:
    year = timezone.localdate().year
    values = {"output": 10, "yield_per_mu": 100, "income": 1000, "poor_income_increase": 10}
    demonstration.record_figures(world.county_admin, site, year=year, households_driven=households, **values)


def test_a_site_counts_with_its_figures_once_public_and_moves_with_its_village(client, world):
    site = demonstration.save_site(world.county_admin, **site_fields(world, "village_a1"))
    record(world, site, 40)
    assert seen(client, SITES) == seen(client, DRIVEN) == (0, 0, 0)  # still being entered

    demonstration.publish_site(world.county_admin, site)
    assert seen(client, SITES) == (1, 1, 0)
    assert seen(client, DRIVEN) == (40, 40, 0)

    record(world, site, 55)  # a correction of the year
    assert seen(client, DRIVEN) == (55, 55, 0)

    site.refresh_from_db()
    demonstration.save_site(world.admin, instance=site, village=world.village_b1)
    assert seen(client, SITES) == (1, 0, 1)
    assert seen(client, DRIVEN) == (55, 0, 55)

    demonstration.delete_figures(world.admin, site.figures.get())
    assert seen(client, DRIVEN) == (0, 0, 0)


def test_trainings_held_count_from_the_stored_training_figures(client, world):
    today = timezone.localdate()
    event = training.save_event(
        world.county_admin,
        kind=TrainingKind.PRACTICAL,
        title="小龙虾养殖现场培训",
        organiser_name="寿县科学技术局",
        area=world.village_a1,
        starts_on=today,
        ends_on=today,
        trainers=(),
    )
    training.publish_event(world.county_admin, event)
    assert seen(client, HELD) == (0, 0, 0)

    training.hold_event(world.county_admin, event)
    assert seen(client, HELD) == (1, 1, 0)


def test_commissioner_services_count_from_the_stored_village_figures(client, world):
    expert = Expert.objects.create(
        user=world.expert, name="王建国", organisation="淮南市水产站", home_area=world.city, is_commissioner=True
    )
    day = timezone.localdate()
    Pairing.objects.create(expert=expert, village=world.village_b1, year=day.year)
    assert seen(client, SERVICES) == (0, 0, 0)

    logs.import_log(
        world.county_admin_b,
        expert=expert,
        village=world.village_b1,
        kind=ServiceKind.GUIDANCE,
        served_on=day,
        summary="田间指导",
    )
    assert seen(client, SERVICES) == (1, 0, 1)


def test_the_command_repairs_rows_written_beside_the_services(client, world):
    make_knowledge(world, "河蟹七月死亡怎么办", "换掉三分之一的塘水。")  # written directly, as a bulk load does
    item = news(world, "county_admin", "county_a", "寿县春耕备耕通知")
    information.publish_item(world.county_admin, item)
    PortalTally.objects.update(value=999)  # drift
    out = StringIO()

    call_command("refresh_portal_tallies", stdout=out)

    assert "portal figures recounted" in out.getvalue()
    assert seen(client, ANSWERS) == (1, 1, 0)
    assert seen(client, NEWS) == (1, 1, 0)
    with pytest.raises(CommandError, match="unknown tallies"):
        call_command("refresh_portal_tallies", "no-such-tally")


def test_the_home_reads_a_pinned_number_of_queries(client, world, django_assert_num_queries):
    for n in range(3):
        information.publish_item(world.county_admin, news(world, "county_admin", "county_a", f"通知 {n}"))
    client.get("/")  # warm caches (content types, translations) the measurement is not about
    # The province; the two latest years; the area's tallies and the areas publishing for it (read once for every
    # function); the latest items of the five entrances (training: events and articles).
    with django_assert_num_queries(11):
        client.get("/")
    # A county adds the areas above it (the trail); the chosen county is read from the cookie instead of the
    # province.
    with django_assert_num_queries(12):
        client.get("/", HTTP_COOKIE=f"{COOKIE}={COUNTY_A}")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_publications_in_one_county_at_once_both_count(client, world):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections with row locks: run with DATABASE_URL on PostgreSQL")
    items = [news(world, "county_admin", "county_a", title) for title in ("春耕通知", "防汛通知")]
    outcomes = at_once(
        *[
            lambda item=item: information.publish_item(world.county_admin, NewsItem.objects.get(pk=item.pk))
            for item in items
        ]
    )
    assert not [outcome for outcome in outcomes if isinstance(outcome, BaseException)], outcomes
    assert seen(client, NEWS) == (2, 2, 0)
    assert PortalTally.objects.filter(key="information_news", area_code=COUNTY_A).count() == 1
