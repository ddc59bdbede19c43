"""Market prices: the import is all-or-nothing with a row report, the latest prices table and the chart are public,
the managers' list is scoped."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sciaid.information import services
from sciaid.information.importers import PriceImporter
from sciaid.information.models import MarketPrice
from sciaid.information.tests.conftest import DAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HEADER = ["Date", "Product", "Market", "Price", "Unit"]


def sheet(rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("prices.xlsx", buffer.getvalue())


def test_a_good_sheet_imports_and_a_second_import_changes_nothing(world, rice, market_a):
    rows = [("2020-05-22", "水稻", market_a.name, "2.60", ""), ("2020-05-29", "水稻", market_a.name, 2.7, "元/斤")]
    report = PriceImporter(world.county_admin).run(sheet(rows))
    assert report.ok and report.created == 2
    assert MarketPrice.objects.get(date="2020-05-29").unit == "元/斤"
    again = PriceImporter(world.county_admin).run(sheet(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (("2020-05-22", "榴莲", "寿县城区农贸市场", "2.60"), "Product", "No product"),
        (("2020-05-22", "水稻", "寿县城区农贸市场", "-1"), "Price", "negative"),
        (("2020-05-22", "水稻", "凤台县农贸市场", "2.60"), "Market", "No market"),
        (("22.5.2020", "水稻", "寿县城区农贸市场", "2.60"), "Date", "2020-05-22"),
        (("2020-05-22", "水稻", "寿县城区农贸市场", "cheap"), "Price", "2.60"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(world, rice, market_a, market_b, row, column, message):
    good = ("2020-05-29", "水稻", market_a.name, "2.70")
    report = PriceImporter(world.county_admin).run(sheet([good, row]))
    assert not report.ok
    assert [(error.row, error.column) for error in report.errors] == [(3, column)]
    assert message in report.errors[0].message
    assert not MarketPrice.objects.exists()


def test_the_same_day_twice_in_a_sheet_is_refused(world, rice, market_a):
    row = ("2020-05-22", "水稻", market_a.name, "2.60")
    report = PriceImporter(world.county_admin).run(sheet([row, row]))
    assert [error.row for error in report.errors] == [3]
    assert not MarketPrice.objects.exists()


def test_the_import_page_offers_the_template_and_reports(world, rice, market_a, client_for):
    client = client_for("county_admin")
    url = reverse("information:price-import")
    template = client.get(url, {"template": "xlsx"})
    header = [cell.value for cell in next(load_workbook(io.BytesIO(template.content)).active.iter_rows())]
    assert header[:4] == ["Date*", "Product*", "Market*", "Price*"]
    response = client.post(url, {"file": sheet([("2020-05-22", "榴莲", market_a.name, "1")])})
    assert response.context["report"].errors
    assert client_for("info_officer").get(url).status_code == 403


def test_a_price_is_a_number_of_at_least_zero(world, rice, market_a):
    with pytest.raises(ValidationError):
        services.record_price(world.county_admin, product=rice, market=market_a, day=DAY, price=Decimal("-0.01"))


def test_a_market_of_another_county_takes_no_price(world, rice, market_b):
    with pytest.raises(ValidationError):
        services.record_price(world.county_admin, product=rice, market=market_b, day=DAY, price=Decimal(1))


def test_a_second_price_of_the_day_corrects_the_first(world, price):
    price(value="2.60")
    price(value="2.80")
    assert list(MarketPrice.objects.values_list("price", flat=True)) == [Decimal("2.80")]


def test_the_public_table_shows_each_products_newest_price(
    world, price, market_b, client, django_assert_max_num_queries
):
    for week in range(10):
        price(day=DAY + timedelta(weeks=week), value=f"2.{week}0")
    services.record_price(world.county_admin_b, product=price().product, market=market_b, day=DAY, price=Decimal(3))
    # The filter's choices, the chosen area, count, page: the same for ten weeks as for one.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("information:public-prices"), {"area": "340422000000"})
    rows = list(response.context["object_list"])
    assert [(row.market.name, row.price) for row in rows] == [("寿县城区农贸市场", Decimal("2.90"))]


def test_the_chart_page_has_the_series_in_order(world, price, client):
    for week in (2, 0, 1):
        row = price(day=DAY + timedelta(weeks=week), value=f"2.{week}0")
    response = client.get(reverse("information:price-chart"), {"product": row.product_id, "market": row.market_id})
    assert response.context["chart"]["prices"] == [2.0, 2.1, 2.2]
    assert b"echarts" in response.content and b"price-data" in response.content


def test_the_managers_price_list_is_scoped(world, price, market_b, client_for, django_assert_max_num_queries):
    for week in range(8):
        price(day=DAY + timedelta(weeks=week))
    client = client_for("county_admin")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("information:price-list"))
    assert len(response.context["object_list"]) == 8
    assert client_for("county_admin_b").get(reverse("information:price-list")).context["object_list"].count() == 0
