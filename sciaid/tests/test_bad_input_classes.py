"""Classes of bad input found by fuzzing (issue 15), each checked across every route it can reach, not one example:
out-of-range numbers in filters, NUL characters, non-numeric ids, deleting what is still referred to, pictures
with too many pixels, filters outside the user's jurisdiction, and a schema that says what the API answers."""

from __future__ import annotations

import io

import django_filters
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import DecimalField
from django.urls import URLResolver, get_resolver
from django_filters.utils import get_model_field
from drf_spectacular.generators import SchemaGenerator
from PIL import Image

from sciaid.api_urls import router
from sciaid.core.models import ObjectChange
from sciaid.core.views import ScopedListView
from sciaid.tests import samples

BAD_NUMBERS = ["0", "-1", "99999999999999999999"]


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _number_filters(filterset_class) -> list[tuple[str, list[str] | None]]:
    """(name, values it must refuse) of each number filter: a year 0, -1 or 20 digits; an id only 20 digits; an
    amount (a decimal column) none of them, but must not fail on them either (None)."""
    if filterset_class is None:
        return []
    found = []
    for name, number in filterset_class.base_filters.items():
        if not isinstance(number, django_filters.NumberFilter) or isinstance(number, django_filters.BaseCSVFilter):
            continue
        if name == "year" or number.lookup_expr == "year":
            found.append((name, BAD_NUMBERS))
        elif isinstance(get_model_field(filterset_class._meta.model, number.field_name), DecimalField):
            found.append((name, None))
        else:
            found.append((name, BAD_NUMBERS[-1:]))
    return found


