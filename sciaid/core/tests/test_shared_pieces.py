"""The pieces the apps share: the publication workflow's variants, recognising uploads by their content, and the
date cells of imported sheets."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import translation
from PIL import Image

from sciaid.core import files
from sciaid.core.publishing import PublicationStatus, publication_workflow
from sciaid.core.spreadsheets import parse_day

S = PublicationStatus


def _sources(workflow) -> dict[str, set[str]]:
    return {name: set(t.sources) for name, t in workflow.transitions.items()}


def test_the_default_workflow_redrafts_a_withdrawn_row():
    workflow = publication_workflow({"author"}, {"reviewer"})
    assert _sources(workflow) == {
        "submit": {S.DRAFT},
        "return": {S.IN_REVIEW},
        "publish": {S.IN_REVIEW},
        "withdraw": {S.PUBLISHED},
        "redraft": {S.WITHDRAWN},
    }
    assert workflow.transitions["submit"].roles == {"author"}
    assert {name for name, t in workflow.transitions.items() if t.roles == {"reviewer"}} == {
        "return",
        "publish",
        "withdraw",
        "redraft",
    }


def test_a_republishing_workflow_publishes_a_withdrawn_row_again_without_redraft():
    workflow = publication_workflow({"author"}, {"reviewer"}, republish=True, redraft=False)
    assert "redraft" not in workflow.transitions
    assert workflow.transitions["publish"].sources == {S.IN_REVIEW, S.WITHDRAWN}


def _zip(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, fmt)
    return buffer.getvalue()


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\0" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\0" * 64


@pytest.mark.parametrize(
    "content, found",
    [
        (b"%PDF-1.7\n", files.PDF),
        (_zip("word/document.xml"), files.DOCX),
        (_zip("ppt/presentation.xml"), files.PPTX),
        (_zip("xl/workbook.xml"), files.XLSX),
        (_image("PNG"), files.PNG),
        (_image("JPEG"), files.JPEG),
        (_image("WEBP"), files.WEBP),
        (MP4, files.MP4),
        (WEBM, files.WEBM),
    ],
)
def test_uploads_are_recognised_by_their_content_and_left_rewound(content, found):
    upload = ContentFile(content, "whatever.exe")
    assert files.sniff(upload) == found
    assert upload.tell() == 0


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 a program",
        _zip("other.txt"),  # a zip that is no office document
        b"PK\x03\x04 broken zip",
        b"\x89PNG\r\n\x1a\n but no picture",
        b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00",  # QuickTime: browsers do not play it
        b"",
    ],
)
def test_anything_else_is_not_recognised(content):
    assert files.sniff(ContentFile(content, "report.pdf")) is None


def test_checked_type_refuses_other_types_and_large_files_under_the_field():
    pictures = {files.PNG, files.JPEG}
    png = ContentFile(_image("PNG"))
    assert files.checked_type(png, pictures, field="f", max_bytes=10**6, refusal="x") == files.PNG
    with pytest.raises(ValidationError) as wrong:
        files.checked_type(ContentFile(b"%PDF-1.4"), pictures, field="photo", max_bytes=10**6, refusal="Send a photo.")
    assert wrong.value.message_dict == {"photo": ["Send a photo."]}
    with translation.override("en"), pytest.raises(ValidationError) as large:
        files.checked_type(png, pictures, field="photo", max_bytes=10, refusal="x")
    assert large.value.message_dict == {"photo": ["A file may be at most 10\xa0bytes."]}


@pytest.mark.parametrize("text", ["2020-05-22", " 2020/05/22 ", "2020-05-22 00:00:00", "2020-05-22T08:30"])
def test_date_cells_are_read_as_people_write_them(text):
    assert parse_day(text) == date(2020, 5, 22)


@pytest.mark.parametrize("text", ["", "22.05.2020", "2020-02-30", "next week"])
def test_other_date_cells_are_refused_with_an_example(text):
    with pytest.raises(ValidationError, match="2020-05-22"):
        parse_day(text)
