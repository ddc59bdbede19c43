"""The `demo-sites` and `site-figures` endpoints with credentials: writes by role, structured refusals."""

import pytest

from sciaid.demonstration.models import DemoSite, SiteFigures

pytestmark = pytest.mark.django_db


def new_site(world, **overrides) -> dict:
    return {
        "name": "正阳关镇稻虾共作示范基地",
        "kind": "base",
        "operator_kind": "cooperative",
        "operator_name": "寿县正阳关镇水稻种植合作社",
        "village": world.village_a1.code,
        "industry": "crayfish",
        "area_mu": "800.00",
        "households_driven": 30,
        "poor_households_driven": 1,
        "poor_households": [world.household_a1.number],
        **overrides,
    }


def test_a_county_admin_creates_publishes_and_reads_a_site(world, api_for):
    client = api_for("county_admin")
    created = client.post("/api/v1/demo-sites/", new_site(world), format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.post(f"/api/v1/demo-sites/{pk}/publish/").json()["status"] == "active"
    assert client.post(f"/api/v1/demo-sites/{pk}/publish/").status_code == 409
    assert client.get(f"/api/v1/demo-sites/{pk}/").json()["poor_households"] == [world.household_a1.number]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"area_mu": "-5"}, "area_mu"),
        ({"village": "340421101201"}, "village"),
        ({"poor_households_driven": 50}, "poor_households_driven"),
        ({"poor_households": ["340421101201" + "0004"]}, "poor_households"),
        ({"latitude": "32.1"}, "longitude"),
    ],
)
def test_bad_input_is_a_structured_400_and_nothing_is_written(world, api_for, overrides, field):
    response = api_for("county_admin").post("/api/v1/demo-sites/", new_site(world, **overrides), format="json")
    assert response.status_code == 400 and field in response.json()
    assert not DemoSite.objects.exists()


def test_other_roles_may_not_create_sites(world, api_for):
    assert api_for("expert").post("/api/v1/demo-sites/", new_site(world), format="json").status_code == 403


def test_figures_are_posted_then_corrected(world, api_for, make_site, figures):
    site = make_site()
    client = api_for("county_admin")
    body = {"site": site.pk, "year": 2019, **{k: str(v) for k, v in figures.items()}}
    assert client.post("/api/v1/site-figures/", body, format="json").status_code == 201
    assert client.post("/api/v1/site-figures/", {**body, "income": "1.00"}, format="json").status_code == 200
    assert SiteFigures.objects.get().income == 1
    assert api_for("supervisor").post("/api/v1/site-figures/", body, format="json").status_code == 403
    assert api_for("county_admin_b").post("/api/v1/site-figures/", body, format="json").status_code == 400


def test_another_countys_site_is_a_404(world, api_for, make_site):
    site = make_site()
    assert api_for("county_admin_b").get(f"/api/v1/demo-sites/{site.pk}/").status_code == 404
    assert api_for("county_admin_b").patch(f"/api/v1/demo-sites/{site.pk}/", {"name": "x"}).status_code == 404
