"""Every tab, button and link on the commissioners' pages leads somewhere the viewer may open (issue 9: an expert
on an agreement was shown 统计 / 覆盖 / 预警 and 编辑, all refused), and the tab bar is a `nav.tabs`."""

import re

import pytest
from django.urls import reverse

from sciaid.commissioners.agreements import services as agreements
from sciaid.commissioners.selection import services as selection
from sciaid.commissioners.tests.conftest import YEAR, on
from sciaid.experts.models import Pairing

HREF = re.compile(r'<a [^>]*href="([^"#]+)"')


@pytest.fixture
def agreement(world, commissioner):
    """A draft agreement of the "expert" persona's pairing with village A1."""
    return agreements.save_agreement(
        world.users["county_admin"],
        pairing=Pairing.objects.get(expert=commissioner),
        starts_on=on(1),
        ends_on=on(12, 31),
        target_trainings=3,
    )


def links(body: str) -> list[str]:
    """The links of the page's content (the site menu is tested on its own), not to static files."""
    content = body.split("<main>", 1)[1].split("</main>", 1)[0]
    return sorted({href for href in HREF.findall(content) if href.startswith("/") and not href.startswith("/static/")})


def has_link(html: str, path: str) -> bool:
    return re.search(rf'href="{re.escape(path)}(\?[^"]*)?"', html) is not None


def tabs(body: str) -> str:
    return body.split('<nav class="tabs"', 1)[1].split("</nav>", 1)[0]


def test_an_expert_sees_no_tab_or_button_their_role_cannot_open(client_for, agreement):
    client = client_for("expert")
    page = client.get(agreement.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    bar = tabs(body)
    for refused in ("commissioners:statistics", "commissioners:coverage", "commissioners:alerts"):
        assert not has_link(bar, reverse(refused))
    assert has_link(bar, reverse("commissioners:agreement-list"))
    assert not has_link(body, reverse("commissioners:agreement-edit", args=[agreement.pk]))
    assert " · ›" not in body and "· ›" not in bar
    for href in links(body):
        assert client.get(href).status_code not in (403, 404), href


def test_the_county_sees_the_tabs_and_the_edit_button_and_each_opens(client_for, agreement):
    client = client_for("county_admin")
    body = client.get(agreement.get_absolute_url()).content.decode()
    bar = tabs(body)
    for name in ("commissioners:statistics", "commissioners:coverage", "commissioners:alerts"):
        assert has_link(bar, reverse(name))
    assert has_link(body, reverse("commissioners:agreement-edit", args=[agreement.pk]))
    for href in links(body):
        assert client.get(href).status_code not in (403, 404), href


@pytest.mark.parametrize(
    "persona", ["county_admin", "supervisor", "triage", "info_officer", "expert", "applicant", "reviewer"]
)
def test_no_commissioners_page_links_to_a_refusal(world, client_for, commissioner, agreement, persona):
    """Each page of the tab bar, as each role that reaches it: every link on it opens."""
    selection.open_batch(world.users["county_admin"], county=world.areas["county_a"], year=YEAR + 1, title="第二批")
    client = client_for(persona)
    pages = [
        "commissioners:statistics",
        "commissioners:batch-list",
        "commissioners:agreement-list",
        "commissioners:log-list",
        "commissioners:team-list",
        "commissioners:appraisal-list",
        "commissioners:allocation-list",
        "commissioners:workstation-list",
    ]
    for name in pages:
        response = client.get(reverse(name))
        if response.status_code == 403:
            continue
        assert response.status_code == 200, name
        for href in links(response.content.decode()):
            assert client.get(href).status_code not in (403, 404), f"{name} → {href}"


def test_an_expert_applies_where_the_county_nominates(world, client_for, commissioner):
    batch = selection.open_batch(
        world.users["county_admin"], county=world.areas["county_a"], year=YEAR + 1, title="第二批"
    )
    expert_page = client_for("expert").get(batch.get_absolute_url()).content.decode()
    county_page = client_for("county_admin").get(batch.get_absolute_url()).content.decode()
    apply_url = reverse("commissioners:batch-apply", args=[batch.pk])
    nominate_url = reverse("commissioners:batch-nominate", args=[batch.pk])
    assert apply_url in expert_page and nominate_url not in expert_page
    assert nominate_url in county_page and apply_url not in county_page
    assert client_for("county_admin").post(apply_url, {"statement": "x"}).status_code == 403
    assert client_for("county_admin_b").post(apply_url, {"statement": "x"}).status_code == 404
    assert client_for("expert").post(apply_url, {"statement": "愿意"}).status_code == 302
    assert batch.candidates.get().expert == commissioner
