"""The report's charts: bar charts of a few of its figures, each beside the table holding the same numbers.

A chart is defined once (`Chart`: its section, title, and the indicator keys it draws from `Report.figures`) and
drawn twice, server-side:
- in the PDF as reportlab's own vector graphics (`reportlab.graphics.charts.barcharts`, the platform's CJK font);
- in the DOCX as a PNG of the same bars. reportlab's bitmap renderer (`renderPM`) needs the rlPyCairo and pycairo
  packages, which the platform does not install; the PNG is drawn with Pillow (already a dependency, for photos)
  with the same font file, the same labels, values and colours.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from sciaid.reports.indicators import REGISTRY, Unit

#: Bar colours, the dashboard's first ones.
COLOURS = ("#1f7a4d", "#d48a1c", "#3b6ea8", "#a33b3b")


@dataclass(frozen=True)
class Chart:
    """A bar chart of `keys` (indicators of the same unit), shown after the table of `section`."""

    section: str
    title: Promise
    keys: tuple[str, ...]


CHARTS = (
    Chart(
        "platform",
        gettext_lazy("Demand funnel"),
        ("assistance.demands_received", "assistance.demands_valid", "assistance.demands_resolved"),
    ),
    Chart(
        "platform",
        gettext_lazy("Fund execution"),
        ("funds.budgeted", "funds.allocated", "funds.spent", "funds.balance"),
    ),
    Chart(
        "commissioners",
        gettext_lazy("Appraisal distribution"),
        ("commissioners.excellent", "commissioners.qualified", "commissioners.unqualified"),
    ),
    Chart("consumption", gettext_lazy("Consumption vs quotas"), ("market.quotas", "market.quota_purchases")),
)


@dataclass(frozen=True)
class Drawn:
    """A chart's figures: title, (label, value) bars with value texts as the report's tables write them, unit."""

    title: str
    labels: list[str]
    values: list[float]
    texts: list[str]
    unit: str


def charts_of(section: str, figures: dict[str, Decimal | None], texts: dict[str, str]) -> list[Drawn]:
    """The charts of a section from the report's figures (`texts`: the values as its table shows them). A chart
    whose figures are all missing or zero is left out: its table says so."""
    drawn = []
    for chart in CHARTS:
        if chart.section != section:
            continue
        values = [figures.get(key) for key in chart.keys]
        if not any(values):
            continue
        drawn.append(
            Drawn(
                title=str(chart.title),
                labels=[str(REGISTRY[key].label) for key in chart.keys],
                values=[float(value or 0) for value in values],
                texts=[texts.get(key, "") for key in chart.keys],
                unit=str(Unit(REGISTRY[chart.keys[0]].unit).label),
            )
        )
    return drawn


# --- PDF: reportlab graphics --------------------------------------------------------------------------------------


def pdf_drawing(chart: Drawn, width: float, font: str, height: float = 150):
    """A vertical bar chart as a reportlab Drawing (a flowable): the title, one coloured bar per figure with its
    value above it, the labels under the bars."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, f"{chart.title} ({chart.unit})", fontName=font, fontSize=10))
    bars = VerticalBarChart()
    bars.x, bars.y = 50, 28
    bars.width, bars.height = min(width - 70, 90 * len(chart.values)), height - 60
    bars.data = [chart.values]
    bars.valueAxis.valueMin = 0
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.labels.fontSize = 7
    bars.categoryAxis.categoryNames = chart.labels
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 8
    bars.barLabelFormat = lambda value: chart.texts[chart.values.index(value)] if value in chart.values else ""
    bars.barLabels.fontName = font
    bars.barLabels.fontSize = 7
    bars.barLabels.nudge = 6
    bars.bars.strokeWidth = 0
    for number, colour in enumerate(COLOURS[: len(chart.values)]):
        bars.bars[(0, number)].fillColor = colors.HexColor(colour)
    bars.categoryAxis.style = "parallel"
    drawing.add(bars)
    return drawing


# --- DOCX: a PNG of the same bars ---------------------------------------------------------------------------------


def font_file() -> str | None:
    """The CJK font file the PDF uses (`sciaid.core.pdf`'s candidates), for the PNG."""
    from sciaid.core import pdf

    return next((path for path in pdf._candidates() if path and Path(path).is_file()), None)


def png(chart: Drawn, width: int = 900, height: int = 420) -> bytes:
    """The chart as a PNG (Pillow): title, bars with their values, labels under them."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    path = font_file()

    def font(size):
        return ImageFont.truetype(path, size, index=0) if path else ImageFont.load_default(size)

    title, label_font, value_font = font(26), font(20), font(18)
    draw.text((20, 12), f"{chart.title} ({chart.unit})", fill="black", font=title)
    left, right, top, bottom = 60, width - 30, 80, height - 60
    draw.line((left, bottom, right, bottom), fill="#555555", width=2)
    highest = max(chart.values) or 1
    slot = (right - left) / len(chart.values)
    for number, (label, value, text) in enumerate(zip(chart.labels, chart.values, chart.texts, strict=True)):
        x0 = left + slot * number + slot * 0.2
        x1 = left + slot * (number + 1) - slot * 0.2
        y0 = bottom - (bottom - top) * value / highest
        draw.rectangle((x0, y0, x1, bottom), fill=COLOURS[number % len(COLOURS)])
        middle = (x0 + x1) / 2
        draw.text((middle, y0 - 4), text, fill="black", font=value_font, anchor="mb")
        draw.text((middle, bottom + 8), label, fill="black", font=label_font, anchor="mt")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
