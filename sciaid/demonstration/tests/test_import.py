"""Importing yearly figures: all rows or none, with a row report."""

import io

import pytest
from openpyxl import Workbook

from sciaid.demonstration.importers import FiguresImporter
from sciaid.demonstration.models import SiteFigures

pytestmark = pytest.mark.django_db

HEADER = ["示范基地", "年份", "产量（吨）", "亩产（公斤）", "收入（元）", "带动农户数", "贫困户户均增收（元）"]


def xlsx(rows, header=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header or [str(c.header) for c in FiguresImporter.columns])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "figures.xlsx"
    return buffer


def row(name="寿县河蟹绿色养殖示范基地", year="2019", income="100000"):
    return [name, year, "12.5", "75", income, "20", "2500"]


def test_a_good_sheet_is_written_and_again_changes_nothing(world, make_site):
    make_site()
    report = FiguresImporter(world.county_admin).run(xlsx([row(year="2018"), row(year="2019")]))
    assert report.ok and report.created == 2
    again = FiguresImporter(world.county_admin).run(xlsx([row(year="2018"), row(year="2019", income="9")]))
    assert again.unchanged == 1 and again.updated == 1
    assert SiteFigures.objects.count() == 2


@pytest.mark.parametrize(
    "bad",
    [
        row(name="不存在的基地"),
        row(year="1999"),
        row(year="二〇一九"),
        row(income="-5"),
        row(income="abc"),
    ],
)
def test_one_bad_row_writes_nothing_and_is_reported(world, make_site, bad):
    make_site()
    report = FiguresImporter(world.county_admin).run(xlsx([row(year="2018"), bad]))
    assert not report.ok and report.errors[0].row == 3
    assert not SiteFigures.objects.exists()


def test_the_same_site_and_year_twice_is_refused(world, make_site):
    make_site()
    report = FiguresImporter(world.county_admin).run(xlsx([row(), row()]))
    assert not report.ok and report.errors[0].row == 3


def test_another_countys_site_is_unknown(world, make_site):
    make_site()
    report = FiguresImporter(world.county_admin_b).run(xlsx([row()]))
    assert not report.ok and not SiteFigures.objects.exists()


def test_a_file_without_the_columns_is_refused(world, make_site):
    report = FiguresImporter(world.county_admin).run(xlsx([row()], header=["a", "b"]))
    assert not report.ok and report.errors[0].row == 1
