"""Who may create users and grant roles where, through the services, the API and the pages."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from sciaid.accounts import services
from sciaid.accounts.models import RoleGrant, User
from sciaid.core.models import ObjectChange
from sciaid.core.roles import Role

# --- grant rules ------------------------------------------------------------------------------------------------


def test_a_county_admin_grants_county_roles_inside_their_county(world):
    grant = services.grant_role(world.county_admin, world.expert, Role.INFO_OFFICER, world.village_a2)
    assert grant.area == world.village_a2
    assert services.may_grant(world.county_admin, Role.COUNTY_ADMIN, world.county_a)


def test_a_county_admin_cannot_grant_platform_admin(world):
    assert not services.may_grant(world.county_admin, Role.PLATFORM_ADMIN, world.county_a)
    with pytest.raises(PermissionDenied):
        services.grant_role(world.county_admin, world.expert, Role.PLATFORM_ADMIN, world.county_a)
    assert Role.PLATFORM_ADMIN not in dict(services.grantable_roles(world.county_admin))


def test_a_county_admin_cannot_grant_outside_their_county(world):
    with pytest.raises(PermissionDenied):
        services.grant_role(world.county_admin, world.expert, Role.INFO_OFFICER, world.village_b1)
    with pytest.raises(PermissionDenied):
        services.grant_role(world.county_admin, world.expert, Role.SUPERVISOR, world.city)


def test_nobody_without_a_managing_role_grants_anything(world):
    for persona in ("outsider", "supervisor", "info_officer", "triage"):
        assert services.grantable_roles(world.users[persona]) == []
        with pytest.raises(PermissionDenied):
            services.grant_role(world.users[persona], world.expert, Role.FARMER, world.village_a1)


def test_a_platform_admin_grants_any_role_in_their_province(world):
    grant = services.grant_role(world.admin, world.county_admin_b, Role.PLATFORM_ADMIN, world.city)
    assert grant.role == Role.PLATFORM_ADMIN


def test_a_county_admin_may_not_take_over_a_wider_account(world):
    # The platform admin also holds a role in county A: still not county A's to change.
    RoleGrant.objects.create(user=world.admin, role=Role.SUPERVISOR, area=world.county_a)
    with pytest.raises(PermissionDenied):
        services.update_user(world.county_admin, world.admin, email="evil@example.cn")
    with pytest.raises(PermissionDenied):
        services.set_active(world.county_admin, world.admin, False)


def test_the_last_role_cannot_be_revoked(world):
    grant = world.info_officer.grants.get()
    with pytest.raises(ValidationError):
        services.revoke_role(world.county_admin, grant)
    second = services.grant_role(world.county_admin, world.info_officer, Role.INFO_OFFICER, world.village_a2)
    services.revoke_role(world.county_admin, grant)
    assert list(world.info_officer.grants.all()) == [second]


def test_a_county_admin_cannot_revoke_a_role_of_another_county(world):
    with pytest.raises(PermissionDenied):
        services.revoke_role(world.county_admin, world.info_officer_b.grants.get())


# --- users ------------------------------------------------------------------------------------------------------


def test_creating_a_user_grants_their_first_role_and_audits_without_the_password(world):
    user = services.create_user(
        world.county_admin,
        username="li_si",
        password="a-long-Passphrase-2024",
        role=Role.INFO_OFFICER,
        area=world.village_a3,
        full_name="李四",
        phone="139 0554 1234",
    )
    assert user.check_password("a-long-Passphrase-2024")
    assert user.phone == "13905541234"
    assert [(g.role, g.area) for g in user.grants.all()] == [(Role.INFO_OFFICER, world.village_a3)]
    entry = ObjectChange.objects.get(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    assert entry.action == "create"
    assert entry.user == world.county_admin
    assert entry.area_code == world.village_a3.code
    assert "password" not in entry.after
    assert entry.after["full_name"] == "李四"


def test_a_weak_password_or_a_taken_phone_is_refused_and_nothing_is_written(world):
    world.triage.phone = "13900000000"
    world.triage.save()
    before = User.objects.count()
    with pytest.raises(ValidationError) as weak:
        services.create_user(world.county_admin, username="x1", password="123", role="farmer", area=world.village_a1)
    assert "password" in weak.value.message_dict
    with pytest.raises(ValidationError) as taken:
        services.create_user(
            world.county_admin, username="x2", phone="13900000000", role="farmer", area=world.village_a1
        )
    assert "phone" in taken.value.message_dict
    assert User.objects.count() == before


def test_changes_to_a_user_are_audited(world):
    services.update_user(world.county_admin, world.expert, full_name="张专家")
    services.set_active(world.county_admin, world.expert, False)
    changes = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(world.expert.pk)
    ).order_by("id")
    assert [(c.before, c.after) for c in changes] == [
        ({"full_name": ""}, {"full_name": "张专家"}),
        ({"is_active": True}, {"is_active": False}),
    ]
    assert changes[0].area_code == world.county_a.code


def test_nobody_deactivates_themselves(world):
    with pytest.raises(ValidationError):
        services.set_active(world.county_admin, world.county_admin, False)


# --- API --------------------------------------------------------------------------------------------------------


def test_api_county_admin_creates_a_user_with_a_role(world, api_for):
    response = api_for("county_admin").post(
        "/api/v1/users/",
        {"username": "wang", "role": "info_officer", "area": world.village_a2.code, "phone": "13700001111"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["grants"][0]["area"] == world.village_a2.code
    assert body["phone"] == "13700001111"
    assert "password" not in body


def test_api_refuses_escalation_and_foreign_areas(world, api_for):
    client = api_for("county_admin")
    escalate = client.post(
        "/api/v1/users/", {"username": "boss", "role": "platform_admin", "area": world.county_a.code}, format="json"
    )
    assert escalate.status_code == 403
    foreign = client.post(
        "/api/v1/grants/", {"user": world.expert.pk, "role": "farmer", "area": world.village_b1.code}, format="json"
    )
    assert foreign.status_code == 400
    assert "area" in foreign.json()
    assert not User.objects.filter(username="boss").exists()
    refused = api_for("outsider").post(
        "/api/v1/grants/", {"user": world.outsider.pk, "role": "farmer", "area": world.village_a1.code}, format="json"
    )
    assert refused.status_code == 403
    assert not world.outsider.grants.exists()


def test_api_grants_and_revokes(world, api_for):
    client = api_for("county_admin")
    created = client.post(
        "/api/v1/grants/", {"user": world.expert.pk, "role": "reviewer", "area": world.township_a2.code}, format="json"
    )
    assert created.status_code == 201
    assert client.delete(f"/api/v1/grants/{created.json()['id']}/").status_code == 204
    last = world.expert.grants.get()
    refused = client.delete(f"/api/v1/grants/{last.pk}/")
    assert refused.status_code == 400
    assert refused.json()["non_field_errors"]


def test_api_user_phone_is_masked_for_a_supervisor(world, api_for):
    world.info_officer.phone = "13912345678"
    world.info_officer.save()
    url = f"/api/v1/users/{world.info_officer.pk}/"
    assert api_for("supervisor").get(url).json()["phone"] == "139****5678"
    assert api_for("county_admin").get(url).json()["phone"] == "13912345678"


def test_api_deactivates_a_user(world, api_for):
    response = api_for("county_admin").patch(f"/api/v1/users/{world.expert.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200
    world.expert.refresh_from_db()
    assert not world.expert.is_active


# --- pages ------------------------------------------------------------------------------------------------------


def test_user_list_filters_by_role_and_exports(world, client_for):
    client = client_for("county_admin")
    listed = client.get("/accounts/users/", {"role": "info_officer"})
    assert [u.username for u in listed.context["object_list"]] == ["info_officer"]
    export = client.get("/accounts/users/", {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig") if export.streaming else export.content.decode()
    assert "triage" in text
    assert "county_admin_b" not in text


def test_user_list_and_detail_load_in_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for("county_admin")
    with django_assert_max_num_queries(12):
        assert client.get("/accounts/users/").status_code == 200
    for i in range(20):
        services.create_user(world.county_admin, username=f"u{i}", role="farmer", area=world.village_a1)
    with django_assert_max_num_queries(12):
        assert client.get("/accounts/users/").status_code == 200


def test_a_county_admin_creates_a_user_on_the_page(world, client_for):
    client = client_for("county_admin")
    form = client.get("/accounts/users/new/")
    assert form.status_code == 200
    assert "platform_admin" not in form.content.decode()
    response = client.post(
        "/accounts/users/new/",
        {"username": "zhao", "full_name": "赵六", "role": "info_officer", "area_code": world.village_a3.code},
    )
    assert response.status_code == 302
    user = User.objects.get(username="zhao")
    assert user.grants.get().area == world.village_a3
    assert not user.has_usable_password()


def test_the_page_refuses_an_area_code_outside_the_jurisdiction(world, client_for):
    response = client_for("county_admin").post(
        f"/accounts/users/{world.expert.pk}/grants/new/", {"role": "farmer", "area_code": world.village_b1.code}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["area_code"]
    assert world.expert.grants.count() == 1


def test_a_role_is_granted_and_revoked_on_the_pages(world, client_for):
    client = client_for("county_admin")
    response = client.post(
        f"/accounts/users/{world.expert.pk}/grants/new/", {"role": "reviewer", "area": world.county_a.pk}
    )
    assert response.status_code == 302
    grant = world.expert.grants.get(role="reviewer")
    assert client.get(f"/accounts/grants/{grant.pk}/revoke/").status_code == 200
    assert client.post(f"/accounts/grants/{grant.pk}/revoke/").status_code == 302
    assert not world.expert.grants.filter(role="reviewer").exists()


def test_pages_refuse_users_without_a_managing_role(world, client_for):
    assert client_for("info_officer").get("/accounts/users/new/").status_code == 403
    supervisor = client_for("supervisor")
    assert supervisor.get(f"/accounts/users/{world.expert.pk}/").status_code == 200
    assert supervisor.post(f"/accounts/users/{world.expert.pk}/edit/", {"full_name": "x"}).status_code == 403
