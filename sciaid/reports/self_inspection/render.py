"""The report as files: an editable DOCX (python-docx) and a PDF (reportlab), both with Chinese fonts.

DOCX: Word and WPS pick the font of Chinese characters from the East-Asian slot of a run's fonts (`w:eastAsia`), not
from its name; every style the document uses gets 宋体 (SimSun) there, and a Latin font beside it.
PDF: the platform's one CJK font (`sciaid.core.pdf.cjk_font`, a TrueType face embedded when installed), with CJK line
breaking.
Charts (`charts.py`): after a section's table, bar charts of some of its figures (the same numbers): reportlab
drawings in the PDF, PNG pictures in the DOCX.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from sciaid.core.pdf import a4_document, cjk_font
from sciaid.reports.self_inspection.charts import charts_of, pdf_drawing, png
from sciaid.reports.self_inspection.sections import Report

EAST_ASIAN_FONT = "宋体"
LATIN_FONT = "Times New Roman"
DOCX_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid")


def appendix_title() -> str:
    return _("Appendix: consistency checks")


def check_status(check) -> str:
    return _("passed") if check.passed else _("%(count)d records to fix") % {"count": check.count}


def section_charts(report: Report, section) -> list:
    """The charts after a section's table, drawn from the report's figures with the table's texts."""
    return charts_of(section.key, report.figures, {row.key: row.text for row in section.rows})


# --- DOCX -------------------------------------------------------------------------------------------------------


def set_east_asian_font(style, east_asian: str = EAST_ASIAN_FONT, latin: str = LATIN_FONT) -> None:
    """Give a style its Latin font and, in `w:rFonts/@w:eastAsia`, its Chinese one."""
    from docx.oxml.ns import qn

    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


def to_docx(report: Report) -> bytes:
    from docx import Document
    from docx.shared import Cm

    document = Document()
    for name in DOCX_STYLES:
        set_east_asian_font(document.styles[name])
    document.add_heading(report.title, level=0)
    for number, section in enumerate(report.sections, start=1):
        document.add_heading(f"{number}. {section.title}", level=1)
        for paragraph in section.text.splitlines() or [""]:
            if paragraph.strip():
                document.add_paragraph(paragraph)
        if section.rows:
            docx_table(document, [_("Indicator"), _("Value")], [[row.label, row.text] for row in section.rows])
        for chart in section_charts(report, section):
            document.add_picture(io.BytesIO(png(chart)), width=Cm(15))
        for table in section.tables:
            if table.rows:
                document.add_heading(table.title, level=2)
                docx_table(document, table.header, table.rows)
    if report.checks:
        document.add_heading(appendix_title(), level=1)
        for check in report.checks:
            document.add_heading(f"{check.title}: {check_status(check)}", level=2)
            if check.problems:
                docx_table(
                    document,
                    [_("Record"), _("Problem"), _("Where to fix it")],
                    [[problem.label, problem.detail, problem.url] for problem in check.problems],
                )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)


# --- PDF --------------------------------------------------------------------------------------------------------


def to_pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    font = cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK", spaceAfter=4)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22, alignment=1, spaceAfter=10)
    # A heading never ends a page: it moves with what follows it.
    heading = ParagraphStyle(
        "heading", parent=body, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4, keepWithNext=1
    )
    subheading = ParagraphStyle("subheading", parent=body, fontSize=11, leading=16, spaceBefore=4, keepWithNext=1)
    width = A4[0] - 40 * mm

    def table(header: list[str], rows: list[list[str]], widths: list[float]):
        data = [[Paragraph(escape(str(text)), cell) for text in line] for line in [header, *rows]]
        flowable = Table(data, colWidths=[width * share for share in widths], repeatRows=1)
        flowable.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return flowable

    story = [Paragraph(escape(report.title), title)]
    for number, section in enumerate(report.sections, start=1):
        story.append(Paragraph(escape(f"{number}. {section.title}"), heading))
        story += [Paragraph(escape(line), body) for line in section.text.splitlines() if line.strip()]
        # The figures' table and the charts of the same numbers stay on one page (a new one if they do not fit).
        figures = []
        if section.rows:
            figures.append(table([_("Indicator"), _("Value")], [[r.label, r.text] for r in section.rows], [0.7, 0.3]))
        for chart in section_charts(report, section):
            figures += [Spacer(1, 3 * mm), pdf_drawing(chart, width, font)]
        if figures:
            story.append(KeepTogether(figures))
        for extra in section.tables:
            if extra.rows:
                story.append(Paragraph(escape(extra.title), subheading))
                columns = len(extra.header)
                story.append(table(extra.header, extra.rows, [1 / columns] * columns))
        story.append(Spacer(1, 4 * mm))
    if report.checks:
        story.append(Paragraph(escape(appendix_title()), heading))
        for check in report.checks:
            story.append(Paragraph(escape(f"{check.title}: {check_status(check)}"), subheading))
            if check.problems:
                rows = [[problem.label, problem.detail, problem.url] for problem in check.problems]
                story.append(table([_("Record"), _("Problem"), _("Where to fix it")], rows, [0.35, 0.45, 0.2]))
    buffer = io.BytesIO()
    a4_document(buffer, title=report.title).build(story)
    return buffer.getvalue()
