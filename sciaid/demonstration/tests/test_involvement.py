"""Commissioners' workstations and projects involved in a site (issue 11): a workstation is located at a site, a
project demonstrates at sites; the site's page lists them to those who may open them, and the public page never."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sciaid.commissioners.workstations import services as workstations
from sciaid.commissioners.workstations.choices import WorkstationStatus
from sciaid.commissioners.workstations.models import Workstation
from sciaid.projects import services as projects
from sciaid.projects.choices import CallKind
from sciaid.projects.models import Project

pytestmark = pytest.mark.usefixtures("english")


def filed(world, **fields) -> Workstation:
    """An application filed by the province (set directly: its review is not what these tests are about)."""
    station = apply(world, **fields)
    Workstation.objects.filter(pk=station.pk).update(status=WorkstationStatus.FILED)
    station.refresh_from_db()
    return station


def apply(world, **fields) -> Workstation:
    fields = {
        "village": world.village_a1,
        "name": "寿县河蟹科技特派员工作站",
        "organisation": "寿县益丰生态农业有限公司",
        "industry": "河蟹养殖",
        "plan": "示范推广河蟹生态养殖。",
        **fields,
    }
    return workstations.apply_workstation(world.applicant, **fields)


@pytest.fixture
def call(world):
    return projects.create_call(
        world.county_admin,
        area=world.county_a,
        title="2020年度科技扶贫示范项目申报",
        year=2020,
        kind=CallKind.DEMONSTRATION,
        budget_cap=Decimal("298000"),
        per_project_cap=Decimal("100000"),
        deadline=timezone.localdate() + timedelta(days=30),
    )


def declare(world, call, **fields) -> Project:
    return projects.declare(
        world.applicant, call, title="河蟹生态养殖技术示范", industry="河蟹养殖", requested_amount=Decimal("80000"),
        organisation="寿县益丰生态农业有限公司", villages=[world.village_a1], **fields,
    )  # fmt: skip


def listed(client, site) -> list[str]:
    response = client.get(reverse("demonstration:site-detail", args=[site.pk]))
    assert response.status_code == 200
    return [label for _kind, label, _url in response.context["involved"]]


def test_the_site_page_lists_the_station_and_the_project_to_those_who_may_open_them(client_for, world, make_site, call):
    site = make_site()
    station = apply(world, demo_site=site)
    project = declare(world, call, demo_sites=[site])

    admin = client_for("county_admin")
    assert sorted(listed(admin, site)) == sorted(["寿县河蟹科技特派员工作站", "河蟹生态养殖技术示范"])
    html = admin.get(reverse("demonstration:site-detail", args=[site.pk])).content.decode()
    assert station.get_absolute_url() in html and project.get_absolute_url() in html
    # The farmer of the village reads the site, but opens neither the station nor the project.
    assert listed(client_for("farmer"), site) == []


def test_the_public_page_of_the_site_shows_neither(client, world, make_site, call):
    site = make_site()
    apply(world, demo_site=site)
    declare(world, call, demo_sites=[site])

    html = client.get(reverse("demonstration:public-detail", args=[site.pk])).content.decode()

    assert "寿县河蟹科技特派员工作站" not in html and "河蟹生态养殖技术示范" not in html


def test_a_station_or_project_links_only_to_a_site_of_its_county(world, make_site, call):
    other = make_site(village="village_b1", by="county_admin_b", name="凤台县大豆示范基地")
    with pytest.raises(ValidationError) as refused:
        apply(world, demo_site=other)
    assert "host village's county" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        declare(world, call, demo_sites=[other])
    assert "demonstration sites of the county" in str(refused.value)


def test_the_county_moves_a_filed_station_to_a_site_through_the_api(client_for, world, make_site):
    station = filed(world)
    site = make_site()
    api = client_for("county_admin")
    url = reverse("workstation-locate", args=[station.pk])

    response = api.post(url, {"demo_site": site.pk}, content_type="application/json")
    assert response.status_code == 200 and response.json()["demo_site"] == site.pk
    assert response.json()["demo_site_name"] == site.name
    assert listed(api, site) == ["寿县河蟹科技特派员工作站"]

    # The applicant does not decide where the county records its station.
    denied = client_for("applicant").post(url, {"demo_site": None}, content_type="application/json")
    assert denied.status_code in (403, 404)
    assert api.post(url, {"demo_site": None}, content_type="application/json").json()["demo_site"] is None
    assert listed(api, site) == []
    # An application under way keeps the site its applicant named.
    applied = apply(world, name="寿县湖羊工作站")
    late = api.post(reverse("workstation-locate", args=[applied.pk]), {"demo_site": site.pk}, "application/json")
    assert late.status_code == 409


def test_the_county_records_the_site_on_the_station_page(client_for, world, make_site):
    station = filed(world)
    site = make_site()
    page = client_for("county_admin")
    url = reverse("commissioners:workstation-action", args=[station.pk, "locate"])

    response = page.post(url, {"demo_site": site.pk})

    assert response.status_code == 302
    station.refresh_from_db()
    assert station.demo_site == site
    assert site.name in page.get(station.get_absolute_url()).content.decode()


def test_a_draft_declaration_changes_its_sites(client_for, world, make_site, call):
    project = declare(world, call)
    site = make_site()
    api = client_for("applicant")

    response = api.patch(
        reverse("project-detail", args=[project.pk]), {"demo_sites": [site.pk]}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["demo_sites"] == [site.pk]
    assert list(project.demo_sites.all()) == [site]
