"""Uploads for photo tests: real pictures made with Pillow (one with EXIF data), and files that only pretend."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

#: EXIF tags a phone writes: camera make and the GPS block's pointer.
MAKE, GPS_INFO = 0x010F, 0x8825


def picture(name: str = "photo.png", *, size: tuple[int, int] = (40, 30), kind: str = "PNG", exif: bool = False):
    """A picture upload of `kind` (PNG, JPEG …); with `exif`, a JPEG carrying a camera make and a GPS position."""
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (30, 120, 80))
    if exif:
        tags = Image.Exif()
        tags[MAKE] = "PhoneCam"
        tags[GPS_INFO] = {1: "N", 2: (32.0, 34.0, 0.0)}
        image.save(buffer, format="JPEG", exif=tags)
    else:
        image.save(buffer, format=kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}")


def pdf_named_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", "image/jpeg")


def too_big(limit: int) -> SimpleUploadedFile:
    """A JPEG header and one byte more than `limit`: refused for its size before anything reads it."""
    return SimpleUploadedFile("big.jpg", b"\xff\xd8\xff\xe0" + b"0" * (limit - 3), "image/jpeg")
