"""Uploads recognised by their content (`sniff`, `checked_type`: never by their name or the browser's word), and
stored files served with HTTP range requests (RFC 9110 §14), so a phone's video player can seek and a broken
download can resume without fetching the whole file again.

One range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) is answered with 206 Partial Content and the slice; a range the file
cannot satisfy (starting past its end, reversed, malformed) with 416 and `Content-Range: bytes */size`; a request
without Range, or asking several ranges at once (which players do not do), gets the whole file (200). Every answer
says `Accept-Ranges: bytes`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import mimetypes
import os
import re
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import get_random_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)
CHUNK = 64 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class UnsatisfiableRange(Exception):
    """The Range header names no byte of the file."""


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of the single range `header` asks for, both inclusive; None to send the whole file.

    Raises UnsatisfiableRange for a bytes range that selects nothing of a file of `size` bytes.
    """
    if not header or "," in header:
        return None
    match = _RANGE.match(header)
    if not match:
        if header.strip().lower().startswith("bytes"):
            raise UnsatisfiableRange
        return None  # another unit: ignored, as the RFC asks
    first, last = match.groups()
    if not first and not last:
        raise UnsatisfiableRange
    if not first:  # the final `last` bytes
        length = int(last)
        if length == 0 or size == 0:
            raise UnsatisfiableRange
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        raise UnsatisfiableRange
    return start, end


def _slice(content, start: int, length: int) -> Iterator[bytes]:
    try:
        content.seek(start)
        while length > 0:
            chunk = content.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        content.close()


def ranged_file_response(request, content, filename: str, *, as_attachment: bool = False) -> HttpResponse:
    """The open binary file `content` (closed when sent) as a response to `request`, honouring its Range header."""
    content.seek(0, 2)
    size = content.tell()
    content.seek(0)
    media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    try:
        wanted = parse_range(request.headers.get("Range", ""), size) if request.method in ("GET", "HEAD") else None
    except UnsatisfiableRange:
        content.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        if wanted is None:
            response = FileResponse(content, as_attachment=as_attachment, filename=filename)
        else:
            start, end = wanted
            response = StreamingHttpResponse(_slice(content, start, end - start + 1), status=206)
            response["Content-Type"] = media_type
            response["Content-Length"] = str(end - start + 1)
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["Accept-Ranges"] = "bytes"
    return response


class StoredFileMixin:
    """A detail view that answers with its object's file (`file_field`) instead of a page, with ranges; 404 when the
    object has no file or the file is gone. The object comes from the view's own queryset (its scoping)."""

    file_field = ""
    #: The object's field whose value names the download (with the stored extension); empty: the stored name.
    title_field = ""
    as_attachment = False
    #: Files of what only some may see stay out of shared caches; a view of public files may say "public".
    cache_control = "private, max-age=3600"

    def download_name(self, stored) -> str:
        """The name the browser saves the file under: the object's title, or the stored name (ours, never the
        uploader's)."""
        stored_name = stored.name.rsplit("/", 1)[-1]
        if not self.title_field:
            return stored_name
        extension = stored_name.rsplit(".", 1)[-1]
        return f"{getattr(self.object, self.title_field)}.{extension}"

    def render_to_response(self, context, **response_kwargs):
        stored = getattr(self.object, self.file_field)
        if not stored:
            raise Http404
        try:
            content = stored.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = ranged_file_response(
            self.request, content, self.download_name(stored), as_attachment=self.as_attachment
        )
        response["Cache-Control"] = self.cache_control
        return response


# --- what an upload really is ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileType:
    """A kind of file recognised by its content: the extension we store it under and the media type we serve."""

    extension: str
    media_type: str


