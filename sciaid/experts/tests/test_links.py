"""The experts pages link only to pages the viewer may open: a commissioner sees the pairings of their county but
not the other experts' profiles, so their names are not links (they were, to a 404)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciaid.experts.models import Expert, Pairing

HREF = re.compile(r'href="([^"#?]+)')


def links(body: str) -> set[str]:
    return set(HREF.findall(body))


def test_a_commissioner_is_linked_only_to_what_they_may_open(world, client_for, make_expert):
    other = make_expert("crab_a", name="李蟹")
    mine = make_expert("expert", name="王海")
    Pairing.objects.create(expert=other, village=world.village_a3, year=2020)
    Pairing.objects.create(expert=mine, village=world.village_a1, year=2020)
    client = client_for("expert")
    page = client.get(reverse("experts:pairing-list"))
    assert {p.expert.name for p in page.context["object_list"]} == {"李蟹", "王海"}
    table = re.search(r"<table.*?</table>", page.content.decode(), re.S).group(0)
    found = links(table)
    assert reverse("experts:expert-detail", args=[mine.pk]) in found
    assert reverse("experts:expert-detail", args=[other.pk]) not in found
    for url in found:
        assert client.get(url).status_code == 200, url


def test_the_pairing_list_checks_links_in_a_constant_number_of_queries(world, client_for, make_expert):
    client = client_for("county_admin")
    url = reverse("experts:pairing-list")
    Pairing.objects.create(expert=make_expert("e0"), village=world.village_a1, year=2020)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n, village in enumerate((world.village_a2, world.village_a3), start=1):
        Pairing.objects.create(expert=make_expert(f"e{n}"), village=village, year=2020)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_only_managers_are_offered_to_add_or_import_experts(client_for, make_expert):
    create, imports = reverse("experts:expert-create"), reverse("experts:expert-import")
    managers = links(client_for("county_admin").get(reverse("experts:expert-list")).content.decode())
    assert {create, imports} <= managers
    desk = links(client_for("triage").get(reverse("experts:expert-list")).content.decode())
    assert not {create, imports} & desk
    assert client_for("triage").get(create).status_code == 403


def test_an_expert_may_edit_their_own_profile_but_not_create_one(world, client_for, make_expert):
    mine = make_expert("expert", name="王海")
    page = client_for("expert").get(reverse("experts:expert-detail", args=[mine.pk])).content.decode()
    assert reverse("experts:expert-edit", args=[mine.pk]) in links(page)
    assert client_for("expert").get(reverse("experts:expert-edit", args=[mine.pk])).status_code == 200
    assert not Expert.objects.exclude(pk=mine.pk).exists()
    assert client_for("expert").get(reverse("experts:expert-create")).status_code == 403
