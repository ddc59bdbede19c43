"""Photo galleries: one mechanism for every record that keeps a few photos (a product, a demonstration site).

A gallery is three declarative pieces in the owning app:

    class ProductPhoto(Photo):
        product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
        gallery = Gallery("product", folder="market/products", max_photos=6)
        scope = Scope(...)

    class ProductPhotoSerializer(GalleryPhotoSerializer):
        route = "market:photo"  # the URL name serving one photo's file

    class ProductViewSet(PhotoActionsMixin, ScopedModelViewSet):
        photo_model = ProductPhoto
        photo_serializer_class = ProductPhotoSerializer
        add_photos = staticmethod(services.add_product_photos)
        remove_photo = staticmethod(services.remove_product_photo)

`Photo` stores the picture re-encoded as a JPEG without EXIF data (`sciaid.core.files.reencoded_photo`: no GPS
position, no camera serial) under a random name, with a caption, its place in the gallery (`position`: the first is
the record's cover, e.g. the catalogue's thumbnail) and its size. `Gallery.add` / `Gallery.remove` are what the
app's service functions call: who may change the owner may add and remove its photos, at most `max_photos` in all
(the owner's row is locked while counting, so two uploads at once cannot pass the limit together), every photo saved
or deleted is audited by the BaseModel signals. `PhotoActionsMixin` gives an owner's viewset
`GET/POST …/{id}/photos/` and `DELETE …/{id}/photos/?photo=<id>`, with refusals as a structured 400 under `photos`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from sciaid.core.api import READ_ERRORS, error_responses
from sciaid.core.files import reencoded_photo
from sciaid.core.models import BaseModel
from sciaid.core.scoping import CHANGE, may

#: The form field, API field and error key of uploaded photos everywhere.
FIELD = "photos"
CAPTION_LENGTH = 100


def photo_path(photo: Photo, filename: str) -> str:
    """`<gallery folder>/<owner id>/<random name>.jpg`: never the uploaded name."""
    gallery = type(photo).gallery
    return f"{gallery.folder}/{getattr(photo, gallery.owner_field + '_id')}/{filename}"


class Photo(BaseModel):
    """A photo of its owner (declared by the concrete model, with its `gallery`), stored re-encoded."""

    image = models.FileField(_("image"), upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=CAPTION_LENGTH, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)

    #: The stored name is random and says nothing; the file is not audit data.
    audit_exclude = ("image",)
    gallery: Gallery

    class Meta:
        abstract = True
        ordering = ["position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or f"{getattr(self, self.gallery.owner_field)} #{self.pk}"

    def get_absolute_url(self) -> str:
        return getattr(self, self.gallery.owner_field).get_absolute_url()


@dataclass
class Gallery:
    """How a photo model keeps the photos of its owner (the foreign key `owner_field`): where the files go, how
    many one owner keeps, and the limits of an upload (bytes before, longest edge and JPEG quality after)."""

    owner_field: str
    folder: str
    max_photos: int
    max_bytes: int = 8 * 1024 * 1024
    max_edge: int = 2048
    quality: int = 85
    model: type[Photo] = field(init=False)

    def contribute_to_class(self, cls: type[Photo], name: str) -> None:
        self.model = cls
        setattr(cls, name, self)

    def of(self, owner: models.Model) -> models.QuerySet:
        """The owner's photos in gallery order (the first is its cover)."""
        return self.model._default_manager.filter(**{self.owner_field: owner}).order_by("position", "id")

    def prefetch(self, related_name: str = "photos") -> Prefetch:
        """Load the photos of a page of owners in one query, in gallery order (`owner.photos.all.0` is the cover)."""
        return Prefetch(related_name, queryset=self.model._default_manager.order_by("position", "id"))

    def _require_change(self, user, owner: models.Model) -> None:
        if not may(user, owner, CHANGE):
            raise PermissionDenied(gettext("You may not change this record's photos."))

    def _lock(self, owner: models.Model) -> None:
        """Hold the owner's row until the transaction ends: concurrent uploads to it count one after the other."""
        type(owner)._default_manager.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True).first()

    @transaction.atomic
    def add(self, user, owner: models.Model, uploads: Sequence, *, caption: str = "") -> list[Photo]:
        """Check and re-encode every upload, then store them after the owner's photos; all or none.

        Refusals are ValidationErrors under "photos": none sent, more than the gallery keeps, too large, not a
        picture (a PDF renamed .jpg is recognised by its content); PermissionDenied for a user who may not change
        the owner.
        """
        self._require_change(user, owner)
        if not uploads:
            raise ValidationError({FIELD: gettext("Choose at least one photo.")})
        self._lock(owner)
        kept = self.of(owner).count()
        if kept + len(uploads) > self.max_photos:
            raise ValidationError(
                {
                    FIELD: gettext("At most %(max)d photos are kept (%(kept)d already).")
                    % {"max": self.max_photos, "kept": kept}
                }
            )
        contents = [
            reencoded_photo(upload, field=FIELD, max_bytes=self.max_bytes, max_edge=self.max_edge, quality=self.quality)
            for upload in uploads
        ]
        last = self.of(owner).aggregate(last=Max("position"))["last"]
        first = 0 if last is None else last + 1
        caption = (caption or "").strip()[:CAPTION_LENGTH]
        photos = []
        for offset, content in enumerate(contents):
            photo = self.model(
                **{self.owner_field: owner},
                caption=caption,
                position=first + offset,
                width=content.width,
                height=content.height,
            )
            photo.image.save(content.name, content, save=False)
            photo.save()
            photos.append(photo)
        return photos

    @transaction.atomic
    def remove(self, user, photo: Photo) -> None:
        """Delete one photo; its file goes once the deletion is committed (a rollback keeps both)."""
        self._require_change(user, getattr(photo, self.owner_field))
        storage, name = photo.image.storage, photo.image.name
        photo.delete()
        transaction.on_commit(lambda: storage.delete(name))

    @transaction.atomic
    def put_first(self, user, photo: Photo) -> None:
        """Make `photo` the owner's cover: it moves to the front, the others keep their order behind it."""
        owner = getattr(photo, self.owner_field)
        self._require_change(user, owner)
        self._lock(owner)
        ordered = [photo, *self.of(owner).exclude(pk=photo.pk)]
        for position, each in enumerate(ordered):
            each.position = position
        self.model._default_manager.bulk_update(ordered, ["position"])


