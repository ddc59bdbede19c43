"""A county admin records a service log on a commissioner's behalf (API and page): checked like the commissioner's own,
marked "entered by the county", confirmed by the county, counted, audited; nobody else may do it."""

import pytest
from django.urls import reverse

from sciaid.commissioners.models import ServiceLog, VillageYearFigures
from sciaid.commissioners.tests.conftest import YEAR, on
from sciaid.core.models import ObjectChange

pytestmark = pytest.mark.django_db

LIST = reverse("service-log-list")


def body(world, who, **overrides) -> dict:
    return {
        "expert": who.pk,
        "village": world.areas["village_a1"].code,
        "kind": "training",
        "served_on": on(5, 20).isoformat(),
        "summary": "稻虾共养技术培训",
        "participants": 35,
        "varieties": "稻虾1号",
        **overrides,
    }


def test_a_county_admin_records_a_log_for_a_commissioner(world, api_for, commissioner):
    created = api_for("county_admin").post(LIST, body(world, commissioner), format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["entered_by_county"] is True and data["expert"] == commissioner.pk
    assert data["status"] == "confirmed" and data["confirmed_by"] == world.county_admin.pk
    log = ServiceLog.objects.get(pk=data["id"])
    assert log.created_by == world.county_admin and log.new_varieties == 1
    figures = VillageYearFigures.objects.get(village=world.areas["village_a1"], year=YEAR)
    assert (figures.services, figures.trainings, figures.trainees, figures.varieties) == (1, 1, 35, 1)
    entry = ObjectChange.objects.get(content_type__model="servicelog", object_id=str(log.pk), action="create")
    assert entry.user == world.county_admin and entry.after["entered_by_county"] is True
    # Everyone who reads the log sees the mark.
    for persona in ("expert", "info_officer", "supervisor"):
        shown = api_for(persona).get(reverse("service-log-detail", args=[log.pk]))
        assert shown.status_code == 200 and shown.json()["entered_by_county"] is True, persona
    assert api_for("county_admin_b").get(reverse("service-log-detail", args=[log.pk])).status_code == 404


def test_a_commissioners_own_log_is_not_marked(world, api_for, commissioner):
    own = api_for("expert").post(LIST, {**body(world, commissioner), "expert": commissioner.pk}, format="json")
    assert own.status_code == 201 and own.json()["entered_by_county"] is False and own.json()["status"] == "submitted"
    plain = {key: value for key, value in body(world, commissioner).items() if key != "expert"}
    assert api_for("expert").post(LIST, plain, format="json").json()["entered_by_county"] is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"village": "340422105202"}, "village"),  # not paired with village A2
        ({"served_on": "2999-01-01"}, "served_on"),
        ({"kind": "magic"}, "kind"),
        ({"expert": 987654}, "expert"),
    ],
)
def test_a_county_log_is_checked_like_the_commissioners_own(world, api_for, commissioner, overrides, field):
    response = api_for("county_admin").post(LIST, body(world, commissioner, **overrides), format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not ServiceLog.objects.exists()


def test_households_of_another_village_are_refused(world, api_for, commissioner):
    other = world.households["household_a3"]
    response = api_for("county_admin").post(LIST, body(world, commissioner, households=[other.pk]), format="json")
    assert response.status_code == 400 and "households" in response.json()


def test_only_commissioners_may_be_named(world, api_for, make_commissioner, commissioner):
    commissioner.is_commissioner = False
    commissioner.save()
    response = api_for("county_admin").post(LIST, body(world, commissioner), format="json")
    assert response.status_code == 400 and "expert" in response.json()


def test_nobody_else_records_on_a_commissioners_behalf(world, api_for, commissioner, make_commissioner):
    colleague = make_commissioner("wang")
    payload = body(world, colleague)
    assert api_for("info_officer").post(LIST, payload, format="json").status_code == 403
    by_expert = api_for("expert").post(LIST, payload, format="json")  # a colleague's profile is not theirs to see
    assert by_expert.status_code == 400 and "expert" in by_expert.json()
    assert api_for("supervisor").post(LIST, payload, format="json").status_code == 403
    other_county = api_for("county_admin_b").post(LIST, payload, format="json")
    assert other_county.status_code == 400 and "village" in other_county.json()  # not a village they know
    assert not ServiceLog.objects.exists()


def test_a_logs_commissioner_never_changes(world, api_for, commissioner, make_commissioner):
    colleague = make_commissioner("wang")
    plain = {key: value for key, value in body(world, commissioner).items() if key != "expert"}
    pk = api_for("expert").post(LIST, plain, format="json").json()["id"]
    moved = api_for("expert").patch(reverse("service-log-detail", args=[pk]), {"expert": colleague.pk}, format="json")
    assert moved.status_code == 400 and "expert" in moved.json()
    assert ServiceLog.objects.get(pk=pk).expert == commissioner


def test_the_county_records_a_log_on_the_page(world, client_for, commissioner):
    url = reverse("commissioners:log-enter")
    client = client_for("county_admin")
    first = client.get(url).content.decode()
    assert f'value="{commissioner.pk}"' in first and 'name="summary"' not in first
    chosen = client.get(url, {"expert": commissioner.pk}).content.decode()
    assert world.areas["village_a1"].code in chosen and 'name="summary"' in chosen
    response = client.post(
        url,
        {
            "expert": commissioner.pk,
            "village": world.areas["village_a1"].code,
            "kind": "guidance",
            "served_on": on(6, 2).isoformat(),
            "summary": "田间指导",
            "participants": 3,
            "other_households": 2,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    log = ServiceLog.objects.get()
    assert log.entered_by_county and log.status == "confirmed" and log.expert == commissioner
    listing = client.get(reverse("commissioners:log-list"), {"year": YEAR}).content.decode()
    assert "entered-by-county" in listing and reverse("commissioners:log-enter") in listing
    detail = client_for("info_officer").get(log.get_absolute_url()).content.decode()
    assert 'id="entered-by-county"' in detail


def test_the_page_is_for_county_admins_only(world, client_for, commissioner):
    url = reverse("commissioners:log-enter")
    for persona in ("info_officer", "expert", "supervisor", "farmer"):
        assert client_for(persona).get(url).status_code == 403, persona
    # Another county's admin is offered none of county A's commissioners, and a forced id offers nothing.
    page = client_for("county_admin_b").get(url, {"expert": commissioner.pk}).content.decode()
    assert f'value="{commissioner.pk}"' not in page and 'name="summary"' not in page
