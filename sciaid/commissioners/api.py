"""What the commissioners' API shares (the viewsets are in `<sub-domain>/api.py`): documented choice fields, the
error statuses, and `step`, which turns one service function into one `POST /<resource>/{id}/<name>/` action.

Writes go through the services. Errors: 400 bad input, 403 wrong role, 404 outside the user's jurisdiction, 409 a
step the current state does not allow.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.core.api import ScopedSlugRelatedField, error_responses
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

ACTION_ERRORS = error_responses(400, 403, 404, 409)
WRITE_ERRORS = error_responses(400, 403, 404)


def choice_field(choices: type[models.Choices], **kwargs) -> serializers.ChoiceField:
    """A choice field documented inline: several of this app's fields share the names `status`, `kind` and `level`
    with other apps' differently-valued choices, which as shared schema components would collide."""
    schema = {"type": "string", "enum": list(choices.values)}
    field_class = extend_schema_field(schema)(type(f"{choices.__name__}Field", (serializers.ChoiceField,), {}))
    return field_class(choices=choices.choices, **kwargs)


def validated(params: type[serializers.Serializer] | None, request, context) -> dict:
    if params is None:
        return {}
    body = params(data=request.data, context=context)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def step(name: str, call: Callable, params, response, summary: str, visible_only: bool = False, attr: str = ""):
    """`POST /<resource>/{id}/<name>/`: validate `params`, call `call(user, obj, **data)`, return the fresh object
    (what the call returned when it is of the response's model, else the object acted on).

    `visible_only`: the object is looked up among those the user may see rather than change (an expert applies to
    a batch, a reviewer scores an application); the service checks who may do it."""

    def handler(self, request, pk=None):
        obj = get_object_or_404(self.get_queryset(), pk=pk) if visible_only else self.get_object()
        result = call(request.user, obj, **validated(params, request, self.get_serializer_context()))
        fresh = result if isinstance(result, response.Meta.model) else obj
        return Response(response(type(fresh).objects.get(pk=fresh.pk), context=self.get_serializer_context()).data)

    # DRF dispatches to the viewset attribute of this name (`return` is a keyword, hence `attr`).
    handler.__name__ = attr or name
    handler.__doc__ = summary
    routed = action(detail=True, methods=["post"], url_path=name, url_name=name)(handler)
    return extend_schema(request=params, responses={200: response, **ACTION_ERRORS})(routed)


class CountyYearSerializer(serializers.ModelSerializer):
    """A county's record for a year (a rule, a rubric): both are fixed once it exists, a PUT changes the rest."""

    county = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.filter(level=AreaLevel.COUNTY), help_text="County division code"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, models.Model):
            for name in ("county", "year"):
                self.fields[name].read_only = True

    def service_fields(self) -> dict:
        """The validated data, with the county and year the record already has when it is an update."""
        if isinstance(self.instance, models.Model):
            return {**self.validated_data, "county": self.instance.county, "year": self.instance.year}
        return dict(self.validated_data)
