"""No user ever sees or touches another county's data, through any endpoint: the generic isolation test.

It walks every viewset on the API router and every scoped HTML view in the URL tree, and checks each with a sample
object of its model in county A and in county B (sciaid/tests/samples.py): the county admin of A sees A's object and
never B's — not in lists, exports, searches, details or edits — and the other way round; a user with no grant sees
nothing. A new endpoint is covered as soon as its model has a sample; without one, this test fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from sciaid.api_urls import router
from sciaid.core.scoping import view_scoping
from sciaid.core.views import ScopedDetailView, ScopedListView, ServiceFormView
from sciaid.testing import build_world
from sciaid.tests.samples import COUNTIES, COUNTY_ADMINS, SAMPLES, URL_KWARGS

OTHER = {"a": "b", "b": "a"}
MISSING_PK = 987654321


# --- what is served ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "regions:household-detail"
    kwargs: tuple[str, ...]  # the URL's keyword arguments
    view_class: type

    @property
    def model(self):
        return self.view_class.model

    def url(self, obj=None) -> str:
        if not self.kwargs:
            return reverse(self.name)
        if obj is None:
            return reverse(self.name, kwargs=dict.fromkeys(self.kwargs, MISSING_PK))
        return reverse(self.name, kwargs=object_kwargs(self, obj))


def object_kwargs(route: Route, obj) -> dict:
    if route.name in URL_KWARGS:
        return URL_KWARGS[route.name](obj)
    view = route.view_class
    kwargs = {}
    for name in route.kwargs:
        if name == getattr(view, "pk_url_kwarg", "pk"):
            kwargs[name] = obj.pk
        elif name == getattr(view, "slug_url_kwarg", None):
            kwargs[name] = getattr(obj, view.slug_field)
        else:
            pytest.fail(f"{route.name}: say how to build its URL for an object in samples.URL_KWARGS")
    return kwargs


def walk(patterns=None, namespace: str = ""):
    """(full name, pattern) of every URL pattern, skipping Django's admin."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), entry


