"""Chinese text in PDFs made with reportlab (leaflets, reports): one font name every document uses.

A TrueType CJK font is embedded when one is found (settings.PDF_CJK_FONT, else the usual Debian packages, e.g.
`fonts-wqy-zenhei`), so the file looks the same on every reader. Without one, reportlab's built-in CID font
`STSong-Light` is used: it is not embedded (the reader supplies a Song face, as every PDF reader in China does), but
the PDF always renders, so no server ever fails for want of a font package.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import SimpleDocTemplate

logger = logging.getLogger(__name__)

#: Where Debian and Ubuntu packages put CJK TrueType fonts, best first.
KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
TRUETYPE_NAME = "SciAidCJK"
FALLBACK_NAME = "STSong-Light"


def _candidates() -> list[str]:
    configured = getattr(settings, "PDF_CJK_FONT", "")
    return [configured, *KNOWN_FONTS] if configured else list(KNOWN_FONTS)


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The registered name of the font for Chinese text (registered once per process)."""
    for path in _candidates():
        if not Path(path).is_file():
            continue
        try:
            # A .ttc collection holds several faces; the first is the regular one in each known package.
            pdfmetrics.registerFont(TTFont(TRUETYPE_NAME, path, subfontIndex=0))
        except (TTFError, OSError) as exc:
            logger.warning("PDF font %s cannot be used: %s", path, exc)
            continue
        return TRUETYPE_NAME
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_NAME))
    return FALLBACK_NAME


def a4_document(out, *, title: str, bottom_mm: float = 18, **kwargs) -> SimpleDocTemplate:
    """An A4 page with the platform's margins (20 mm sides, 18 mm top), for leaflets and reports printed in a county
    office; `bottom_mm` leaves room for a footer."""
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=bottom_mm * mm,
        title=title,
        **kwargs,
    )
