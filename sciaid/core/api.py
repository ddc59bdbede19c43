"""Base classes for the REST API: scoped viewsets, pagination, and errors as structured 400/403/404/409 bodies."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sciaid.core.files import StorageFailed
from sciaid.core.privacy import mask_phone, may_see_personal_data, validate_phone
from sciaid.core.protection import STILL_REFERRED, still_referred
from sciaid.core.scoping import CHANGE, SCOPED, VIEW, granted_roles, is_unrestricted, may
from sciaid.core.states import TransitionRefused


def exception_handler(exc, context):
    """Django's ValidationError from services becomes a 400 with the field errors; a refused transition a 409, and
    so does deleting an object other records still refer to (a protected foreign key), with what refers to it. An
    upload the server could not store is a 507: the client's data was fine. A unique key that another request took
    between this one's check and its insert (two identical creates at the same moment) is a 409: sent again, the
    request meets the check and gets its 400."""
    if isinstance(exc, StorageFailed):
        return Response({"detail": exc.messages[0], "code": "storage_failed"}, status=507)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied()
    elif isinstance(exc, TransitionRefused):
        return Response({"detail": str(exc), "code": "transition_refused"}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, STILL_REFERRED):
        return Response({"detail": still_referred(exc), "code": "protected"}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, IntegrityError):
        detail = _("Another request saved the same record at the same moment; reload and check before sending again.")
        return Response({"detail": detail, "code": "conflict"}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


ERROR_DESCRIPTIONS = {
    400: "Invalid data: the body maps each field (or non_field_errors) to its messages; nothing was written.",
    401: "No valid credentials: send `Authorization: Token <key>`.",
    403: "Your role may not do this here.",
    404: "No such object in your jurisdiction.",
    409: "The transition is not possible in the object's current state, the object is still referred to and "
    "cannot be deleted, or another request saved the same record at the same moment: {detail, code}.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The error statuses an endpoint returns, for `extend_schema(responses=...)` (schemathesis checks them)."""
    return {code: OpenApiResponse(OpenApiTypes.OBJECT, description=ERROR_DESCRIPTIONS[code]) for code in codes}


#: The errors of reading one object, and of changing one (or moving it along its workflow).
READ_ERRORS = error_responses(404)
WRITE_ERRORS = error_responses(400, 403, 404, 409)
CREATE_ERRORS = error_responses(400, 403, 409)


def crud_schema(
    serializer,
    *,
    create_errors: dict = CREATE_ERRORS,
    write_errors: dict = WRITE_ERRORS,
    destroy_errors: dict | None = None,
):
    """The documented responses of a model viewset's retrieve, create, update and (when `destroy_errors` is given)
    destroy: the object, or the errors each returns. A class decorator."""
    schemas = {
        "retrieve": extend_schema(responses={200: serializer, **READ_ERRORS}),
        "create": extend_schema(responses={201: serializer, **create_errors}),
        "update": extend_schema(responses={200: serializer, **write_errors}),
        "partial_update": extend_schema(responses={200: serializer, **write_errors}),
    }
    if destroy_errors is not None:
        schemas["destroy"] = extend_schema(responses={204: None, **destroy_errors})
    return extend_schema_view(**schemas)


class PersonalDataField(serializers.CharField):
    """A citizen ID or phone number: written in full, read back in full only by a role that may see personal data
    in the object's area (sciaid.core.privacy), masked for everyone else.

    `full(obj)` and `masked(obj)` read the value; `areas(obj)` gives the area(s) the object concerns.
    """

    def __init__(
        self,
        *,
        full: Callable[[object], str],
        masked: Callable[[object], str],
        areas: Callable,
        validator: Callable[[str], str] | None = None,
        **kwargs,
    ) -> None:
        self.full, self.masked, self.areas, self.validator = full, masked, areas, validator
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        # The validator (sciaid.core.privacy) raises Django's ValidationError, which DRF reports under the field.
        value = super().to_internal_value(data)
        return self.validator(value) if value and self.validator else value

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance) -> str:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        areas = self.areas(instance)
        areas = areas if isinstance(areas, Iterable) else [areas]
        if any(area is not None and may_see_personal_data(user, area) for area in areas):
            return self.full(instance) or ""
        return self.masked(instance) or ""


def phone_field(attr: str, areas: Callable) -> PersonalDataField:
    """A mobile number: checked when written, masked when read unless the role may see it in `areas(obj)`."""
    return PersonalDataField(
        max_length=20,
        full=lambda obj: getattr(obj, attr) or "",
        masked=lambda obj: mask_phone(getattr(obj, attr) or ""),
        areas=areas,
        validator=validate_phone,
    )


