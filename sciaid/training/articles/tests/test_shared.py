"""The shared pieces the knowledge base put in core: range parsing for served files, and the PDF's Chinese font
(an embedded TrueType font when one is installed, reportlab's built-in Song face otherwise)."""

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from sciaid.core import pdf
from sciaid.core.files import UnsatisfiableRange, parse_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("bytes=0-", (0, 99)),
        ("bytes=10-19", (10, 19)),
        ("bytes=90-500", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-5", None),  # another unit: ignored
    ],
)
def test_ranges_are_parsed(header, expected):
    assert parse_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=50-10", "bytes=-0", "bytes=-", "bytes=abc"])
def test_unsatisfiable_ranges_are_refused(header):
    with pytest.raises(UnsatisfiableRange):
        parse_range(header, 100)


@pytest.fixture
def fresh_font():
    pdf.cjk_font.cache_clear()
    yield
    pdf.cjk_font.cache_clear()


def test_without_a_font_package_the_builtin_song_face_is_used(fresh_font, settings, monkeypatch):
    settings.PDF_CJK_FONT = "/nowhere/font.ttf"
    monkeypatch.setattr(pdf, "KNOWN_FONTS", ())
    assert pdf.cjk_font() == "STSong-Light"
    assert pdfmetrics.getFont("STSong-Light")


@pytest.mark.skipif(not Path(pdf.KNOWN_FONTS[0]).is_file(), reason="fonts-wqy-zenhei is not installed")
def test_an_installed_truetype_font_is_embedded(fresh_font, settings):
    settings.PDF_CJK_FONT = ""
    assert pdf.cjk_font() == pdf.TRUETYPE_NAME