def pattern_kwargs(pattern: URLPattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    return tuple(converters) if converters else tuple(pattern.pattern.regex.groupindex)


def html_routes(base: type) -> list[Route]:
    routes = []
    for name, pattern in walk():
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is not None and issubclass(view_class, base):
            routes.append(Route(name, pattern_kwargs(pattern), view_class))
    return routes


LISTS = html_routes(ScopedListView)
DETAILS = [route for route in html_routes(ScopedDetailView) if route.kwargs]
FORMS = [route for route in html_routes(ServiceFormView) if route.kwargs and route.view_class.edits_object]
VIEWSETS = [(basename, viewset) for _prefix, viewset, basename in router.registry]
#: Pages and API views reporting on the area named by `?area=<code>` (they declare `reports_on_area = True`).
AREA_REPORTS = [
    name for name, pattern in walk() if getattr(getattr(pattern.callback, "view_class", None), "reports_on_area", False)
]


def test_every_url_declares_its_scoping():
    undeclared = [name or str(pattern.pattern) for name, pattern in walk() if view_scoping(pattern.callback) is None]
    assert undeclared == [], "views without scoping (inherit the scoped base classes or mark them public)"


def test_every_served_model_has_a_sample():
    served = {viewset.queryset.model for _, viewset in VIEWSETS} | {r.model for r in LISTS + DETAILS + FORMS}
    missing = sorted(model.__name__ for model in served if model not in SAMPLES)
    assert missing == [], "register a sample in sciaid/tests/samples.py for these models"


def test_the_walk_finds_the_known_endpoints():
    """Guards the walker itself: if it found nothing, every test below would pass vacuously."""
    assert {"household", "area", "user", "grant"} <= {basename for basename, _ in VIEWSETS}
    assert {"regions:household-list", "accounts:user-list"} <= {route.name for route in LISTS}
    assert {"regions:household-detail", "accounts:user-detail"} <= {route.name for route in DETAILS}
    assert "regions:household-edit" in {route.name for route in FORMS}
    assert {"report-assistance", "assistance_reports:statistics"} <= set(AREA_REPORTS)


# --- one world for the whole module -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world_and_samples(django_db_setup, django_db_blocker, media_root):
    """Built once and rolled back at the end; each test runs in its own savepoint inside it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        world = build_world()
        samples = {
            (model, county): spec.factory(world, county) for model, spec in SAMPLES.items() for county in COUNTIES
        }
        yield world, samples
        transaction.set_rollback(True)


@pytest.fixture
def setting(world_and_samples, db):
    return world_and_samples


def api_client(world, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[persona])
    return client


def html_client(world, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def ids_in(response) -> set:
    assert response.status_code == 200, response.content[:500]
    return {row["id"] for row in response.json()["results"]}


def pks_in(response) -> set:
    assert response.status_code == 200, response.content[:500]
    return {obj.pk for obj in response.context["object_list"]}


def owned_by(model, user) -> set:
    """What a user without any grant may still see: objects that are theirs (their jobs, their own account)."""
    owner_path = model.scope.owner_path
    return (
        set(model._default_manager.filter(**{owner_path: user.pk}).values_list("pk", flat=True))
        if owner_path
        else set()
    )


def detail_actions(viewset) -> list[tuple[str, str]]:
    """(method, url name) of the viewset's per-object actions, e.g. ("post", "household-transition")."""
    return [
        (method, action.url_name)
        for action in viewset.get_extra_actions()
        if action.detail
        for method in action.mapping
    ]


def write_methods(viewset) -> list[str]:
    methods = {"put": "update", "patch": "partial_update", "delete": "destroy"}
    return [m for m, handler in methods.items() if m in viewset.http_method_names and hasattr(viewset, handler)]


# --- API --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("county", COUNTIES)
@pytest.mark.parametrize(("basename", "viewset"), VIEWSETS, ids=[basename for basename, _ in VIEWSETS])
def test_api_shows_a_county_admin_only_their_county(setting, basename, viewset, county):
    world, samples = setting
    model = viewset.queryset.model
    own, other = samples[model, county], samples[model, OTHER[county]]
    client = api_client(world, COUNTY_ADMINS[county])
    list_url = reverse(f"{basename}-list")

    listed = ids_in(client.get(list_url, {"page_size": 500}))
    assert own.pk in listed
    if model.scope.catalogue:
        check_catalogue_api(client, basename, viewset, model, other, listed)
        return
    assert other.pk not in listed

    filterset = getattr(viewset, "filterset_class", None)
    if filterset is not None and "q" in filterset.base_filters:
        spec = SAMPLES[model]
        assert own.pk in ids_in(client.get(list_url, {"q": spec.search(own)}))
        assert other.pk not in ids_in(client.get(list_url, {"q": spec.search(other)}))

    assert client.get(reverse(f"{basename}-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse(f"{basename}-detail", args=[other.pk])).status_code == 404
    for method in write_methods(viewset):
        response = getattr(client, method)(reverse(f"{basename}-detail", args=[other.pk]), {}, format="json")
        assert response.status_code == 404, f"{method.upper()} {basename} of the other county"
    for method, url_name in detail_actions(viewset):
        response = getattr(client, method)(reverse(f"{basename}-{url_name}", args=[other.pk]), {}, format="json")
        assert response.status_code == 404, f"{method.upper()} {url_name} of the other county"
    assert model._default_manager.filter(pk=other.pk).exists(), "the other county's object must survive"


def check_catalogue_api(client, basename, viewset, model, other, listed) -> None:
    """Reference data (`Scope.catalogue`, e.g. the specialty tree) is read by every role everywhere; a county admin
    is not among its editors, so every write is refused and the object survives."""
    assert other.pk in listed
    assert client.get(reverse(f"{basename}-detail", args=[other.pk])).status_code == 200
    for method in write_methods(viewset):
        response = getattr(client, method)(reverse(f"{basename}-detail", args=[other.pk]), {}, format="json")
        assert response.status_code == 403, f"{method.upper()} {basename} by a non-editor"
    assert model._default_manager.filter(pk=other.pk).exists()


@pytest.mark.parametrize(("basename", "viewset"), VIEWSETS, ids=[basename for basename, _ in VIEWSETS])
def test_api_shows_a_user_without_grant_nothing(setting, basename, viewset):
    world, samples = setting
    model = viewset.queryset.model
    client = api_client(world, "outsider")

    listed = ids_in(client.get(reverse(f"{basename}-list"), {"page_size": 500}))
    assert listed <= owned_by(model, world.outsider)
    for county in COUNTIES:
        obj = samples[model, county]
        assert client.get(reverse(f"{basename}-detail", args=[obj.pk])).status_code == 404
        for method in write_methods(viewset):
            response = getattr(client, method)(reverse(f"{basename}-detail", args=[obj.pk]), {}, format="json")
            assert response.status_code == 404


@pytest.mark.parametrize("county", COUNTIES)
@pytest.mark.parametrize("name", AREA_REPORTS)
def test_area_reports_show_a_county_admin_only_their_county(setting, name, county):
    """A report on the own county is served; on the other county it is a 404, as if the area did not exist."""
    world, _samples = setting
    client = html_client(world, COUNTY_ADMINS[county])
    own, other = world.areas[f"county_{county}"], world.areas[f"county_{OTHER[county]}"]
    assert client.get(reverse(name), {"area": own.code}).status_code == 200
    assert client.get(reverse(name), {"area": other.code}).status_code == 404
    assert html_client(world, "outsider").get(reverse(name), {"area": own.code}).status_code in (403, 404)


# --- HTML -------------------------------------------------------------------------------------------------------


def fingerprints_of(obj) -> list[str]:
    return [text for text in SAMPLES[type(obj)].fingerprints(obj) if text]


def export_text(client: Client, url: str) -> str:
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig")


@pytest.mark.parametrize("county", COUNTIES)
@pytest.mark.parametrize("route", LISTS, ids=[route.name for route in LISTS])
def test_html_list_shows_a_county_admin_only_their_county(setting, route, county):
    world, samples = setting
    own, other = samples[route.model, county], samples[route.model, OTHER[county]]
    client = html_client(world, COUNTY_ADMINS[county])
    url = route.url(own) if route.kwargs else route.url()

    listed = pks_in(client.get(url))
    assert own.pk in listed
    if route.model.scope.catalogue:
        assert other.pk in listed, "a catalogue is read by every role"
        return
    assert other.pk not in listed

    if route.view_class.export_columns is not None:
        exported = export_text(client, url)
        assert any(text in exported for text in fingerprints_of(own)), "the sample's fingerprints miss its export"
        assert not [text for text in fingerprints_of(other) if text in exported]

    filterset = route.view_class.filterset_class
    if filterset is not None and "q" in filterset.base_filters:
        spec = SAMPLES[route.model]
        assert own.pk in pks_in(client.get(url, {"q": spec.search(own)}))
        assert other.pk not in pks_in(client.get(url, {"q": spec.search(other)}))
        if route.view_class.export_columns is not None:
            searched = export_text(client, f"{url}?q={spec.search(other)}")
            assert not [text for text in fingerprints_of(other) if text in searched]


@pytest.mark.parametrize("route", LISTS, ids=[route.name for route in LISTS])
def test_html_list_shows_a_user_without_grant_nothing(setting, route):
    world, samples = setting
    client = html_client(world, "outsider")
    if route.kwargs:
        pytest.skip("a list under one object: covered by that object's detail")
    response = client.get(route.url())
    if response.status_code == 403:
        return  # refused outright: no data either
    assert pks_in(response) <= owned_by(route.model, world.outsider)
    if route.view_class.export_columns is not None:
        exported = export_text(client, route.url())
        for county in COUNTIES:
            assert not [text for text in fingerprints_of(samples[route.model, county]) if text in exported]


@pytest.mark.parametrize("county", COUNTIES)
@pytest.mark.parametrize("route", DETAILS, ids=[route.name for route in DETAILS])
def test_html_detail_of_the_other_county_is_not_found(setting, route, county):
    world, samples = setting
    client = html_client(world, COUNTY_ADMINS[county])
    assert client.get(route.url(samples[route.model, county])).status_code == 200
    assert client.get(route.url(samples[route.model, OTHER[county]])).status_code == 404
    outsider = html_client(world, "outsider")
    assert outsider.get(route.url(samples[route.model, county])).status_code == 404


@pytest.mark.parametrize("county", COUNTIES)
@pytest.mark.parametrize("route", FORMS, ids=[route.name for route in FORMS])
def test_html_edit_of_the_other_county_is_not_found(setting, route, county):
    world, samples = setting
    model = route.model
    own, other = samples[model, county], samples[model, OTHER[county]]
    client = html_client(world, COUNTY_ADMINS[county])
    if model.scope.catalogue:
        # Reference data is visible to all and editable by its editors only: a county admin is refused, not misled.
        before = model._default_manager.filter(pk=other.pk).values().first()
        assert client.get(route.url(other)).status_code == 403
        assert client.post(route.url(other), {}).status_code == 403
        assert model._default_manager.filter(pk=other.pk).values().first() == before
        return
    assert client.get(route.url(own)).status_code != 404, "the URL must work for the county's own object"
    assert client.get(route.url(other)).status_code == 404
    before = model._default_manager.filter(pk=other.pk).values().first()
    assert client.post(route.url(other), {}).status_code == 404
    assert model._default_manager.filter(pk=other.pk).values().first() == before

    # Someone without a grant is refused the same way whether or not the object exists: nothing leaks.
    outsider = html_client(world, "outsider")
    refused = outsider.post(route.url(own), {}).status_code
    assert refused in (403, 404)
    assert outsider.post(route.url(), {}).status_code == refused