class ScopedViewSetMixin:
    """Every object comes from `Model.objects.for_user(user, "view")`; writes need the "change" scope too.

    An object outside the user's jurisdiction is a 404 (its existence is not revealed); one that the user may see but
    not change is a 403.
    """

    scoping = SCOPED
    select_related: tuple[str, ...] = ()
    #: Objects are addressed by their numeric id: `/batches/x/apply/` matches no route (a 404), never a lookup.
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        model = self.queryset.model
        qs = model._default_manager.for_user(self.request.user, VIEW)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        ordering = self.queryset.query.order_by
        return qs.order_by(*ordering) if ordering else qs

    def get_object(self):
        obj = super().get_object()
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not may(self.request.user, obj, CHANGE):
            raise PermissionDenied()
        return obj


class ScopedRelatedMixin:
    """A related field that only accepts objects the requesting user may see; others "do not exist" (no leak)."""

    def get_queryset(self):
        qs = super().get_queryset()
        request = self.context.get("request")
        return qs.for_user(getattr(request, "user", None), VIEW)


class ScopedPrimaryKeyRelatedField(ScopedRelatedMixin, serializers.PrimaryKeyRelatedField):
    pass


class ScopedSlugRelatedField(ScopedRelatedMixin, serializers.SlugRelatedField):
    pass


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """A writable viewset whose writes go through service functions: implement `create_object(serializer)`,
    `update_object(serializer)` and `delete_object(instance)` with calls to the app's services.

    Creating needs a role that may change this kind of object somewhere (else 403, before any validation); the
    service then checks the particular area.
    """

    def create(self, request, *args, **kwargs):
        scope = self.queryset.model.scope
        user = request.user
        if not (is_unrestricted(user) or scope.owner_path or granted_roles(user) & scope.change):
            raise PermissionDenied()
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = self.create_object(serializer)

    def perform_update(self, serializer):
        serializer.instance = self.update_object(serializer)

    def perform_destroy(self, instance):
        self.delete_object(instance)

    def create_object(self, serializer):
        raise NotImplementedError

    def update_object(self, serializer):
        raise NotImplementedError

    def delete_object(self, instance):
        raise NotImplementedError


class PublicReadMixin:
    """Reads without credentials see `public_queryset()` (published rows), through `public_serializer_class` when
    only some fields are public; everything else, and every write, is scoped as usual."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    public_serializer_class: type[serializers.Serializer] | None = None

    def public_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        if self.request.user.is_authenticated:
            return super().get_queryset()
        return self.public_queryset()

    def get_serializer_class(self):
        # The schema (a fake view) documents what a logged-in user reads.
        anonymous = not (getattr(self, "swagger_fake_view", False) or self.request.user.is_authenticated)
        if anonymous and self.public_serializer_class is not None:
            return self.public_serializer_class
        return super().get_serializer_class()


def step_action(
    name: str,
    call: Callable,
    params: type[serializers.Serializer] | None,
    output: type[serializers.Serializer],
    summary: str,
    *,
    precheck: Callable | None = None,
):
    """`POST …/{id}/<name>/` on a scoped viewset: validate the body with `params`, call the service
    `call(user, obj, **data)`, answer with the object as it now is (`output`). Assign it to `<name>_step`.

    precheck(user): refuses (403) a user who may not take the step before the body is judged, so a wrong role is
    told so rather than shown the body's errors.
    """

    def handler(self, request, pk=None):
        obj = self.get_object()
        if precheck is not None:
            precheck(request.user)
        data = {}
        if params is not None:
            body = params(data=request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        call(request.user, obj, **data)
        return Response(output(self.get_queryset().get(pk=obj.pk), context=self.get_serializer_context()).data)

    # DRF wants the attribute's name; "return" is a keyword, so every step's method is called `<name>_step`.
    handler.__name__ = f"{name}_step"
    handler.__doc__ = summary
    url_name = name.replace("_", "-")
    routed = action(detail=True, methods=["post"], url_path=name, url_name=url_name)(handler)
    return extend_schema(request=params, responses={200: output, **WRITE_ERRORS})(routed)


__all__ = [
    "CREATE_ERRORS",
    "READ_ERRORS",
    "WRITE_ERRORS",
    "Http404",
    "PersonalDataField",
    "PublicReadMixin",
    "ScopedModelViewSet",
    "ScopedPrimaryKeyRelatedField",
    "ScopedReadOnlyViewSet",
    "ScopedSlugRelatedField",
    "crud_schema",
    "error_responses",
    "exception_handler",
    "phone_field",
    "step_action",
]
