"""Expenditure spreadsheets: all rows posted or none, each bad row named with its column and reason; the export
imports back."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from sciaid.funds import services
from sciaid.funds.importers import ExpenditureImporter
from sciaid.funds.models import Expenditure

pytestmark = pytest.mark.django_db
HEADER = "Allocation number,Category,Amount (yuan),Date,Payee,Description\n"


def upload(text: str, name: str = "expenditures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


@pytest.fixture
def allocation(world, make_budget):
    return services.allocate(
        world.county_admin,
        make_budget("1000"),
        recipient_kind="organisation",
        recipient_name="合作社",
        amount="500",
        purpose="示范",
        allocated_on=date(2020, 3, 1),
    )


def test_a_good_file_posts_every_row(world, allocation):
    text = (
        HEADER
        + f"{allocation.pk},training,300,2020-06-18,职教中心,training\n#{allocation.pk},travel,200.00,2020/06/19,局,\n"
    )
    report = ExpenditureImporter(world.county_admin).run(upload(text))
    assert report.ok, report.errors
    assert report.created == 2
    assert services.allocation_totals(allocation).balance == 0
    assert set(Expenditure.objects.values_list("category", flat=True)) == {"training", "travel"}


def test_bad_rows_are_reported_and_nothing_is_posted(world, allocation, make_budget, english):
    other = services.allocate(
        world.county_admin_b,
        make_budget("100", county="b"),
        recipient_kind="organisation",
        recipient_name="b",
        amount="100",
        purpose="p",
        allocated_on=date(2020, 3, 1),
    )
    text = (
        HEADER + f"{allocation.pk},training,300,2020-06-18,职教中心,\n"  # fine
        f"{allocation.pk},cars,10,2020-06-18,x,\n"  # unknown category
        f"{allocation.pk},travel,-5,2020-06-18,x,\n"  # negative
        f"{allocation.pk},travel,5,18.6.2020,x,\n"  # bad date
        f"{other.pk},travel,5,2020-06-18,x,\n"  # other county's allocation
        f"abc,travel,5,2020-06-18,x,\n"  # not a number
        f"{allocation.pk},travel,5,2020-06-18,,\n"  # no payee
    )
    report = ExpenditureImporter(world.county_admin).run(upload(text))
    assert not report.ok
    assert {error.row for error in report.errors} == {3, 4, 5, 6, 7, 8}
    assert any("No allocation with this number" in error.message for error in report.errors)
    assert not Expenditure.objects.exists()


def test_rows_that_together_overspend_are_refused_whole(world, allocation, english):
    text = HEADER + f"{allocation.pk},training,300,2020-06-18,a,\n{allocation.pk},training,200.01,2020-06-19,b,\n"
    report = ExpenditureImporter(world.county_admin).run(upload(text))
    assert [error.row for error in report.errors] == [3]
    assert "has only ¥500.00 left; the rows up to here need ¥500.01" in report.errors[0].message
    assert not Expenditure.objects.exists()


def test_xlsx_import_through_the_page(world, allocation, client_for):
    book = Workbook()
    sheet = book.active
    sheet.append(["Allocation number", "Category", "Amount (yuan)", "Date", "Payee", "Description"])
    sheet.append([allocation.pk, "equipment", 450, date(2020, 5, 18), "办公设备公司", "投影仪"])
    buffer = BytesIO()
    book.save(buffer)
    client = client_for("county_admin")
    response = client.post(
        reverse("funds:expenditure-import"), {"file": SimpleUploadedFile("e.xlsx", buffer.getvalue())}
    )
    assert response.status_code == 200
    assert response.context["report"].created == 1
    assert Expenditure.objects.get().amount == Decimal("450")


def test_the_export_imports_back(world, allocation, client_for):
    services.spend(
        world.county_admin, allocation, category="training", amount="120.5", spent_on=date(2020, 6, 1), payee="职教"
    )
    client = client_for("county_admin")
    exported = b"".join(client.get(reverse("funds:expenditure-list"), {"export": "csv"}).streaming_content)
    report = ExpenditureImporter(world.county_admin).run(SimpleUploadedFile("back.csv", exported))
    assert report.ok, report.errors
    assert services.allocation_totals(allocation).spent == Decimal("241.00")
    assert client.get(reverse("funds:expenditure-import"), {"template": "xlsx"}).status_code == 200
    assert client_for("supervisor").get(reverse("funds:expenditure-import")).status_code == 403
