"""The menu shows each role its own work and marks the page the user is on."""

from django.urls import reverse


def current(response) -> list[str]:
    return [item["url"] for item in response.context["menu"] if item["active"]]


def test_the_most_specific_menu_item_is_current(world, client_for):
    response = client_for("county_admin").get(reverse("regions:household-list"))
    assert current(response) == [reverse("regions:household-list")]


def test_home_is_current_only_on_the_home_page(world, client_for):
    client = client_for("county_admin")
    assert current(client.get(reverse("home"))) == [reverse("home")]
    assert reverse("home") not in current(client.get(reverse("core:audit-list")))


def test_a_farmer_is_not_offered_the_registries_of_managers(world, client_for):
    urls = [item["url"] for item in client_for("farmer").get(reverse("home")).context["menu"]]
    assert reverse("core:audit-list") not in urls
    assert reverse("accounts:user-list") not in urls


def test_every_menu_item_opens_for_every_persona(world, client_for):
    """A link is shown only when its page opens: the menu and the page ask the same `may_open`."""
    for name in world.users:
        client = client_for(name)
        for item in client.get(reverse("home")).context["menu"]:
            status = client.get(item["url"]).status_code
            assert status == 200, f"{name}: menu item {item['label']} → {item['url']} answers {status}"


def test_a_page_refused_by_role_is_not_in_the_menu(world, client_for):
    """The expert may not open the triage queue: it is neither offered nor served."""
    client = client_for("expert")
    urls = [item["url"] for item in client.get(reverse("home")).context["menu"]]
    assert reverse("assistance:triage-queue") not in urls
    assert client.get(reverse("assistance:triage-queue")).status_code == 403
