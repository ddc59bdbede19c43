"""The REST API as programs use it: token login, pagination, role rights, masking, errors, query counts, audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.models import ObjectChange
from sciaid.core.privacy import make_id_number
from sciaid.core.roles import Role
from sciaid.regions.choices import HouseholdStatus
from sciaid.regions.models import CadrePairing, Household, HouseholdIncome, Visit

HOUSEHOLDS = "/api/v1/households/"
TOKEN = "/api/v1/auth/token/"


def household_url(household) -> str:
    return f"{HOUSEHOLDS}{household.pk}/"


def new_household(world, **overrides) -> dict:
    data = {
        "number": "340422105201-9001",
        "village": world.village_a1.code,
        "head_name": "王五",
        "id_number": make_id_number(901, region="340422"),
        "phone": "13905549001",
        "members": 4,
        "main_cause": "illness",
    }
    return {**data, **overrides}


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


# --- token authentication ---------------------------------------------------------------------------------------


def test_a_token_obtained_with_the_username_authenticates_requests(world):
    response = APIClient().post(TOKEN, {"username": "county_admin", "password": "pw"}, format="json")
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    households = client.get(HOUSEHOLDS)
    assert households.status_code == 200
    assert households.json()["count"] == 3


def test_a_token_can_be_obtained_with_the_phone_number(world):
    world.county_admin.phone = "13800000001"
    world.county_admin.save()
    by_phone = APIClient().post(TOKEN, {"username": "13800000001", "password": "pw"}, format="json")
    by_name = APIClient().post(TOKEN, {"username": "county_admin", "password": "pw"}, format="json")
    assert by_phone.status_code == 200
    assert by_phone.json()["token"] == by_name.json()["token"]


def test_a_wrong_password_gets_a_400_and_no_token(world):
    response = APIClient().post(TOKEN, {"username": "county_admin", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert "token" not in response.json()


def test_requests_without_credentials_are_refused(world):
    assert APIClient().get(HOUSEHOLDS).status_code == 401
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    refused = bad.get(HOUSEHOLDS)
    assert refused.status_code == 401
    assert "results" not in refused.json()


def test_token_requests_are_throttled_after_repeated_failures(world):
    client = APIClient()
    # Different usernames, so that this is the address throttle and not the per-username lockout.
    statuses = [
        client.post(TOKEN, {"username": f"guess{i}", "password": "x"}, format="json").status_code for i in range(10)
    ]
    assert statuses == [400] * 10
    throttled = client.post(TOKEN, {"username": "county_admin", "password": "pw"}, format="json")
    assert throttled.status_code == 429


# --- pagination -------------------------------------------------------------------------------------------------


def test_lists_are_paginated_with_a_page_size_parameter(api_for):
    client = api_for("county_admin")
    first = client.get("/api/v1/areas/", {"page_size": 2}).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 6  # the county, two townships, three villages
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"]
    last = client.get("/api/v1/areas/", {"page_size": 2, "page": 3}).json()
    assert last["next"] is None
    assert len(last["results"]) == 2
    seen = {row["code"] for row in first["results"] + last["results"]}
    assert len(seen) == 4


# --- rights per role --------------------------------------------------------------------------------------------


def test_a_supervisor_reads_but_every_write_is_refused(world, api_for):
    client = api_for("supervisor")
    url = household_url(world.household_a1)
    assert client.get(url).status_code == 200
    assert client.patch(url, {"head_name": "x"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    assert client.post(HOUSEHOLDS, new_household(world), format="json").status_code == 403
    assert client.post(f"{url}transition/", {"action": "lift"}, format="json").status_code == 403
    world.household_a1.refresh_from_db()
    assert world.household_a1.head_name == "户主1"
    assert Household.objects.count() == 4


def test_an_info_officer_changes_households_of_their_own_village_only(world, api_for):
    client = api_for("info_officer")
    assert client.patch(household_url(world.household_a1), {"members": 5}, format="json").status_code == 200
    assert client.patch(household_url(world.household_a2), {"members": 5}, format="json").status_code == 404
    elsewhere = client.post(HOUSEHOLDS, new_household(world, village=world.village_a2.code), format="json")
    assert elsewhere.status_code == 400
    assert "village" in elsewhere.json()
    assert client.post(HOUSEHOLDS, new_household(world), format="json").status_code == 201


def test_a_county_admin_cannot_move_a_household_to_another_county(world, api_for):
    response = api_for("county_admin").patch(
        household_url(world.household_a1), {"village": world.village_b1.code}, format="json"
    )
    assert response.status_code == 400
    world.household_a1.refresh_from_db()
    assert world.household_a1.village == world.village_a1


# --- personal data ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "full"),
    [("county_admin", True), ("info_officer", True), ("admin", True), ("supervisor", False), ("triage", False)],
)
def test_id_and_phone_numbers_are_masked_for_roles_that_may_not_read_them(world, api_for, persona, full):
    household = world.household_a1
    row = api_for(persona).get(household_url(household)).json()
    if full:
        assert row["id_number"] == household.id_number
        assert row["phone"] == household.phone
    else:
        assert row["id_number"] == household.masked_id_number
        assert "*" in row["id_number"]
        assert row["phone"] == "139****0001"
    listed = api_for(persona).get(HOUSEHOLDS).json()["results"]
    assert (household.id_number in {r["id_number"] for r in listed}) is full


def test_a_cadres_phone_is_masked_for_a_supervisor(world, api_for):
    pairing = CadrePairing.objects.get(household=world.household_a1)
    pairing.cadre_phone = "13712345678"
    pairing.save()
    url = f"/api/v1/cadre-pairings/{pairing.pk}/"
    assert api_for("supervisor").get(url).json()["cadre_phone"] == "137****5678"
    assert api_for("county_admin").get(url).json()["cadre_phone"] == "13712345678"


# --- errors -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", make_id_number(902, region="340422")[:-1] + "0"),  # wrong check digit
        ("id_number", "34042219651332001X"),  # no such birth date
        ("phone", "12345"),
    ],
)
def test_bad_personal_data_is_a_structured_400_and_nothing_is_written(world, api_for, field, value):
    changes = ObjectChange.objects.count()
    households = Household.objects.count()
    fixed = make_id_number(902, region="340422")
    value = value if value != fixed else value[:-1] + ("1" if fixed[-1] != "1" else "2")
    response = api_for("county_admin").post(HOUSEHOLDS, new_household(world, **{field: value}), format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Household.objects.count() == households
    assert ObjectChange.objects.count() == changes


def test_a_duplicate_id_number_is_refused_on_its_field(world, api_for):
    taken = world.household_a2.id_number
    response = api_for("county_admin").post(HOUSEHOLDS, new_household(world, id_number=taken), format="json")
    assert response.status_code == 400
    assert "id_number" in response.json()


def test_a_refused_transition_is_a_409_with_the_reason(world, api_for):
    client = api_for("county_admin")
    url = f"{household_url(world.household_a1)}transition/"
    lifted = client.post(url, {"action": "lift", "year": 2020}, format="json")
    assert lifted.status_code == 200
    assert lifted.json()["status"] == HouseholdStatus.LIFTED
    assert lifted.json()["lifted_year"] == 2020
    again = client.post(url, {"action": "lift"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "transition_refused"
    assert again.json()["detail"]


def test_an_info_officer_may_flag_but_not_lift(world, api_for):
    url = f"{household_url(world.household_a1)}transition/"
    refused = api_for("info_officer").post(url, {"action": "lift"}, format="json")
    assert refused.status_code == 409
    world.household_a1.refresh_from_db()
    assert world.household_a1.status == HouseholdStatus.POOR


def test_incomes_are_recorded_and_shown_with_the_household(world, api_for):
    client = api_for("county_admin")
    response = client.post(
        f"{household_url(world.household_a1)}incomes/", {"year": 2020, "income_per_capita": "4200.50"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["incomes"] == [{"year": 2020, "income_per_capita": "4200.50"}]


def test_visit_statistics_count_visits_of_the_area(world, api_for):
    client = api_for("county_admin")
    stats = client.get("/api/v1/households/visit-statistics/", {"area": world.county_a.code, "year": 2020}).json()
    assert stats["months"][2] == {"month": 3, "visits": 1}
    assert stats["years"] == [{"year": 2020, "visits": 1, "relief": "500.00"}]
    other = client.get("/api/v1/households/visit-statistics/", {"area": world.county_b.code, "year": 2020})
    assert other.status_code == 404
    assert (
        client.get("/api/v1/households/visit-statistics/", {"area": world.county_a.code, "year": "x"}).status_code
        == 400
    )


def test_a_visit_is_recorded_through_the_api(world, api_for):
    pairing = CadrePairing.objects.get(household=world.household_a1)
    response = api_for("county_admin").post(
        "/api/v1/cadre-visits/",
        {"pairing": pairing.pk, "visited_on": "2021-05-01", "relief_amount": "200.00", "notes": "送化肥"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["village"] == world.village_a1.code
    future = api_for("county_admin").post(
        "/api/v1/cadre-visits/", {"pairing": pairing.pk, "visited_on": date.today().replace(year=date.today().year + 1)}
    )
    assert future.status_code == 400
    assert "visited_on" in future.json()


# --- query counts -----------------------------------------------------------------------------------------------

LISTS = [
    "/api/v1/areas/",
    HOUSEHOLDS,
    "/api/v1/cadre-pairings/",
    "/api/v1/cadre-visits/",
    "/api/v1/users/",
    "/api/v1/grants/",
]


def add_rows(world, n: int) -> None:
    """n more households (each with an income, a pairing and a visit) and n more users with a role in county A."""
    for i in range(n):
        household = Household.objects.create(
            number=f"X{n}-{i}", village=world.village_a1, head_name=f"户{i}", phone=f"137{n:02d}00{i:04d}"
        )
        HouseholdIncome.objects.create(household=household, year=2020, income_per_capita="3000")
        pairing = CadrePairing.objects.create(
            household=household, village=world.village_a1, cadre_name=f"干部{i}", started_on="2020-01-01"
        )
        Visit.objects.create(pairing=pairing, village=world.village_a1, visited_on="2020-06-01")
        user = User.objects.create_user(f"member{n}-{i}", password="pw", phone=f"136{n:02d}00{i:04d}")
        RoleGrant.objects.create(user=user, role=Role.INFO_OFFICER, area=world.village_a2)


def queries_for(user, url: str) -> int:
    client = APIClient()
    # A fresh user object, as each request has (its grants are loaded once per request).
    client.force_authenticate(User.objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, {"page_size": 100}).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", LISTS)
def test_list_query_counts_do_not_grow_with_rows(world, url):
    add_rows(world, 3)
    few = queries_for(world.county_admin, url)
    add_rows(world, 27)
    assert queries_for(world.county_admin, url) == few


# --- audit ------------------------------------------------------------------------------------------------------


def changes_of(household_id) -> list[ObjectChange]:
    content_type = ContentType.objects.get_for_model(Household)
    return list(ObjectChange.objects.filter(content_type=content_type, object_id=str(household_id)).order_by("id"))


def test_api_writes_are_audited_with_old_and_new_values(world, api_for):
    client = api_for("county_admin")
    created = client.post(HOUSEHOLDS, new_household(world), format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert client.patch(f"{HOUSEHOLDS}{pk}/", {"head_name": "王六"}, format="json").status_code == 200
    assert client.delete(f"{HOUSEHOLDS}{pk}/").status_code == 204

    create, update, delete = changes_of(pk)
    assert [create.action, update.action, delete.action] == ["create", "update", "delete"]
    assert {change.user for change in (create, update, delete)} == {world.county_admin}
    assert create.after["head_name"] == "王五"
    assert "id_number_encrypted" not in create.after
    assert create.after["id_number_masked"].count("*") == 10
    assert update.before == {"head_name": "王五"}
    assert update.after == {"head_name": "王六"}
    assert delete.before["head_name"] == "王六"
    assert create.area_code == world.village_a1.code
