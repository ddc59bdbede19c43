"""Subsidy statements reviewed county → city → province: the whole chain, every refusal (wrong level, wrong county,
wrong state, the same person twice, recomputing under review or after approval), a return and resubmission,
notifications, the API and the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from sciaid.accounts.models import RoleGrant, User
from sciaid.assistance import services
from sciaid.assistance.choices import DemandStatus, StatementStatus
from sciaid.assistance.models import Demand, SubsidyStatement
from sciaid.core.models import Notification, ObjectChange
from sciaid.core.roles import Role
from sciaid.core.states import TransitionRefused

YEAR = 2024


def admin_at(world, username: str, area_key: str, role: str = Role.COUNTY_ADMIN) -> User:
    user = User.objects.create_user(username, password="pw", email=f"{username}@example.cn")
    RoleGrant.objects.create(user=user, role=role, area=world.areas[area_key])
    world.users[username] = user
    return user


@pytest.fixture
def levels(world):
    """A city admin (county admin granted on 淮南市) and a province admin (granted on 安徽省)."""
    return admin_at(world, "city_admin", "city"), admin_at(world, "province_admin", "province")


@pytest.fixture
def valid_services(world, experts, submit):
    """Six valid services of the world's expert in county A, resolved in YEAR, submitted by the info officer."""
    resolved = timezone.make_aware(timezone.datetime(YEAR, 6, 1, 10))
    for i in range(6):
        demand = submit(title=f"需求{i}")
        Demand.objects.filter(pk=demand.pk).update(
            status=DemandStatus.CLOSED, valid=True, resolved_at=resolved, resolved_by=experts["expert"]
        )


def statement_of(world) -> SubsidyStatement:
    return services.compute_statement(world.county_admin, world.county_a, YEAR)


def test_the_whole_chain(world, levels, valid_services):
    city, province = levels
    statement = statement_of(world)
    assert statement.status == StatementStatus.DRAFT
    rows = {row.kind: row for row in statement.rows.all()}
    assert (rows["expert"].services, rows["expert"].amount) == (6, Decimal("600.00"))
    assert (rows["info_officer"].services, rows["info_officer"].amount) == (6, Decimal("330.00"))
    assert statement.total == Decimal("930.00")

    services.submit_statement(world.county_admin, statement)
    assert Notification.objects.filter(recipient=city, kind="subsidy_statement.submitted").exists()
    assert not Notification.objects.filter(recipient=province).exists()
    services.approve_statement(city, statement)
    assert statement.status == StatementStatus.CITY_APPROVED and statement.city_approved_by == city
    assert Notification.objects.filter(recipient=province, kind="subsidy_statement.approved").exists()
    services.approve_statement(province, statement)
    statement.refresh_from_db()
    assert statement.status == StatementStatus.APPROVED and statement.approved_by == province
    assert Notification.objects.filter(recipient=world.county_admin, kind="subsidy_statement.approved").exists()
    assert ObjectChange.objects.filter(object_id=str(statement.pk), action="transition").count() == 4


def test_the_platform_admin_acts_as_the_province(world, levels, valid_services):
    city, _province = levels
    statement = statement_of(world)
    services.submit_statement(world.county_admin, statement)
    with pytest.raises(PermissionDenied):
        services.approve_statement(world.admin, statement)  # the city's turn
    services.approve_statement(city, statement)
    services.approve_statement(world.admin, statement)
    assert statement.status == StatementStatus.APPROVED


def test_a_returned_statement_is_recomputed_and_resubmitted(world, levels, experts, submit, valid_services):
    city, province = levels
    statement = statement_of(world)
    services.submit_statement(world.county_admin, statement)
    services.approve_statement(city, statement)
    with pytest.raises(ValidationError):
        services.return_statement(province, statement, "  ")
    services.return_statement(province, statement, "专家金额有误")
    statement.refresh_from_db()
    assert statement.status == StatementStatus.RETURNED and statement.return_reason == "专家金额有误"
    assert statement.city_approved_by is None
    for user in (world.county_admin, city):
        assert Notification.objects.filter(recipient=user, kind="subsidy_statement.returned").exists()

    Demand.objects.filter(title="需求0").update(valid=False)
    statement = services.compute_statement(world.county_admin, world.county_a, YEAR)
    assert statement.status == StatementStatus.DRAFT and statement.total == Decimal("800.00")
    assert statement.rows.count() == 2
    services.submit_statement(world.county_admin, statement)
    assert SubsidyStatement.objects.get(pk=statement.pk).return_reason == ""


