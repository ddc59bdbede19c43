"""The report's charts, beside the tables of the same numbers: vector bar charts in the PDF (their titles and bar
values are text pdftotext finds), PNG pictures in the DOCX. Data: the hand-computed 2020 of county A
(`sciaid/reports/tests/conftest.py`): demands 3 received, 1 valid, 2 resolved; ¥300,000 budgeted and allocated,
¥287,606 spent, ¥12,394 balance; 1 excellent, 1 qualified; a ¥1,000 quota with ¥400 bought."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.utils import translation

from sciaid.reports.self_inspection import render, services
from sciaid.reports.self_inspection.charts import CHARTS, charts_of
from sciaid.reports.tests.conftest import data  # noqa: F401 (the fixture)

TITLES = ["Demand funnel", "Fund execution", "Appraisal distribution", "Consumption vs quotas"]


@pytest.fixture
def report(world, data):  # noqa: F811
    with translation.override("en"):
        made = services.report_for(world.county_admin, world.county_a, 2020)
        yield made, render.to_docx(made), render.to_pdf(made)


def test_the_charts_draw_the_numbers_of_their_section_table(report):
    made, _docx, _pdf = report
    platform = next(section for section in made.sections if section.key == "platform")
    with translation.override("en"):
        funnel, funds = charts_of("platform", made.figures, {row.key: row.text for row in platform.rows})
    assert funnel.values == [3.0, 1.0, 2.0]
    assert funds.values == [300000.0, 300000.0, 287606.0, 12394.0]
    shown = {row.key: row.text for row in platform.rows}
    assert funds.texts == [shown[key] for key in CHARTS[1].keys]


def test_the_docx_has_a_picture_per_chart(report):
    from docx import Document

    _made, docx, _pdf = report
    pictures = Document(io.BytesIO(docx)).inline_shapes
    assert len(pictures) == len(TITLES)
    assert all(picture.width > 0 for picture in pictures)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_draws_the_charts(report, tmp_path):
    _made, _docx, pdf = report
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    for title in TITLES:
        assert title in text, title


def test_a_chart_without_figures_is_left_out(world):
    assert charts_of("platform", {}, {}) == []
    assert charts_of("commissioners", {"commissioners.excellent": 0}, {}) == []
