"""The experts, specialties and pairings endpoints: per role, masking, writes through services, flat query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciaid.experts.models import Expert, Pairing


def test_list_per_role(world, api_for, make_expert):
    make_expert("crab_a", name="李蟹")
    make_expert("prov", home="province", name="张省")
    make_expert("b_expert", home="county_b", name="赵外")
    url = reverse("expert-list")
    names = lambda persona: {row["name"] for row in api_for(persona).get(url).json()["results"]}  # noqa: E731
    assert names("triage") == {"李蟹", "张省"}
    assert names("county_admin_b") == {"赵外", "张省"}
    assert names("farmer") == set()
    assert names("admin") == {"李蟹", "张省", "赵外"}


def test_phone_is_masked_by_role(world, api_for, make_expert):
    expert = make_expert("crab_a", phone="13905541111")
    url = reverse("expert-detail", args=[expert.pk])
    assert api_for("county_admin").get(url).json()["phone"] == "13905541111"
    assert api_for("triage").get(url).json()["phone"] == "139****1111"


def test_create_update_and_deactivate_through_services(world, api_for):
    client = api_for("county_admin")
    data = {
        "username": "apiexpert",
        "name": "周新",
        "organisation": "寿县农业技术推广中心",
        "home_area": world.county_a.code,
        "specialties": ["grain"],
        "phone": "13905547777",
    }
    response = client.post(reverse("expert-list"), data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["level"] == "county"
    pk = response.json()["id"]
    response = client.patch(reverse("expert-detail", args=[pk]), {"specialties": ["tea", "pigs"]}, format="json")
    assert sorted(response.json()["specialties"]) == ["pigs", "tea"]
    assert client.post(reverse("expert-deactivate", args=[pk])).json()["is_active"] is False
    bad = client.post(
        reverse("expert-list"), {**data, "username": "x2", "home_area": world.county_b.code}, format="json"
    )
    assert bad.status_code == 400
    assert api_for("triage").post(reverse("expert-list"), data, format="json").status_code == 403


def test_an_expert_updates_their_own_profile_only(world, api_for, make_expert):
    expert = make_expert("expert")
    client = api_for("expert")
    url = reverse("expert-detail", args=[expert.pk])
    assert client.patch(url, {"expertise": "稻虾共作"}, format="json").status_code == 200
    assert client.patch(url, {"name": "别人"}, format="json").status_code == 403
    assert Expert.objects.get(pk=expert.pk).name == "expert"


def test_specialties_read_for_all_written_by_platform_admins(world, api_for):
    url = reverse("specialty-list")
    assert api_for("farmer").get(url, {"page_size": 100}).json()["count"] > 20
    new = {"code": "rabbits", "name_zh": "兔", "name_en": "Rabbits", "parent": "breeding"}
    assert api_for("county_admin").post(url, new, format="json").status_code == 403
    assert api_for("admin").post(url, new, format="json").status_code == 201


def test_pairings_created_via_the_service(world, api_for, make_expert):
    expert = make_expert("crab_a", name="李明")
    client = api_for("county_admin")
    data = {"expert": expert.pk, "village": world.village_a1.code, "year": 2020}
    assert client.post(reverse("pairing-list"), data, format="json").status_code == 201
    again = client.post(reverse("pairing-list"), data, format="json")
    assert again.status_code == 400 and "already paired" in str(again.json())
    other = {**data, "village": world.village_b1.code}
    assert client.post(reverse("pairing-list"), other, format="json").status_code == 400
    assert Pairing.objects.count() == 1
    assert api_for("county_admin_b").get(reverse("pairing-list")).json()["count"] == 0


def test_query_counts_are_flat(world, api_for, make_expert):
    client = api_for("county_admin")
    url = reverse("expert-list")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"page_size": 100}).status_code == 200
        return len(queries)

    for i in range(3):
        make_expert(f"e{i}", specialties=["tea", "pigs"], service_areas=[world.township_a1])
    three = count()
    for i in range(3, 30):
        make_expert(f"e{i}", specialties=["tea", "pigs"], service_areas=[world.township_a1])
    assert count() == three
