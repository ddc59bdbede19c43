"""Long lists count up to a cap, so a province-wide list costs no full count; pages past the cap say "more"."""

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciaid.core.pagination import CappedPaginator
from sciaid.regions.models import Area
from sciaid.regions.views import AreaListView


def test_a_count_is_exact_below_the_cap(world):
    paginator = CappedPaginator(Area.objects.order_by("code"), 2)
    paginator.cap = 100
    assert paginator.count == Area.objects.count()
    assert not paginator.is_capped


def test_a_count_stops_one_past_the_cap(world):
    paginator = CappedPaginator(Area.objects.order_by("code"), 2)
    paginator.cap = 3
    assert paginator.count == 4
    assert paginator.is_capped
    assert paginator.num_pages == 2
    assert [a.code for a in paginator.page(2)] == [a.code for a in Area.objects.order_by("code")[2:4]]


def test_a_capped_list_page_says_more(world, client_for, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 1)
    monkeypatch.setattr(AreaListView, "paginate_by", 1)
    page = client_for("county_admin").get("/en" + reverse("regions:area-list"), {"level": 5}).content.decode()
    assert "more than 1;" in page


def test_the_api_count_is_capped_too(world, api_for, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 1)
    body = api_for("county_admin").get("/api/v1/areas/", {"page_size": 1}).json()
    assert body["count"] == 2
    assert body["next"]


def test_a_page_reads_the_same_rows_keys_first(world):
    """Every page of an ordered list, with its joins and annotations, is the plain slice's, in the same order, found
    by `pk IN (SELECT pk … LIMIT)` in one query."""
    areas = Area.objects.select_related("parent").annotate(children_count=Count("children")).order_by("-code", "pk")
    plain = Area.objects.select_related("parent").order_by("-code", "pk")
    paginator = CappedPaginator(plain, 3, orphans=1)
    for number in paginator.page_range:
        with CaptureQueriesContext(connection) as ctx:
            rows = list(paginator.page(number))
        bottom = (number - 1) * 3
        assert rows == list(plain[bottom : bottom + len(rows)])
        assert [r.parent for r in rows] == [r.parent for r in plain[bottom : bottom + len(rows)]]
        assert len(ctx) == 1 and " IN (SELECT " in ctx[0]["sql"]
    grouped = CappedPaginator(areas, 3)
    with CaptureQueriesContext(connection) as ctx:
        counted = list(grouped.page(1))
    assert [a.children_count for a in counted] == [a.children_count for a in areas[:3]]
    assert " IN (SELECT " not in ctx[0]["sql"], "grouped rows are sliced as before"


def test_rows_joined_to_many_are_sliced_as_before(world):
    """A join that repeats rows (an area once per child) would repeat them differently without its conditions."""
    parents = Area.objects.filter(children__code__startswith="34").order_by("code", "pk")
    with CaptureQueriesContext(connection) as ctx:
        rows = list(CappedPaginator(parents, 2).page(1))
    assert rows == list(parents[:2])
    assert " IN (SELECT " not in ctx[0]["sql"]


def test_the_count_drops_the_order_unless_it_shapes_the_rows(world):
    with CaptureQueriesContext(connection) as ctx:
        assert CappedPaginator(Area.objects.order_by("-code"), 2).count == Area.objects.count()
    assert "ORDER BY" not in ctx[0]["sql"]
    distinct = Area.objects.filter(children__isnull=False).order_by("code").distinct()
    with CaptureQueriesContext(connection) as ctx:
        assert CappedPaginator(distinct, 2).count == distinct.count()
    assert "ORDER BY" in ctx[0]["sql"]