def test_recomputing_under_review_or_after_approval_is_refused(world, levels, valid_services, english):
    city, province = levels
    statement = statement_of(world)
    services.submit_statement(world.county_admin, statement)
    with pytest.raises(TransitionRefused, match="review"):
        statement_of(world)
    services.approve_statement(city, statement)
    services.approve_statement(province, statement)
    with pytest.raises(TransitionRefused, match="final"), translation.override("en"):
        statement_of(world)
    with pytest.raises(TransitionRefused, match="final"), translation.override("en"):
        services.return_statement(province, statement, "晚了")
    assert SubsidyStatement.objects.get(pk=statement.pk).total == Decimal("930.00")


@pytest.mark.parametrize("persona", ["triage", "expert", "info_officer", "supervisor"])
def test_other_roles_may_not_touch_statements(world, persona, valid_services):
    with pytest.raises(PermissionDenied):
        services.compute_statement(world.users[persona], world.county_a, YEAR)
    statement = statement_of(world)
    for act in (services.submit_statement, services.approve_statement):
        with pytest.raises(PermissionDenied):
            act(world.users[persona], statement)


def test_each_level_acts_only_in_its_turn(world, levels, valid_services):
    city, province = levels
    statement = statement_of(world)
    with pytest.raises(PermissionDenied):
        services.compute_statement(city, world.county_a, YEAR)  # the county prepares it
    with pytest.raises(PermissionDenied):
        services.submit_statement(city, statement)
    with pytest.raises(TransitionRefused):
        services.approve_statement(city, statement)  # not submitted yet
    services.submit_statement(world.county_admin, statement)
    with pytest.raises(TransitionRefused):
        services.submit_statement(world.county_admin, statement)
    for user in (world.county_admin, province):
        with pytest.raises(PermissionDenied):
            services.approve_statement(user, statement)
    with pytest.raises(PermissionDenied):
        services.return_statement(province, statement, "不对")


def test_another_county_or_city_may_not_act(world, levels, valid_services):
    statement = statement_of(world)
    with pytest.raises(PermissionDenied):
        services.compute_statement(world.county_admin_b, world.county_a, YEAR)
    with pytest.raises(PermissionDenied):
        services.submit_statement(world.county_admin_b, statement)
    from sciaid.regions.models import Area

    other_city = Area.objects.create(code="340500000000", level=2, name="马鞍山市", parent=world.province)
    stranger = User.objects.create_user("other_city_admin", password="pw")
    RoleGrant.objects.create(user=stranger, role=Role.COUNTY_ADMIN, area=other_city)
    services.submit_statement(world.county_admin, statement)
    with pytest.raises(PermissionDenied):
        services.approve_statement(stranger, statement)


def test_the_same_person_does_not_approve_twice(world, valid_services):
    both = admin_at(world, "both_levels", "city")
    RoleGrant.objects.create(user=both, role=Role.COUNTY_ADMIN, area=world.province)
    both.forget_grants()
    statement = statement_of(world)
    services.submit_statement(world.county_admin, statement)
    services.approve_statement(both, statement)
    with pytest.raises(PermissionDenied):
        services.approve_statement(both, statement)


def test_only_counties_have_statements(world):
    with pytest.raises(ValidationError):
        services.compute_statement(world.admin, world.city, YEAR)
    with pytest.raises(ValidationError):
        services.compute_statement(world.county_admin, world.county_a, 1999)


def test_an_empty_year_gives_an_empty_statement_that_can_still_be_submitted(world, levels):
    statement = statement_of(world)
    assert statement.total == Decimal("0.00") and statement.rows.count() == 0
    services.submit_statement(world.county_admin, statement)


def test_notifications_are_in_the_recipients_language(world, levels, valid_services):
    city, _province = levels
    with translation.override("en"):
        services.submit_statement(world.county_admin, statement_of(world))
    notice = Notification.objects.get(recipient=city)
    with translation.override("zh-hans"):
        expected = gettext("Subsidy statement of %(county)s for %(year)s: please review") % {
            "county": "寿县",
            "year": YEAR,
        }
    assert notice.title == expected and "930.00" in notice.body


# --- API --------------------------------------------------------------------------------------------------------


def post(client, name: str, *args, data=None):
    return client.post(reverse(name, args=args), data or {}, format="json")


