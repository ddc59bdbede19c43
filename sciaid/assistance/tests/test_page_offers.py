"""What the pages offer each role: every action card has its own heading, a platform admin is not offered the
submission of demands (which the page refuses them), and the statistics and statements open on the latest year with
services, not on the calendar's."""

from __future__ import annotations

import re
from datetime import datetime

from django.urls import reverse
from django.utils import timezone, translation

from sciaid.assistance import services
from sciaid.assistance.choices import DemandStatus
from sciaid.assistance.models import Demand
from sciaid.core.links import may_open


def english(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def card_headings(body: str) -> dict[str, str]:
    """Each action card's name (its `action-…` class) and its heading ("" for a card without one)."""
    cards = re.findall(r'<form [^>]*class="card action-([a-z_]+)"[^>]*>(.*?)</form>', body, re.S)
    return {name: (re.findall(r"<h3>([^<]*)</h3>", card) or [""])[0] for name, card in cards}


def test_each_action_card_has_its_own_heading(client_for, world, experts, submit):
    demand = submit()
    services.assign(world.triage, demand, [experts["expert"]])
    services.accept(world.expert, demand)
    body = client_for("expert").get(english("assistance:demand-detail", demand.pk)).content.decode()
    # The resolve card used to inherit the visit card's heading (安排上门服务) from the template's context.
    assert card_headings(body) == {
        "reply": "Reply",
        "schedule_visit": "Schedule an on-site visit",
        "resolve": "Resolve with a summary of the solution",
    }


def test_a_platform_admin_is_neither_offered_nor_allowed_to_submit_a_demand(client_for, world):
    admin = client_for("admin")
    assert admin.get(reverse("assistance:demand-create")).status_code == 403
    assert not may_open(world.admin, "assistance:demand-create")
    home = admin.get(reverse("home"))
    assert reverse("assistance:demand-create") not in {item["url"] for item in home.context["menu"]}
    assert f'href="{reverse("assistance:demand-create")}"' not in home.content.decode()
    listing = admin.get(reverse("assistance:demand-list"))
    assert listing.status_code == 200
    assert f'href="{reverse("assistance:demand-create")}"' not in listing.content.decode()
    # Those who submit are offered it where they follow their demands.
    officer = client_for("info_officer").get(reverse("assistance:demand-list")).content.decode()
    assert f'href="{reverse("assistance:demand-create")}"' in officer


def served_in_2020(world, experts, submit) -> None:
    """A year of services in 2020, and today's open desk (the demo's shape)."""
    resolved = timezone.make_aware(datetime(2020, 6, 1, 10))
    for i in range(2):
        demand = submit(title=f"二〇二〇年{i}")
        Demand.objects.filter(pk=demand.pk).update(
            status=DemandStatus.CLOSED, valid=True, resolved_at=resolved, resolved_by=experts["expert"]
        )
    submit(title="今天的需求")


def test_the_statistics_open_on_the_latest_year_with_services(client_for, world, experts, submit):
    served_in_2020(world, experts, submit)
    client = client_for("county_admin")
    response = client.get(reverse("assistance_reports:statistics"))
    assert response.context["period"].text == "2020"
    assert [row["name"] for row in response.context["stats"]["subsidies"]] == ["Expert expert", "info_officer"]
    this_year = str(timezone.localdate().year)
    asked = client.get(reverse("assistance_reports:statistics"), {"period": this_year})
    assert asked.context["period"].text == this_year


def test_the_statements_offer_to_compute_the_latest_year_with_valid_services(client_for, world, experts, submit):
    served_in_2020(world, experts, submit)
    form = client_for("county_admin").get(reverse("assistance:statement-list")).context["compute_form"]
    assert form.initial["year"] == 2020


def test_without_services_the_pages_open_on_the_latest_year_with_demands(client_for, world, submit):
    submit()
    response = client_for("county_admin").get(reverse("assistance_reports:statistics"))
    assert response.context["period"].text == str(timezone.localdate().year)
