"""An article as a printable A4 leaflet (PDF) for villages without smartphones: title, category and date, the body
as paragraphs (headings and list items kept, images and tables reduced to their text), a QR code to the article's
page, and the county's science and technology bureau as footer."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser
from io import BytesIO

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, Spacer

from sciaid.core.pdf import a4_document, cjk_font
from sciaid.core.richtext import sanitise
from sciaid.training.articles.models import Article

#: Block tags that start a new paragraph of the leaflet, and the style each gets.
BLOCKS = {"p": "body", "h2": "h2", "h3": "h3", "h4": "h3", "li": "item", "blockquote": "body", "pre": "body"}
BREAKS = {"br", "tr", "figcaption", "hr"}


class _Blocks(HTMLParser):
    """Sanitised HTML → [(style, text)]: one entry per block; inline formatting becomes plain text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.style = "body"
        self.text: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.blocks.append((self.style, text))
        self.text, self.style = [], "body"

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS or tag in BREAKS:
            self.flush()
            self.style = BLOCKS.get(tag, "body")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        self.text.append(data)


def blocks(html: str) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(sanitise(html))
    parser.close()
    parser.flush()
    return parser.blocks


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    # Chinese breaks between any two characters; reportlab does so with the CJK word wrap.
    base = ParagraphStyle("body", fontName=font, fontSize=11.5, leading=18, spaceAfter=6, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=28, spaceAfter=4),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9.5, leading=14, textColor="#555555"),
        "h2": ParagraphStyle("h2", parent=base, fontSize=15, leading=22, spaceBefore=8),
        "h3": ParagraphStyle("h3", parent=base, fontSize=13, leading=20, spaceBefore=6),
        "item": ParagraphStyle("item", parent=base, leftIndent=12, bulletIndent=2),
        "body": base,
        "footer": ParagraphStyle("footer", parent=base, fontSize=9, leading=12, textColor="#555555"),
    }


def bureau(article: Article) -> str:
    return _("%(area)s Bureau of Science and Technology") % {"area": article.area.name}


def _qr(url: str) -> Image:
    out = BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)
    out.seek(0)
    return Image(out, width=30 * mm, height=30 * mm, hAlign="RIGHT")


def leaflet_pdf(article: Article, url: str) -> bytes:
    """The leaflet's PDF bytes; `url` is the absolute address of the article's page, for the QR code."""
    styles = _styles()
    day = timezone.localtime(article.published_at or article.updated_at)
    meta = " · ".join(part for part in (article.category.name if article.category else "", f"{day:%Y-%m-%d}") if part)
    story = [Paragraph(escape(article.title), styles["title"]), Paragraph(escape(meta), styles["meta"])]
    if article.summary:
        story.append(Paragraph(escape(article.summary), styles["meta"]))
    story.append(Spacer(1, 4 * mm))
    for style, text in blocks(article.body):
        bullet = "•" if style == "item" else None
        story.append(Paragraph(escape(text), styles[style], bulletText=bullet))
    if article.video_link:
        story.append(Paragraph(escape(_("Video: %(url)s") % {"url": article.video_link}), styles["body"]))
    story += [Spacer(1, 6 * mm), _qr(url), Paragraph(escape(_("Scan to read online.")), styles["footer"])]
    footer = bureau(article)

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(styles["footer"].fontName, 9)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{footer} · {doc.page}")
        canvas.restoreState()

    out = BytesIO()
    document = a4_document(out, title=article.title, bottom_mm=20, author=footer)
    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return out.getvalue()
