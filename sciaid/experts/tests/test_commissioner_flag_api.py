"""`is_commissioner` is read-only in the experts API: commissioners come only from an approved selection batch (or
the roster import), so a request that would make or unmake one is refused with a 400 saying so, and nothing is
written; sending the current value back (a PUT of what a GET returned) is accepted."""

import pytest
from django.urls import reverse

from sciaid.experts.models import Expert

pytestmark = pytest.mark.django_db

NEW = {"name": "周新", "organisation": "寿县农业技术推广中心", "specialties": ["grain"], "phone": "13905547777"}


def body(world, **extra) -> dict:
    return {"username": "apiexpert", "home_area": world.county_a.code, **NEW, **extra}


@pytest.mark.parametrize("value", [True, "true", 1])
def test_creating_a_commissioner_by_the_flag_is_refused(world, api_for, value):
    response = api_for("county_admin").post(reverse("expert-list"), body(world, is_commissioner=value), format="json")
    assert response.status_code == 400
    assert "selection batch" in response.json()["is_commissioner"][0]
    assert not Expert.objects.filter(user__username="apiexpert").exists()


def test_an_expert_is_created_without_the_flag_and_is_no_commissioner(world, api_for):
    created = api_for("county_admin").post(reverse("expert-list"), body(world), format="json")
    assert created.status_code == 201 and created.json()["is_commissioner"] is False
    explicit = api_for("county_admin").post(
        reverse("expert-list"), body(world, username="plain2", is_commissioner=False), format="json"
    )
    assert explicit.status_code == 201 and explicit.json()["is_commissioner"] is False


def test_the_flag_cannot_be_changed_by_patch_or_put(world, api_for, make_expert):
    plain = make_expert("plain", is_commissioner=False)
    commissioner = make_expert("chosen")
    client = api_for("county_admin")
    made = client.patch(reverse("expert-detail", args=[plain.pk]), {"is_commissioner": True}, format="json")
    assert made.status_code == 400 and "is_commissioner" in made.json()
    unmade = client.patch(reverse("expert-detail", args=[commissioner.pk]), {"is_commissioner": False}, format="json")
    assert unmade.status_code == 400
    assert (
        api_for("admin")
        .patch(reverse("expert-detail", args=[plain.pk]), {"is_commissioner": "yes"}, format="json")
        .status_code
        == 400
    )
    garbage = client.patch(reverse("expert-detail", args=[plain.pk]), {"is_commissioner": "perhaps"}, format="json")
    assert garbage.status_code == 400 and "is_commissioner" in garbage.json()
    assert Expert.objects.filter(pk=plain.pk, is_commissioner=False).exists()
    assert Expert.objects.filter(pk=commissioner.pk, is_commissioner=True).exists()


def test_sending_the_current_value_back_is_accepted(world, api_for, make_expert):
    commissioner = make_expert("chosen")
    client = api_for("county_admin")
    url = reverse("expert-detail", args=[commissioner.pk])
    current = client.get(url).json()
    assert current["is_commissioner"] is True
    again = client.patch(url, {"is_commissioner": True, "organisation": "安徽农业大学 植保学院"}, format="json")
    assert again.status_code == 200 and again.json()["organisation"] == "安徽农业大学 植保学院"


def test_the_schema_marks_the_flag_read_only(world, api_for):
    schema = api_for("county_admin").get(reverse("api-schema"), {"format": "json"}).json()
    assert "is_commissioner" not in schema["components"]["schemas"]["ExpertRequest"]["properties"]
    assert schema["components"]["schemas"]["Expert"]["properties"]["is_commissioner"]["readOnly"] is True