def list_pages() -> list[tuple[str, str, list[str] | None]]:
    """(address, number filter) of every list page without URL arguments."""
    found = []
    for route, pattern in _routes(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", None)
        if view and issubclass(view, ScopedListView) and "<" not in route and not route.startswith("en/"):
            found += [(f"/{route}", *number) for number in _number_filters(view.filterset_class)]
    return found


def api_lists() -> list[tuple[str, str, list[str] | None]]:
    return [
        (f"/api/v1/{prefix}/", *number)
        for prefix, viewset, _basename in router.registry
        for number in _number_filters(getattr(viewset, "filterset_class", None))
    ]


# --- numbers in filters ----------------------------------------------------------------------------------------


def test_every_list_with_a_number_filter_is_covered():
    paths = {path for path, _name, _values in list_pages() + api_lists()}
    assert {"/commissioners/logs/", "/regions/visits/", "/api/v1/service-logs/", "/api/v1/cadre-visits/"} <= paths


@pytest.mark.parametrize(("path", "name", "values"), api_lists())
def test_an_api_list_refuses_an_impossible_number_with_a_400(world, api_for, path, name, values):
    client = api_for("admin")
    for value in values or BAD_NUMBERS:
        response = client.get(path, {name: value})
        if values is None:
            assert response.status_code == 200, (path, name, value, response.status_code)
            continue
        assert response.status_code == 400, (path, name, value, response.status_code)
        assert name in response.json(), response.json()


@pytest.mark.parametrize(("path", "name", "values"), list_pages())
def test_a_list_page_shows_an_impossible_number_as_a_form_error_over_no_rows(world, client_for, path, name, values):
    client = client_for("admin")
    for value in values or BAD_NUMBERS:
        response = client.get(path, {name: value})
        assert response.status_code == 200, (path, name, value, response.status_code)
        if values is None:
            continue
        assert response.context["filter"].errors.get(name), (path, name, value)
        assert len(response.context["object_list"]) == 0


def test_a_real_year_still_filters(world, api_for):
    response = api_for("admin").get("/api/v1/cadre-visits/", {"year": "2020"})
    assert response.status_code == 200


# --- out-of-scope areas on pages -------------------------------------------------------------------------------


def test_a_village_outside_the_users_areas_empties_the_page_and_refuses_the_export(world, client_for, english):
    client = client_for("county_admin")
    other = world.areas["village_b1"].code
    page = client.get("/en/regions/households/", {"village": other})
    assert page.status_code == 200
    assert page.context["filter"].errors.get("village")
    assert len(page.context["object_list"]) == 0
    export = client.get("/en/regions/households/", {"village": other, "export": "csv"})
    assert export.status_code == 400
    assert "nothing was exported" in export.content.decode()
    # The API answers the same question with a 400 too.
    own = client.get("/en/regions/households/", {"village": world.areas["village_a1"].code})
    assert len(own.context["object_list"]) == 1


# --- NUL characters --------------------------------------------------------------------------------------------


def _write_operations() -> list[tuple[str, str, list[str]]]:
    """(method, path, string properties) of every API operation taking a JSON body, from the OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if method not in ("post", "put", "patch") or body is None:
                continue
            body = components[body["$ref"].rsplit("/", 1)[-1]] if "$ref" in body else body
            texts = [name for name, prop in body.get("properties", {}).items() if prop.get("type") == "string"]
            found.append((method, path.replace("{id}", "1"), texts or ["text"]))
    return found


def test_nul_in_any_text_field_of_any_api_write_is_a_400_and_writes_nothing(world, api_for):
    client = api_for("admin")
    before = ObjectChange.objects.count()
    operations = _write_operations()
    assert len(operations) > 50
    for method, path, texts in operations:
        for name in texts:
            response = getattr(client, method)(path, {name: "crabs\x00die"}, format="json")
            assert response.status_code == 400, (method, path, name, response.status_code)
            assert response.json()["code"] == "nul_character"
        # Nested in a list or as a key, too.
        response = getattr(client, method)(path, {"items": [{"x\x00": "y"}]}, format="json")
        assert response.status_code == 400, (method, path)
    assert ObjectChange.objects.count() == before


def test_nul_in_a_multipart_field_or_a_query_string_is_a_400(world, api_for, client_for):
    api = api_for("admin")
    assert api.post("/api/v1/households/", {"head_name": "a\x00"}, format="multipart").status_code == 400
    assert api.get("/api/v1/households/", {"q": "a\x00"}).status_code == 400
    page = client_for("county_admin")
    assert page.get("/regions/households/", {"q": "a\x00"}).status_code == 400
    households = world.areas["village_a1"].households.count()
    form = {"village": world.areas["village_a1"].code, "head_name": "户主\x00", "members": 3}
    assert page.post("/regions/households/new/", form).status_code == 400
    assert world.areas["village_a1"].households.count() == households


# --- ids in addresses ------------------------------------------------------------------------------------------


def test_every_api_object_route_takes_only_a_numeric_id(world, api_for):
    routed = [str(url.pattern) for url in router.urls if "<pk>" in str(url.pattern) or "(?P<pk>" in str(url.pattern)]
    assert routed
    assert all("(?P<pk>[0-9]+)" in pattern for pattern in routed), [p for p in routed if "[0-9]+" not in p]
    client = api_for("admin")
    assert client.post("/api/v1/batches/x/apply/").status_code == 404
    assert client.get("/api/v1/households/1e3/").status_code == 404
    assert client.delete("/api/v1/pairings/%20/").status_code == 404


# --- deleting what is still referred to ------------------------------------------------------------------------


def test_deleting_a_household_with_demands_is_a_409_saying_why(world, api_for, english):
    household = world.household_a1
    demand = samples.demand(world, "a")
    demand.household = household
    demand.save()
    response = api_for("county_admin").delete(f"/api/v1/households/{household.pk}/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "protected"
    assert "1 demand" in body["detail"]
    assert type(household).objects.filter(pk=household.pk).exists()


@pytest.fixture
def agreed_pairing(world):
    from sciaid.commissioners.tests import samples as commissioner_samples

    samples.expert(world, "a")
    pairing = samples.expert_pairing(world, "a")
    commissioner_samples.agreement(world, "a")
    return pairing


def test_deleting_a_pairing_with_an_agreement_is_a_409_in_the_api(world, api_for, agreed_pairing, english):
    response = api_for("county_admin").delete(f"/api/v1/pairings/{agreed_pairing.pk}/")
    assert response.status_code == 409, response.content
    assert "agreement" in response.json()["detail"]
    assert type(agreed_pairing).objects.filter(pk=agreed_pairing.pk).exists()


def test_deleting_a_pairing_with_an_agreement_goes_back_with_the_reason_on_the_page(world, client_for, agreed_pairing):
    client = client_for("county_admin")
    response = client.post(f"/en/experts/pairings/{agreed_pairing.pk}/delete/", {}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(f"/experts/{agreed_pairing.expert_id}/")
    shown = [str(message) for message in response.context["messages"]]
    assert any("other records refer to it" in message for message in shown), shown
    assert type(agreed_pairing).objects.filter(pk=agreed_pairing.pk).exists()


# --- pictures with too many pixels -----------------------------------------------------------------------------


def huge_png(side: int = 12000) -> bytes:
    """A 12000×12000 picture that weighs a few kilobytes compressed (one bit a pixel, all white)."""
    buffer = io.BytesIO()
    Image.new("1", (side, side), 1).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def test_a_picture_over_the_pixel_limit_is_refused_before_decoding(world, english, monkeypatch):
    from django.core.exceptions import ValidationError

    from sciaid.core import files
    from sciaid.funds.services import clean_voucher

    content = huge_png()
    assert len(content) < 200_000

    def no_decoding(*args, **kwargs):
        raise AssertionError("the picture was decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    upload = SimpleUploadedFile("crabs.png", content, content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        files.reencoded_photo(upload, field="photos", max_bytes=8 << 20, max_edge=2048)
    assert "megapixels" in str(refused.value.message_dict["photos"])
    with pytest.raises(ValidationError) as refused:
        files.checked_type(upload, {files.PNG}, field="cover", max_bytes=8 << 20, refusal="a picture")
    assert "megapixels" in str(refused.value.message_dict["cover"])
    with pytest.raises(ValidationError) as refused:
        clean_voucher(upload)
    assert "megapixels" in str(refused.value.message_dict["voucher"])


def test_a_huge_photo_sent_to_the_api_is_a_400_and_nothing_is_saved(world, api_for, english):
    from sciaid.demonstration.models import SitePhoto
    from sciaid.demonstration.tests import samples as site_samples

    site = site_samples.site(world, "a")
    upload = SimpleUploadedFile("crabs.png", huge_png(), content_type="image/png")
    response = api_for("county_admin").post(f"/api/v1/demo-sites/{site.pk}/photos/", {"photos": [upload]})
    assert response.status_code == 400, response.content
    assert "megapixels" in str(response.json())
    assert not SitePhoto.objects.filter(site=site).exists()


# --- the schema says what the API answers ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_method_fields_that_may_be_null_are_nullable_in_the_schema(schema):
    assert schema["components"]["schemas"]["Expenditure"]["properties"]["voucher_url"]["nullable"] is True


def test_blank_read_only_choices_allow_the_empty_string(schema):
    components = schema["components"]["schemas"]
    blank = {"$ref": "#/components/schemas/BlankEnum"}
    assert blank in components["ProjectDetail"]["properties"]["verdict"]["oneOf"]
    assert blank in components["InspectionItem"]["properties"]["level"]["oneOf"]


def test_every_operation_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403"} <= codes, (method, path)
            if "{id}" in path:
                assert "404" in codes, (method, path)