def test_the_api_runs_the_chain(world, levels, valid_services, api_for):
    body = post(api_for("county_admin"), "subsidy-statement-list", data={"county": "340422000000", "year": YEAR})
    assert body.status_code == 201 and body.json()["total"] == "930.00" and len(body.json()["rows"]) == 2
    pk = body.json()["id"]
    assert (
        post(api_for("triage"), "subsidy-statement-list", data={"county": "340422000000", "year": YEAR}).status_code
        == 403
    )
    assert post(api_for("county_admin_b"), "subsidy-statement-submit", pk).status_code == 404
    assert post(api_for("supervisor"), "subsidy-statement-submit", pk).status_code == 403
    assert post(api_for("county_admin"), "subsidy-statement-approve", pk).status_code == 409
    assert post(api_for("county_admin"), "subsidy-statement-submit", pk).json()["status"] == "submitted"
    assert post(api_for("county_admin"), "subsidy-statement-recompute", pk).status_code == 409
    assert post(api_for("province_admin"), "subsidy-statement-approve", pk).status_code == 403
    assert post(api_for("city_admin"), "subsidy-statement-return", pk).status_code == 400
    returned = post(api_for("city_admin"), "subsidy-statement-return", pk, data={"reason": "缺少附件"}).json()
    assert returned["status"] == "returned" and returned["return_reason"] == "缺少附件"
    assert post(api_for("county_admin"), "subsidy-statement-recompute", pk).json()["status"] == "draft"
    post(api_for("county_admin"), "subsidy-statement-submit", pk)
    assert post(api_for("city_admin"), "subsidy-statement-approve", pk).json()["status"] == "city_approved"
    assert post(api_for("province_admin"), "subsidy-statement-approve", pk).json()["status"] == "approved"
    listed = api_for("city_admin").get(reverse("subsidy-statement-list")).json()["results"]
    assert [row["id"] for row in listed] == [pk]
    assert api_for("county_admin_b").get(reverse("subsidy-statement-list")).json()["results"] == []


# --- pages ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pages_offer_each_level_its_buttons(world, levels, valid_services, client_for, language):
    with translation.override(language):
        listing = reverse("assistance:statement-list")
        compute = reverse("assistance:statement-compute")
    county = client_for("county_admin")
    assert f'action="{compute}"' in county.get(listing).content.decode()
    assert f'action="{compute}"' not in client_for("city_admin").get(listing).content.decode()
    assert client_for("triage").get(listing).status_code == 403
    response = county.post(compute, {"county": "340422000000", "year": YEAR})
    statement = SubsidyStatement.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/subsidies/{statement.pk}/")
    with translation.override(language):
        detail = reverse("assistance:statement-detail", args=[statement.pk])

        def action(name: str) -> str:
            return reverse("assistance:statement-action", args=[statement.pk, name])

    page = county.get(detail).content.decode()
    assert "930.00" in page and "Expert expert" in page and action("submit") in page
    assert action("approve") not in client_for("city_admin").get(detail).content.decode()
    assert county.post(action("submit")).status_code == 302
    city_page = client_for("city_admin").get(detail).content.decode()
    assert action("approve") in city_page and action("return") in city_page
    assert action("submit") not in county.get(detail).content.decode()
    # A refusal comes back as a message and changes nothing.
    county.post(action("approve"), follow=True)
    assert SubsidyStatement.objects.get().status == StatementStatus.SUBMITTED
    assert client_for("city_admin").post(action("return"), {"reason": "重算"}).status_code == 302
    assert SubsidyStatement.objects.get().status == StatementStatus.RETURNED
    assert "重算" in county.get(detail).content.decode()


def test_the_statement_pages_query_a_constant_number_of_times(world, levels, experts, submit, client_for):
    statement = statement_of(world)
    detail = reverse("assistance:statement-detail", args=[statement.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_for("county_admin").get(detail).status_code == 200
            assert client_for("county_admin").get(reverse("assistance:statement-list")).status_code == 200
        return len(queries)

    empty = count()
    resolved = timezone.make_aware(timezone.datetime(YEAR, 6, 1, 10))
    for i in range(3):
        demand = submit(title=f"需求{i}")
        Demand.objects.filter(pk=demand.pk).update(
            status=DemandStatus.CLOSED, valid=True, resolved_at=resolved, resolved_by=experts[list(experts)[i]]
        )
    statement_of(world)
    assert SubsidyStatement.objects.get().rows.count() == 4
    assert count() == empty