# --- forms ----------------------------------------------------------------------------------------------------------


class MultiplePhotoInput(forms.ClearableFileInput):
    """Several pictures at once; on a phone `capture` offers the camera."""

    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to `max_count` pictures in one field; the gallery checks and re-encodes each one."""

    def __init__(self, *, max_count: int, **kwargs):
        self.max_count = max_count
        attrs = {"accept": "image/*", "multiple": True, "capture": "environment"}
        kwargs.setdefault("widget", MultiplePhotoInput(attrs=attrs))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > self.max_count:
            raise forms.ValidationError(gettext("Send at most %(n)d photos.") % {"n": self.max_count}, code="too_many")
        return [super(PhotosField, self).clean(f, initial) for f in files]


# --- API ------------------------------------------------------------------------------------------------------------


class GalleryPhotoSerializer(serializers.Serializer):
    """A photo as the API shows it; `url` is the address of its file (`route`, a URL name taking the photo's pk)."""

    route = ""

    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField(help_text="Address of the re-encoded JPEG")
    caption = serializers.CharField(read_only=True)
    position = serializers.IntegerField(read_only=True, help_text="0 is the cover")
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_url(self, photo: Photo) -> str:
        return reverse(self.route, args=[photo.pk])


class PhotoUploadSerializer(serializers.Serializer):
    photos = serializers.ListField(
        child=serializers.FileField(), help_text="One or more pictures (multipart, repeat the field)"
    )
    caption = serializers.CharField(max_length=CAPTION_LENGTH, required=False, allow_blank=True, default="")


PHOTO_ERRORS = error_responses(400, 403, 404)
#: The photos route also answers DELETE, even on a viewset whose own objects are never deleted.
PHOTO_METHODS = ["get", "post", "delete", "head", "options"]


class PhotoActionsMixin:
    """`…/{id}/photos/` on the scoped viewset of the photos' owner: GET lists them, POST (multipart `photos`, an
    optional `caption`) adds them, DELETE `?photo=<id>` removes one. The owner comes from the viewset's own scoped
    queryset (another county's is a 404; seen but not changeable, a 403); the app's services do the writing."""

    photo_model: type[Photo]
    photo_serializer_class: type[GalleryPhotoSerializer] = GalleryPhotoSerializer
    #: What a request without credentials reads (a public route for the file), where the viewset serves the public.
    public_photo_serializer_class: type[GalleryPhotoSerializer] | None = None
    #: staticmethod(service(user, owner, uploads, caption=...) -> photos)
    add_photos: Callable
    #: staticmethod(service(user, photo) -> None)
    remove_photo: Callable

    def _photo_data(self, photos) -> list:
        serializer = self.photo_serializer_class
        if self.public_photo_serializer_class is not None and not self.request.user.is_authenticated:
            serializer = self.public_photo_serializer_class
        return serializer(photos, many=True).data

    @extend_schema(methods=["GET"], request=None, responses={200: GalleryPhotoSerializer(many=True), **READ_ERRORS})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: GalleryPhotoSerializer(many=True), **PHOTO_ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="photos",
        parser_classes=[MultiPartParser, FormParser],
        http_method_names=PHOTO_METHODS,
        # The owner is looked up by its id alone: the list's filters and ordering are not this route's parameters.
        filter_backends=[],
        pagination_class=None,
    )
    def photos(self, request, pk=None):
        """The photos, first (the cover) first; POST adds photos after them (re-encoded, within the limit)."""
        owner = self.get_object()
        if request.method != "POST":
            return Response(self._photo_data(self.photo_model.gallery.of(owner)))
        body = PhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        added = self.add_photos(
            request.user, owner, body.validated_data["photos"], caption=body.validated_data["caption"]
        )
        return Response(self._photo_data(added), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("photo", OpenApiTypes.INT, required=True, description="The photo's id")],
        request=None,
        responses={204: None, **PHOTO_ERRORS},
    )
    @photos.mapping.delete
    def delete_photo(self, request, pk=None):
        """Remove one photo of this object."""
        owner = self.get_object()
        photo_id = request.query_params.get("photo", "")
        if not photo_id.isdigit():
            raise ApiValidationError({"photo": [gettext("Give the id of one of its photos.")]})
        photo = self.photo_model.gallery.of(owner).filter(pk=int(photo_id)).first()
        if photo is None:
            raise NotFound
        self.remove_photo(request.user, photo)
        return Response(status=status.HTTP_204_NO_CONTENT)
