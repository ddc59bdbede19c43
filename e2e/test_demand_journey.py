"""A demand's journey in the browser, in Chinese and in English: the village info officer submits it on a 360 px
phone, the triage officer assigns the top recommended expert at a desk, the expert accepts and resolves it, the info
officer rates it 5, the triage officer publishes the solution as knowledge, and the next demand typed finds it."""

from __future__ import annotations

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


def status_shown(session: PhoneSession) -> str:
    return session.page.locator("#demand-status").inner_text()


#: (language, URL prefix): the journey runs in Chinese (the default, no prefix) and in English.
LANGUAGES = [("zh-hans", ""), ("en", "/en")]


@pytest.mark.parametrize(("language", "prefix"), LANGUAGES, ids=[language for language, _ in LANGUAGES])
def test_a_demand_goes_from_a_phone_to_an_expert_and_back(world, phone, desk, language, prefix):
    expert = make_expert(world, "expert")
    crabs = Specialty.objects.get(code="river-crabs")
    page = phone.page

    # The info officer submits on the phone; similar demands are fetched while typing (none yet).
    phone.log_in("info_officer")
    phone.open(f"{prefix}/demands/new/")
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
    triage.open(f"{prefix}/demands/{demand.pk}/")
    assert expert.name in triage.page.locator("form.assign-top button").inner_text()
    triage.follow("form.assign-top button")
    triage.screenshot("assigned")

    # The expert accepts, then resolves with a summary.
    serving = desk("expert")
    serving.open(f"{prefix}/demands/inbox/")
    serving.follow(f'table.stack a[href$="/demands/{demand.pk}/"]')
    serving.follow("form.action-accept button")
    serving.page.fill("form.action-resolve textarea[name=solution_summary]", "换水三分之一，投放底改，停食两天")
    serving.follow("form.action-resolve button")
    serving.screenshot("resolved")

    # Back on the phone, the info officer rates the service 5 with a big tap target.
    phone.open(f"{prefix}/demands/{demand.pk}/")
    page.locator("form.action-rate input[name=rating][value='5']").check()
    phone.follow("form.action-rate button")
    phone.screenshot("rated")
    assert phone.overflow() <= 0
    assert phone.foreign_requests == []
    with translation.override(language):
        assert status_shown(phone) == gettext(DemandStatus.CLOSED.label)
        assert page.locator("html").get_attribute("lang") == language
    demand.refresh_from_db()
    assert (demand.status, demand.rating, demand.resolved_by) == (DemandStatus.CLOSED, 5, expert)

    # The triage officer publishes the solution from the review queue; the next farmer typing finds it.
    triage.open(f"{prefix}/demands/knowledge/review/")
    triage.follow(f'table.stack a[href$="/demands/knowledge/{demand.knowledge.pk}/"]')
    triage.page.fill("form.action-publish input[name=title]", "河蟹死亡的处理")
    triage.follow("form.action-publish button")
    triage.screenshot("knowledge-published")
    phone.open(f"{prefix}/demands/new/")
    page.fill("input[name=title]", "河蟹死亡")
    page.locator("input[name=title]").press("End")
    page.wait_for_selector("#suggestions")
    assert "河蟹死亡的处理" in page.locator("#suggestions").inner_text()
    assert phone.overflow() <= 0
    phone.screenshot("knowledge-suggested")
