"""The public portal: `/` for visitors without a login, the county chooser, the sitemap, and what public pages
never show (personal data) or load (anything from another site).

The data are hand-made in the two-county world (sciaid/testing.py): county A (寿县) and county B (凤台县) each
publish news, an achievement, an answer; stored figures of 2020 sit in villages A1, A3 and B1.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sciaid.achievements import services as achievements
from sciaid.achievements.choices import AchievementKind, TransferMode
from sciaid.assistance.choices import KnowledgeStatus
from sciaid.assistance.models import KnowledgeEntry
from sciaid.commissioners.logs.models import VillageYearFigures
from sciaid.core.portal import recount_all
from sciaid.core.privacy import make_id_number
from sciaid.experts.models import Specialty
from sciaid.information import services as information
from sciaid.information.choices import NewsCategory
from sciaid.regions.chooser import COOKIE
from sciaid.training import services as training
from sciaid.training.choices import TrainingKind
from sciaid.training.models import TrainingKindFigures
from sciaid.training.tests.search_factories import make_article, make_knowledge

YEAR = 2020
DAY = date(YEAR, 5, 22)
PROVINCE, COUNTY_A, COUNTY_B = "340000000000", "340422000000", "340421000000"
ADMINS = {"a": "county_admin", "b": "county_admin_b"}


def publish_news(world, county: str, title: str, *, publish: bool = True):
    user = world.users[ADMINS[county]]
    item = information.save_item(
        user, area=world.areas[f"county_{county}"], title=title, category=NewsCategory.NOTICE, body="<p>春耕</p>"
    )
    information.submit_item(user, item)
    return information.publish_item(user, item, on=DAY) if publish else item


def publish_achievement(world, county: str, title: str, *, publish: bool = True):
    user = world.users[ADMINS[county]]
    item = achievements.save_achievement(
        user,
        area=world.areas[f"county_{county}"],
        industries=[Specialty.objects.get(code="river-crabs")],
        title=title,
        kind=AchievementKind.TECHNIQUE,
        owner="安徽农业大学",
        transfer_modes=[TransferMode.LICENCE],
        description="A technique.",
        contact="王老师 13905540000",
    )
    achievements.submit_achievement(user, item)
    return achievements.publish_achievement(user, item, on=DAY) if publish else item


def announce_training(world, title: str):
    user = world.users["county_admin"]
    first = timezone.localdate() + timedelta(days=10)
    event = training.save_event(
        user,
        kind=TrainingKind.PRACTICAL,
        title=title,
        organiser_name="寿县科学技术局",
        area=world.areas["village_a1"],
        starts_on=first,
        ends_on=first,
        trainers=(),
    )
    return training.publish_event(user, event)


def store_figures(world) -> None:
    """What the services would have stored for 2020 (the portal reads these tables only)."""
    for village, events, trainees in (("village_a1", 2, 30), ("village_a3", 1, 10), ("village_b1", 5, 50)):
        TrainingKindFigures.objects.create(
            area=world.areas[village], year=YEAR, kind=TrainingKind.PRACTICAL, events=events, trainees=trainees
        )
    villages = (("village_a1", 4, 3, 1, 2), ("village_b1", 7, 5, 0, 1))
    for village, services, households, varieties, techniques in villages:
        VillageYearFigures.objects.create(
            village=world.areas[village],
            year=YEAR,
            services=services,
            households=households,
            varieties=varieties,
            techniques=techniques,
        )


@pytest.fixture
def portal_world(world):
    publish_news(world, "a", "寿县春耕备耕通知")
    publish_news(world, "a", "寿县草稿通知", publish=False)
    publish_news(world, "b", "凤台县防汛通知")
    publish_achievement(world, "a", "稻虾共作技术")
    publish_achievement(world, "a", "未审核的品种", publish=False)
    publish_achievement(world, "b", "凤台大豆新品种")
    answer = make_knowledge(world, "河蟹七月死亡怎么办", "换掉三分之一的塘水。")
    KnowledgeEntry.objects.filter(pk=answer.pk).update(published_at=timezone.make_aware(timezone.datetime(YEAR, 6, 1)))
    make_knowledge(world, "待审核的问答", "还没审核。", status=KnowledgeStatus.PENDING)
    make_article(world, "稻虾共作要点", "<p>水位管理。</p>")
    announce_training(world, "小龙虾养殖现场培训")
    store_figures(world)
    recount_all()  # the stored figures and answers above were written beside their services, as a bulk load is
    return world


def figures_of(response) -> dict[str, int]:
    return {figure.label: figure.value for figure in response.context["figures"]}


def english(path: str) -> str:
    return f"/en{path}"


# --- the home page -------------------------------------------------------------------------------------------------


def test_anonymous_home_is_the_portal_of_the_five_functions_in_the_seeds_order(client, portal_world):
    response = client.get("/")

    assert response.status_code == 200
    assert response.templates[0].name == "regions/portal.html"
    assert response.context["area"].code == PROVINCE
    keys = [section.key for section in response.context["sections"]]
    assert keys == ["assistance", "demonstration", "achievements", "training", "information"]
    html = response.content.decode()
    assert reverse("accounts:login") in html
    assert "寿县春耕备耕通知" in html and "稻虾共作技术" in html and "河蟹七月死亡怎么办" in html
    assert "小龙虾养殖现场培训" in html and "稻虾共作要点" in html


def test_the_home_never_shows_what_is_not_published(client, portal_world):
    html = client.get("/").content.decode()
    assert "寿县草稿通知" not in html and "未审核的品种" not in html and "待审核的问答" not in html


def test_province_figures_are_the_sums_of_the_stored_figures(client, portal_world):
    response = client.get(english("/"))

    assert response.context["year"] == YEAR
    assert figures_of(response) == {
        "Answers published": 1,
        "Commissioner services": 11,
        "Demonstration sites": 0,
        "Households driven": 0,
        "Households helped": 8,
        "New varieties introduced": 1,
        "New techniques introduced": 3,
        "Achievements in the catalogue": 2,
        "Trainings held": 8,
        "Trainees": 90,
        "News and notices published": 2,
    }


def test_a_county_portal_counts_the_county_only(client, portal_world):
    response = client.get(english(reverse("portal:area", args=[COUNTY_B])))

    assert response.context["area"].name == "凤台县"
    assert figures_of(response) == {
        "Answers published": 0,
        "Commissioner services": 7,
        "Demonstration sites": 0,
        "Households driven": 0,
        "Households helped": 5,
        "New varieties introduced": 0,
        "New techniques introduced": 1,
        "Achievements in the catalogue": 1,
        "Trainings held": 5,
        "Trainees": 50,
        "News and notices published": 1,
    }
    html = response.content.decode()
    assert "凤台县防汛通知" in html and "寿县春耕备耕通知" not in html


@pytest.mark.parametrize("code", ["340422105201", "999999000000", "3404"])
def test_only_provinces_cities_and_counties_have_a_portal(client, portal_world, code):
    assert client.get(f"/portal/{code}/").status_code == 404


def test_logged_in_users_keep_their_role_home(client_for, portal_world):
    response = client_for("county_admin").get("/")
    assert response.templates[0].name == "core/home.html"
    assert "sections" in response.context and "figures" not in response.context


def test_the_home_queries_a_constant_number_of_times(client, portal_world, django_assert_max_num_queries):
    client.get("/")  # warm caches (content types, translations) the measurement is not about
    # The area and those above it, two latest years, and per function its latest items and figures (one or two each).
    with django_assert_max_num_queries(17):
        client.get("/")
    for n in range(5):
        publish_news(portal_world, "a", f"更多通知 {n}")
        make_article(portal_world, f"更多文章 {n}")
    with django_assert_max_num_queries(17):
        client.get("/", HTTP_COOKIE=f"{COOKIE}={COUNTY_A}")


# --- the chooser ---------------------------------------------------------------------------------------------------


def choose(client: Client, code: str, next_url: str = "/"):
    return client.post(reverse("portal:choose"), {"area": code, "next": next_url})


def test_the_chooser_walks_province_city_county(client, portal_world):
    provinces = client.get(reverse("portal:choose")).context["options"]
    assert [(area.name, drillable) for area, drillable in provinces] == [("安徽省", True)]
    cities = client.get(reverse("portal:choose"), {"in": PROVINCE}).context["options"]
    assert [area.name for area, _drillable in cities] == ["淮南市"]
    counties = client.get(reverse("portal:choose"), {"in": "340400000000"}).context["options"]
    assert [(area.name, drillable) for area, drillable in counties] == [("凤台县", False), ("寿县", False)]


def test_the_chosen_county_is_remembered_and_filters_the_public_pages(client, portal_world):
    response = choose(client, COUNTY_B, "/news/")
    assert response.status_code == 302 and response["Location"] == "/news/"

    home = client.get("/")
    assert home.context["area"].name == "凤台县"
    assert "凤台县防汛通知" in home.content.decode() and "寿县春耕备耕通知" not in home.content.decode()
    # The header names the chosen county on every public page.
    assert "凤台县" in client.get(reverse("qa:list")).content.decode().split("</header>")[0]
    # Lists filter by it: no answer comes from county B.
    assert list(client.get(reverse("qa:list")).context["object_list"]) == []
    # Unless the link says otherwise: an empty area means everywhere.
    assert len(client.get(reverse("qa:list"), {"area": ""}).context["object_list"]) == 1
    # Training's counties list shows the chosen county's only (A has the trainings).
    assert list(client.get(reverse("training:public-counties")).context["counties"]) == []


def test_forgetting_the_choice_brings_the_province_back(client, portal_world):
    choose(client, COUNTY_B)
    choose(client, "")
    assert client.get("/").context["area"].code == PROVINCE


@pytest.mark.parametrize("code", ["340422105201", "12345", "<script>"])
def test_a_bad_choice_is_refused_with_a_message_and_remembers_nothing(client, portal_world, code, english):
    response = choose(client, code)
    assert response.status_code == 400
    assert "Choose a province, a city or a county" in response.content.decode()
    assert COOKIE not in response.cookies


def test_the_chooser_only_goes_back_to_this_site(client, portal_world):
    assert choose(client, COUNTY_A, "https://evil.example/").headers["Location"] == "/"


# --- the public questions and answers ------------------------------------------------------------------------------


def test_the_public_answers_list_published_entries_and_how_to_ask(client, portal_world):
    response = client.get(reverse("qa:list"))
    titles = [entry.title for entry in response.context["object_list"]]
    assert titles == ["河蟹七月死亡怎么办"]
    assert 'id="ask"' in response.content.decode()


def test_an_unpublished_answer_is_404_for_the_public(client, portal_world):
    pending = KnowledgeEntry.objects.get(title="待审核的问答")
    published = KnowledgeEntry.objects.get(title="河蟹七月死亡怎么办")
    assert client.get(reverse("qa:detail", args=[pending.pk])).status_code == 404
    assert "换掉三分之一的塘水" in client.get(reverse("qa:detail", args=[published.pk])).content.decode()


def test_the_answers_list_queries_a_constant_number_of_times(client, portal_world, django_assert_max_num_queries):
    for n in range(5):
        make_knowledge(portal_world, f"问答 {n}", "答案。")
    with django_assert_max_num_queries(6):
        client.get(reverse("qa:list"))


# --- sitemap and privacy -------------------------------------------------------------------------------------------


def sitemap_urls(client) -> list[str]:
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for section in (node.text for node in index.iter() if node.tag.endswith("loc")):
        page = client.get(section.removeprefix("http://testserver"))
        assert page.status_code == 200, section
        urls += [node.text for node in ElementTree.fromstring(page.content).iter() if node.tag.endswith("loc")]
    return [url.removeprefix("http://testserver") for url in urls]


def test_the_sitemap_lists_published_items_only(client, portal_world):
    urls = sitemap_urls(client)

    assert "/" in urls and f"/portal/{COUNTY_A}/" in urls
    published = KnowledgeEntry.objects.get(title="河蟹七月死亡怎么办")
    pending = KnowledgeEntry.objects.get(title="待审核的问答")
    assert reverse("qa:detail", args=[published.pk]) in urls
    assert reverse("qa:detail", args=[pending.pk]) not in urls
    pages = "\n".join(client.get(url).content.decode() for url in urls if "/news/" in url or "/achievements/" in url)
    assert "寿县春耕备耕通知" in pages and "稻虾共作技术" in pages
    assert "寿县草稿通知" not in pages and "未审核的品种" not in pages
    assert any(url.startswith("/training/public/events/") for url in urls)


def personal_data(world) -> list[str]:
    """What identifies a person in the world: household heads' names, phones and ID numbers (full and masked), the
    cadres' names, the users' e-mail addresses, an achievement's contact."""
    values = []
    for i, household in enumerate(world.households.values(), start=1):
        number = make_id_number(i, region=household.village.code[:6])
        values += [household.head_name, household.phone, number, household.id_number_masked]
    values += [pairing.cadre_name for household in world.households.values() for pairing in household.pairings.all()]
    values += [user.email for user in world.users.values() if user.email]
    # The achievements' contact is for logged-in users only.
    return [*values, "13905540000"]


EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//(?!testserver)""", re.IGNORECASE)


def test_no_public_page_shows_personal_data_or_loads_another_site(client, portal_world):
    choose(client, COUNTY_A)
    urls = {*sitemap_urls(client), reverse("portal:choose"), reverse("qa:list"), "/news/prices/", "/achievements/"}
    secrets = personal_data(portal_world)
    assert len(urls) > 12 and len(secrets) > 12
    for url in sorted(urls):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        leaked = [secret for secret in secrets if secret in html]
        assert leaked == [], f"{url} shows {leaked}"
        assert not EXTERNAL.search(html), f"{url} loads another site"
        assert '<meta name="description" content="' in html and "<title>" in html, url
