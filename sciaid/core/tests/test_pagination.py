"""Long lists count up to a cap, so a province-wide list costs no full count; pages past the cap say "more"."""

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
