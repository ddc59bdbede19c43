"""Photos of a demand or of a message: checked, re-encoded without EXIF data, stored under a random name."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from sciaid.assistance.models import Demand, Message, Photo

#: Formats a photo may arrive in; every photo is stored as a re-encoded JPEG whatever it came as.
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"})

# --- photos -------------------------------------------------------------------------------------------------------


def clean_photo(upload) -> tuple[ContentFile, int, int]:
    """Check an uploaded image (size, real type) and re-encode it as JPEG without EXIF data (no GPS position, no
    camera serial); the file name is random, never the uploaded one. Returns (file, width, height)."""
    if upload.size > settings.ASSISTANCE_PHOTO_MAX_BYTES:
        raise ValidationError(
            {"photos": _("A photo may be at most %(mb)d MB.") % {"mb": settings.ASSISTANCE_PHOTO_MAX_BYTES >> 20}}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        raise ValidationError({"photos": _("This file is not a picture we can read.")}) from None
    if kind not in PHOTO_FORMATS:
        raise ValidationError({"photos": _("Send photos as JPEG, PNG or WebP.")})
    edge = settings.ASSISTANCE_PHOTO_MAX_EDGE
    image.thumbnail((edge, edge))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{get_random_string(16).lower()}.jpg"), image.width, image.height


def attach_photos(demand: Demand, uploads: Sequence, message: Message | None = None) -> list[Photo]:
    """Store photos on the demand (or one of its messages), at most ASSISTANCE_MAX_PHOTOS per demand in all."""
    if not uploads:
        return []
    limit = settings.ASSISTANCE_MAX_PHOTOS
    if Photo.objects.filter(demand=demand).count() + len(uploads) > limit:
        raise ValidationError({"photos": _("A demand may have at most %(n)d photos.") % {"n": limit}})
    photos = []
    for upload in uploads:
        content, width, height = clean_photo(upload)
        photo = Photo(demand=demand, message=message, width=width, height=height)
        photo.image.save(content.name, content, save=False)
        photo.save()
        photos.append(photo)
    return photos
