"""A demand's journey in the browser: the village info officer submits it on a 360 px phone, the triage officer
assigns the top recommended expert at a desk, the expert accepts and resolves it, and the info officer rates it 5."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation
from django.utils.translation import gettext

from e2e.conftest import PhoneSession
from sciaid.assistance.choices import DemandStatus
from sciaid.assistance.models import Demand
from sciaid.assistance.tests.conftest import make_expert
from sciaid.experts.models import Specialty

# Live-server tests flush the database afterwards; serialized rollback brings back the data migrations seed
# (the specialty tree, the work calendar) for whichever test runs next.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def desk(browser, live_server, request) -> Iterator:
    """desk("triage") → a session logged in as that persona on a desktop screen (its own cookies)."""
    contexts = []

    def make(username: str) -> PhoneSession:
        context = browser.new_context(viewport=DESKTOP)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        session = PhoneSession(page, live_server.url, f"{request.node.name}-{username}")
        session.log_in(username)
        return session

    yield make
    for context in contexts:
        context.close()


def status_shown(session: PhoneSession) -> str:
    return session.page.locator("#demand-status").inner_text()


def test_a_demand_goes_from_a_phone_to_an_expert_and_back(world, phone, desk):
    expert = make_expert(world, "expert")
    crabs = Specialty.objects.get(code="river-crabs")
    page = phone.page

    # The info officer submits on the phone; similar demands are fetched while typing (none yet).
    phone.log_in("info_officer")
    phone.open("/demands/new/")
    page.select_option("select[name=village]", str(world.village_a1.pk))
    page.fill("input[name=title]", "河蟹七月大量死亡")
    page.fill("textarea[name=description]", "池塘河蟹最近死亡很多，水质发绿")
    page.select_option("select[name=specialty]", str(crabs.pk))
    assert phone.overflow() <= 0
    phone.follow("form.card button[type=submit]")
    demand = Demand.objects.get()
    assert page.url.endswith(f"/demands/{demand.pk}/")
    phone.screenshot("submitted")

    # The triage officer assigns the top recommended expert with one click.
    triage = desk("triage")
    triage.open(f"/demands/{demand.pk}/")
    assert expert.name in triage.page.locator("form.assign-top button").inner_text()
    triage.follow("form.assign-top button")
    triage.screenshot("assigned")

    # The expert accepts, then resolves with a summary.
    serving = desk("expert")
    serving.open("/demands/inbox/")
    serving.follow(f'table.stack a[href$="/demands/{demand.pk}/"]')
    serving.follow("form.action-accept button")
    serving.page.fill("form.action-resolve textarea[name=solution_summary]", "换水三分之一，投放底改，停食两天")
    serving.follow("form.action-resolve button")
    serving.screenshot("resolved")

    # Back on the phone, the info officer rates the service 5 with a big tap target.
    phone.open(f"/demands/{demand.pk}/")
    page.locator("form.action-rate input[name=rating][value='5']").check()
    phone.follow("form.action-rate button")
    phone.screenshot("rated")
    assert phone.overflow() <= 0
    assert phone.foreign_requests == []
    with translation.override("zh-hans"):
        assert status_shown(phone) == gettext(DemandStatus.CLOSED.label)
    demand.refresh_from_db()
    assert (demand.status, demand.rating, demand.resolved_by) == (DemandStatus.CLOSED, 5, expert)