PDF = FileType(".pdf", "application/pdf")
DOCX = FileType(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
PPTX = FileType(".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
XLSX = FileType(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PNG = FileType(".png", "image/png")
JPEG = FileType(".jpg", "image/jpeg")
WEBP = FileType(".webp", "image/webp")
MP4 = FileType(".mp4", "video/mp4")
WEBM = FileType(".webm", "video/webm")

#: Office documents are zip files; the part inside tells which one it really is.
_OFFICE_PARTS = {"word/document.xml": DOCX, "ppt/presentation.xml": PPTX, "xl/workbook.xml": XLSX}
#: Image types as Pillow names them.
_IMAGE_FORMATS = {"PNG": PNG, "JPEG": JPEG, "WEBP": WEBP}
#: The ISO base-media brand of QuickTime: same box layout as MP4, but browsers do not play it.
_QUICKTIME = b"qt  "
_EBML = b"\x1a\x45\xdf\xa3"


def _head(upload, size: int) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _office_type(upload) -> FileType | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        names = set()
    upload.seek(0)
    return next((found for part, found in _OFFICE_PARTS.items() if part in names), None)


def _image_type(upload) -> FileType | None:
    """The image's type if Pillow reads it through (a PNG header on anything else is not a PNG)."""
    try:
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        found = None
    upload.seek(0)
    return _IMAGE_FORMATS.get(found)


def sniff(upload) -> FileType | None:
    """What `upload` is by its content (PDF, Word, PowerPoint, Excel, PNG, JPEG, WebP, MP4, WebM), None when none
    of these. The uploaded name and the browser's type are never trusted."""
    head = _head(upload, 64)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return _image_type(upload)
    if head[4:8] == b"ftyp" and head[8:12] != _QUICKTIME:
        return MP4
    if head.startswith(_EBML) and b"webm" in head:
        return WEBM
    return None


def checked_type(upload, accepted: Collection[FileType], *, field: str, max_bytes: int, refusal: str) -> FileType:
    """The type of an upload that is one of `accepted` and at most `max_bytes` long; else a ValidationError under
    `field`, saying `refusal` (which types to send) or the size limit."""
    if upload.size > max_bytes:
        raise ValidationError({field: _("A file may be at most %(size)s.") % {"size": filesizeformat(max_bytes)}})
    found = sniff(upload)
    if found not in accepted:
        raise ValidationError({field: refusal})
    if found.media_type.startswith("image/"):
        limit_pixels(upload, field=field)
    return found


def limit_pixels(upload, *, field: str) -> None:
    """`check_pixels` for an upload that may be a picture; anything Pillow does not read (a PDF) passes untouched."""
    try:
        with Image.open(upload) as image:
            check_pixels(image, field=field)
    except Image.DecompressionBombError:
        raise ValidationError({field: _too_many_pixels(settings.IMAGE_MAX_PIXELS)}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        pass
    finally:
        upload.seek(0)


def check_pixels(image: Image.Image, *, field: str) -> None:
    """Refuse a picture of more than IMAGE_MAX_PIXELS pixels from its header, before anything decodes it: a
    12000×12000 PNG can be 140 KB on the wire and 430 MB once decoded."""
    limit = settings.IMAGE_MAX_PIXELS
    if image.width * image.height > limit:
        raise ValidationError({field: _too_many_pixels(limit, f"{image.width}×{image.height}")})


def _too_many_pixels(limit: int, size: str = "") -> str:
    message = _("A picture may have at most %(megapixels)s megapixels.") % {"megapixels": f"{limit / 1e6:g}"}
    return f"{message} ({size})" if size else message


#: Formats a photo may arrive in; every photo is stored as a re-encoded JPEG whatever it came as.
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"})


def reencoded_photo(upload, *, field: str, max_bytes: int, max_edge: int, quality: int = 85) -> ContentFile:
    """Check an uploaded picture (size, real type) and re-encode it as a JPEG without EXIF data (no GPS position, no
    camera serial), at most `max_edge` pixels wide or high, under a random name (never the uploaded one). Refusals
    are ValidationErrors under `field`. The file's `.width`/`.height` are the stored picture's."""
    if upload.size > max_bytes:
        raise ValidationError({field: _("A photo may be at most %(mb)d MB.") % {"mb": max_bytes >> 20}})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            check_pixels(probe, field=field)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
    except Image.DecompressionBombError:
        # Pillow's own guard, past twice its MAX_IMAGE_PIXELS: the same refusal.
        raise ValidationError({field: _too_many_pixels(settings.IMAGE_MAX_PIXELS)}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({field: _("This file is not a picture we can read.")}) from None
    if kind not in PHOTO_FORMATS:
        raise ValidationError({field: _("Send photos as JPEG, PNG or WebP.")})
    image.thumbnail((max_edge, max_edge))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    photo = ContentFile(buffer.getvalue(), name=f"{get_random_string(16).lower()}.jpg")
    photo.width, photo.height = image.width, image.height
    return photo


# --- storing uploads -----------------------------------------------------------------------------------------------


class StorageFailed(ValidationError):
    """The server could not write an upload (disk full, storage read-only or gone). A ValidationError, so that a form
    shows it and a service's transaction rolls back: the record that would point at the file is never written. The
    API answers it with 507 (`sciaid.core.api.exception_handler`), any other page with the 507 page."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "The file could not be stored: the server's storage is full or read-only. Nothing was saved; please "
                "try again later and tell your administrator."
            ),
            code="storage_failed",
        )


class UploadStorage(FileSystemStorage):
    """Django's file system storage, but a failed write leaves no partial file behind and says so as StorageFailed
    (Django would leave the half-written file and raise a bare OSError, a 500)."""

    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.exists(path)
        try:
            return super()._save(name, content)
        except FileExistsError:
            raise
        except OSError as error:
            logger.error("could not store %s: %s", name, error)
            if not existed:
                with contextlib.suppress(OSError):
                    os.remove(path)
            raise StorageFailed from error
