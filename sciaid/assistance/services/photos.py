"""Photos of a demand or of a message: checked, re-encoded without EXIF data, stored under a random name."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from sciaid.assistance.models import Demand, Message, Photo
from sciaid.core.files import reencoded_photo

# --- photos -------------------------------------------------------------------------------------------------------


def clean_photo(upload) -> tuple[ContentFile, int, int]:
    """A demand's (or a log's, a site's) photo checked and re-encoded (`core.files.reencoded_photo`) within the
    assistance limits. Returns (file, width, height)."""
    photo = reencoded_photo(
        upload,
        field="photos",
        max_bytes=settings.ASSISTANCE_PHOTO_MAX_BYTES,
        max_edge=settings.ASSISTANCE_PHOTO_MAX_EDGE,
    )
    return photo, photo.width, photo.height


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
