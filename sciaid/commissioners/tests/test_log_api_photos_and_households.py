"""Service logs through the API with their photos, and the households a commissioner may name: those of the villages
they serve, read-only and masked, with any other household id refused as if it did not exist."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sciaid.commissioners.models import LogPhoto, ServiceLog, Team, TeamMember
from sciaid.commissioners.tests.conftest import on
from sciaid.core.privacy import mask_phone

pytestmark = pytest.mark.django_db


def picture(name: str = "田间.png", fmt: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def log_body(world, **overrides) -> dict:
    return {
        "village": world.areas["village_a1"].code,
        "kind": "guidance",
        "served_on": on(5).isoformat(),
        "summary": "田间指导",
        **overrides,
    }


def test_a_commissioner_sends_photos_with_a_log_and_they_are_reencoded(world, api_for, client_for, commissioner):
    api = api_for("expert")
    created = api.post(reverse("service-log-list"), log_body(world, new_photos=[picture()]), format="multipart")
    assert created.status_code == 201, created.content
    [photo] = created.json()["photos"]
    assert (photo["width"], photo["height"]) == (64, 48)
    stored = LogPhoto.objects.get()
    assert stored.image.name.endswith(".jpg") and "田间" not in stored.image.name
    path = reverse("commissioners:log-photo", args=[stored.pk])
    assert photo["url"].endswith(path)
    assert client_for("info_officer").get(path).status_code == 200
    assert client_for("county_admin_b").get(path).status_code == 404
    added = api.patch(
        reverse("service-log-detail", args=[created.json()["id"]]), {"new_photos": [picture("b.jpg", "JPEG")]}
    )
    assert added.status_code == 200 and len(added.json()["photos"]) == 2


def test_photos_that_are_not_pictures_or_too_many_are_refused(world, api_for, commissioner):
    api = api_for("expert")
    fake = SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")
    refused = api.post(reverse("service-log-list"), log_body(world, new_photos=[fake]), format="multipart")
    assert refused.status_code == 400 and "photos" in refused.json()
    too_many = api.post(
        reverse("service-log-list"), log_body(world, new_photos=[picture() for _ in range(7)]), format="multipart"
    )
    assert too_many.status_code == 400 and "photos" in too_many.json()
    assert not ServiceLog.objects.exists() and not LogPhoto.objects.exists()


def test_a_commissioner_reads_the_households_of_the_villages_they_serve_masked(
    world, api_for, client_for, commissioner
):
    api = api_for("expert")
    listed = api.get(reverse("household-list")).json()["results"]
    assert [row["number"] for row in listed] == [world.households["household_a1"].number]
    row = listed[0]
    household = world.households["household_a1"]
    assert row["phone"] == mask_phone(household.phone) and row["id_number"] == household.id_number_masked
    assert api.get(reverse("household-detail", args=[world.households["household_a3"].pk])).status_code == 404
    assert api.patch(reverse("household-detail", args=[household.pk]), {"members": 9}).status_code == 403
    page = client_for("expert").get(reverse("regions:household-list"))
    assert page.status_code == 200 and [h.pk for h in page.context["object_list"]] == [household.pk]
    assert household.phone not in page.content.decode()
    detail = client_for("expert").get(reverse("regions:household-detail", args=[household.pk]))
    assert detail.status_code == 200 and household.phone not in detail.content.decode()
    assert reverse("regions:household-edit", args=[household.pk]) not in detail.content.decode()


def test_a_commissioner_without_pairing_reads_no_household(world, api_for):
    assert api_for("expert").get(reverse("household-list")).json()["count"] == 0


def test_a_household_outside_the_commissioners_villages_is_refused_like_one_that_does_not_exist(
    world, api_for, make_commissioner, commissioner
):
    api = api_for("expert")
    foreign = world.households["household_b1"].pk
    missing = 987654
    outside = api.post(reverse("service-log-list"), log_body(world, households=[foreign]), format="json")
    unknown = api.post(reverse("service-log-list"), log_body(world, households=[missing]), format="json")
    assert outside.status_code == unknown.status_code == 400
    assert outside.json()["households"] == [m.replace(str(missing), str(foreign)) for m in unknown.json()["households"]]
    assert world.households["household_b1"].head_name not in outside.content.decode()
    assert not ServiceLog.objects.exists()


def test_a_household_of_another_served_village_is_counted_not_named(world, api_for, make_commissioner):
    make_commissioner("expert", villages=["village_a1", "village_a3"])
    api = api_for("expert")
    other_village = world.households["household_a3"]
    refused = api.post(reverse("service-log-list"), log_body(world, households=[other_village.pk]), format="json")
    assert refused.status_code == 400
    assert refused.json()["households"] == ["1 of the households chosen are not of this village."]
    assert other_village.number not in refused.content.decode()


def test_a_teammate_sees_the_photos_of_the_teams_log(world, client_for, make_commissioner):
    """Whoever may see a log sees its photos: a team's log is its members', its photos too."""
    author, mate = make_commissioner("li"), make_commissioner("expert", villages=())
    team = Team.objects.create(county=world.areas["county_a"], year=on(1).year, name="稻渔服务团", leader=author)
    TeamMember.objects.bulk_create([TeamMember(team=team, expert=author), TeamMember(team=team, expert=mate)])
    log = ServiceLog.objects.create(
        expert=author, team=team, village=world.areas["village_a1"], kind="guidance", served_on=on(5), summary="指导"
    )
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="JPEG")
    photo = LogPhoto(log=log, width=8, height=8)
    photo.image.save("p.jpg", io.BytesIO(buffer.getvalue()), save=False)
    photo.save()
    client = client_for("expert")
    assert client.get(log.get_absolute_url()).status_code == 200
    assert client.get(reverse("commissioners:log-photo", args=[photo.pk])).status_code == 200
    assert client_for("farmer").get(reverse("commissioners:log-photo", args=[photo.pk])).status_code in (403, 404)
