"""Each county sets its own SLA targets; deadlines follow them, and other counties keep the platform defaults."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sciaid.assistance import services
from sciaid.assistance.choices import SlaStage
from sciaid.assistance.models import SlaPolicy

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_NINE = datetime(2020, 6, 1, 9, 0, tzinfo=SHANGHAI)


def test_without_a_policy_a_county_uses_the_platform_defaults(world, settings):
    assert services.sla_hours(world.village_a1) == settings.ASSISTANCE_SLA_HOURS
    assert services.due(SlaStage.TRIAGE, MONDAY_NINE, village=world.village_a1) == datetime(
        2020, 6, 2, 9, 0, tzinfo=SHANGHAI
    )


def test_a_county_policy_sets_its_own_deadlines_only(world):
    services.set_sla_policy(world.county_admin, world.county_a, triage_hours=48, accept_hours=24, resolve_hours=72)
    assert services.due(SlaStage.TRIAGE, MONDAY_NINE, village=world.village_a1) == datetime(
        2020, 6, 3, 9, 0, tzinfo=SHANGHAI
    )
    assert services.due(SlaStage.TRIAGE, MONDAY_NINE, village=world.village_b1) == datetime(
        2020, 6, 2, 9, 0, tzinfo=SHANGHAI
    )


def test_another_countys_admin_cannot_set_the_targets(world):
    with pytest.raises(PermissionDenied):
        services.set_sla_policy(world.county_admin_b, world.county_a, triage_hours=1, accept_hours=1, resolve_hours=1)
    assert not SlaPolicy.objects.exists()


def test_targets_are_set_for_a_county_and_must_be_positive(world):
    with pytest.raises(ValidationError):
        services.set_sla_policy(world.admin, world.township_a1, triage_hours=24, accept_hours=24, resolve_hours=24)
    with pytest.raises(ValidationError):
        services.set_sla_policy(world.county_admin, world.county_a, triage_hours=0, accept_hours=24, resolve_hours=24)
    assert not SlaPolicy.objects.exists()


def test_the_page_shows_the_defaults_and_saves_the_county_targets(world, client_for):
    client = client_for("county_admin")
    url = reverse("assistance:sla")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["triage_hours"] == 24
    response = client.post(
        url, {"county": world.county_a.code, "triage_hours": 12, "accept_hours": 24, "resolve_hours": 96}
    )
    assert response.status_code == 302
    assert SlaPolicy.objects.get(county=world.county_a).hours() == {"triage": 12, "accept": 24, "resolve": 96}


def test_the_page_refuses_other_roles_and_other_counties(world, client_for):
    url = reverse("assistance:sla")
    assert client_for("triage").get(url).status_code == 403
    response = client_for("county_admin_b").post(
        url, {"county": world.county_a.code, "triage_hours": 1, "accept_hours": 1, "resolve_hours": 1}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not SlaPolicy.objects.exists()
