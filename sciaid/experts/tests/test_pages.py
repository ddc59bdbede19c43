"""The experts pages: list and filters, detail with masking, forms, pairings, specialties; Chinese and /en/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.experts.tests.conftest import spec


@pytest.fixture
def experts(world, make_expert):
    return {
        "crab": make_expert("crab_a", name="李蟹", expertise="河蟹生态养殖", phone="13905541111"),
        "tea": make_expert(
            "tea_a", name="王茶", specialties=["tea"], organisation="寿县农业农村局", is_commissioner=False
        ),
        "prov": make_expert("prov", home="province", name="张省", specialties=["pigs"]),
        "other": make_expert("b_expert", home="county_b", name="赵外"),
    }


def names(response) -> set[str]:
    assert response.status_code == 200
    return {expert.name for expert in response.context["object_list"]}


def test_triage_sees_province_experts_but_not_another_countys(client_for, experts):
    assert names(client_for("triage").get(reverse("experts:expert-list"))) == {"李蟹", "王茶", "张省"}


def test_list_filters(client_for, experts):
    client = client_for("county_admin")
    url = reverse("experts:expert-list")
    assert names(client.get(url, {"specialty": "breeding"})) == {"李蟹", "张省"}  # the subtree
    assert names(client.get(url, {"specialty": "aquaculture"})) == {"李蟹"}
    assert names(client.get(url, {"level": "province"})) == {"张省"}
    assert names(client.get(url, {"commissioner": "false"})) == {"王茶"}
    assert names(client.get(url, {"q": "河蟹"})) == {"李蟹"}
    assert names(client.get(url, {"q": "农业农村局"})) == {"王茶"}


def test_phone_is_masked_for_roles_without_personal_data_rights(client_for, experts):
    url = reverse("experts:expert-detail", args=[experts["crab"].pk])
    assert "13905541111" in client_for("county_admin").get(url).content.decode()
    page = client_for("triage").get(url).content.decode()
    assert "13905541111" not in page and "139****1111" in page
    listing = client_for("triage").get(reverse("experts:expert-list")).content.decode()
    assert "13905541111" not in listing


def test_an_expert_sees_and_edits_their_own_profile(world, client_for, make_expert):
    expert = make_expert("expert", name="王海", phone="13905542222")
    client = client_for("expert")
    assert "13905542222" in client.get(expert.get_absolute_url()).content.decode()
    url = reverse("experts:expert-edit", args=[expert.pk])
    form = client.get(url).context["form"]
    assert set(form.fields) == {"expertise", "availability", "phone"}
    response = client.post(url, {"expertise": "稻虾共作", "availability": "周末", "phone": "13905543333"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.expertise, expert.phone) == ("稻虾共作", "13905543333")
    assert [e.name for e in client.get(reverse("experts:expert-list")).context["object_list"]] == ["王海"]


def test_county_admin_creates_an_expert_from_the_form(world, client_for):
    client = client_for("county_admin")
    url = reverse("experts:expert-create")
    form = client.get(url).context["form"]
    assert world.township_b1.code not in {a.code for a in form.fields["service_areas"].queryset}
    assert "/en/" not in url
    data = {
        "username": "newexpert",
        "name": "陈新",
        "organisation": "寿县农业技术推广中心",
        "home_area": world.county_a.code,
        "specialties": [str(spec("grain").pk), str(spec("vegetables").pk)],
        "service_areas": [world.township_a1.code],
        "expertise": "小麦赤霉病防治",
        "phone": "139 0554 1234",
        "is_commissioner": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    expert = Expert.objects.get(name="陈新")
    # A forged commissioner flag is ignored: commissioners come only from selection (the form has no such field).
    assert expert.phone == "13905541234" and not expert.is_commissioner
    assert set(expert.specialties.values_list("code", flat=True)) == {"grain", "vegetables"}


def test_the_form_explains_errors(world, client_for):
    response = client_for("county_admin").post(
        reverse("experts:expert-create"), {"username": "x", "name": "x", "home_area": world.county_b.code}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"organisation", "home_area", "specialties"} <= set(errors)
    assert not Expert.objects.exists()


def test_roles_without_rights_cannot_open_the_create_form(client_for):
    for persona in ("triage", "expert", "farmer"):
        assert client_for(persona).get(reverse("experts:expert-create")).status_code == 403


def test_pairing_pages(english, world, client_for, experts):
    client = client_for("county_admin")
    response = client.post(
        reverse("experts:pairing-create"),
        {"expert": experts["crab"].pk, "village": world.village_a1.code, "year": 2020},
    )
    assert response.status_code == 302
    again = client.post(
        reverse("experts:pairing-create"),
        {"expert": experts["crab"].pk, "village": world.village_a1.code, "year": 2020},
    )
    assert "already paired" in again.content.decode()
    listing = client.get(reverse("experts:pairing-list"), {"year": 2020, "township": world.township_a1.code})
    assert [p.village for p in listing.context["object_list"]] == [world.village_a1]
    assert client.get(reverse("experts:pairing-list"), {"year": 2019}).context["object_list"].count() == 0
    exported = client.get(reverse("experts:pairing-list"), {"export": "csv"})
    body = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert "姚祠村" in body and "李蟹" in body
    pairing = Pairing.objects.get()
    assert client.post(reverse("experts:pairing-delete", args=[pairing.pk])).status_code == 302
    assert not Pairing.objects.exists()


def test_pages_work_in_english(world, client_for, experts):
    client = client_for("county_admin")
    page = client.get("/en/experts/", {"specialty": "aquaculture"}).content.decode()
    assert "Experts" in page and "River crabs" in page
    detail = client.get(f"/en/experts/{experts['crab'].pk}/").content.decode()
    assert "Commissioner pairings" in detail
    chinese = client.get(reverse("experts:specialty-list")).content.decode()
    assert "河蟹" in chinese and "种植业" in chinese


def test_platform_admin_edits_the_specialty_tree(client_for):
    client = client_for("admin")
    response = client.post(
        reverse("experts:specialty-create"),
        {"code": "rabbits", "name_zh": "兔", "name_en": "Rabbits", "parent": spec("breeding").pk, "position": 9},
    )
    assert response.status_code == 302
    assert Specialty.objects.get(code="rabbits").parent == spec("breeding")
    assert client_for("county_admin").get(reverse("experts:specialty-create")).status_code == 403


def test_list_query_count_does_not_grow(client_for, make_expert):
    client = client_for("county_admin")
    url = reverse("experts:expert-list")
    make_expert("e0")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(1, 12):
        make_expert(f"e{i}", specialties=["tea", "pigs"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
