"""The demo's 寿县 2020: the DOCX and the PDF carry the seeds' figures where the demo holds them.

The demo holds: 59 commissioners covering 72 of 72 poor villages, 293 trainings with 6,302 trainees, 725 households
helped, 33 excellent / 26 qualified, the platform budget of ¥300,000 with ¥287,606 spent and a balance of ¥12,394,
¥298,000 approved for 4 projects and ¥586,700 of purchases. (The county's totals over all its budgets differ from the
platform budget's: both are printed, the budget in the "Funds by budget" table.)
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.db import transaction
from django.utils import translation

from sciaid.accounts.models import User
from sciaid.regions.models import Area
from sciaid.reports.self_inspection import render, services
from sciaid.reports.services import refresh_indicators

pytestmark = pytest.mark.django_db

FIGURES = ["59", "72", "293", "6,302", "725", "33", "26", "¥300,000", "¥287,606", "¥12,394", "¥298,000", "¥586,700"]


@pytest.fixture(scope="module")
def built(small_demo_built, django_db_blocker):
    """The shared small demo's 2020 report, rendered once for the module (its indicators rolled back after it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        refresh_indicators(2020)
        user = User.objects.get(username="county_admin")
        county = Area.objects.get(code="340422000000")
        with translation.override("en"):
            report = services.report_for(user, county, 2020)
            docx, pdf = render.to_docx(report), render.to_pdf(report)
        yield {"report": report, "docx": docx, "pdf": pdf}
        transaction.set_rollback(True)


@pytest.fixture
def demo(built, small_demo):
    return built


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_narrative_is_drafted_from_the_figures(demo):
    commissioners = next(section for section in demo["report"].sections if section.key == "commissioners")
    assert "selected 59 S&T commissioners, covering 72 of its 72 poor villages (100.0%)" in commissioners.text
    assert "293 trainings with 6,302 trainees" in commissioners.text
    assert "33 were rated excellent, 26 qualified" in commissioners.text


def test_the_docx_carries_the_seeds_figures_and_the_east_asian_font(demo):
    from docx import Document
    from docx.oxml.ns import qn

    text = docx_text(demo["docx"])
    for figure in FIGURES:
        assert figure in text, figure
    assert "寿县" in text
    normal = Document(io.BytesIO(demo["docx"])).styles["Normal"]
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == render.EAST_ASIAN_FONT


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_carries_the_seeds_figures(demo, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(demo["pdf"])
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    for figure in FIGURES:
        assert figure in text, figure
    assert "寿县" in text


def test_the_demo_ledger_reconciles_and_its_unvouchered_expenditures_are_listed(demo):
    checks = {check.key: check for check in demo["report"].checks}
    assert checks["ledger"].passed and checks["coverage"].passed
    assert not checks["vouchers"].passed
    assert all("/funds/allocations/" in problem.url for problem in checks["vouchers"].problems)
