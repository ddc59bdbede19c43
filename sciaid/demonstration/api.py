"""API of industrial demonstration: `demo-sites` (with publish / close / reopen, and its photos) and `site-figures`.

Both are read without a token: a request without credentials gets the public sites (demonstrating or closed) with
their public fields only — no registered households, no operating household's name or coordinates, no state of
entry — and their yearly figures. With credentials the user's jurisdiction applies as everywhere. County admins
write sites; a site's commissioners and its county post its yearly figures (201 for a new year, 200 when it corrects
a year already entered). Writes go through `sciaid.demonstration.services`. Errors: 400 bad input, 401 without
credentials, 403 wrong role, 404 outside the user's jurisdiction, 409 a step the site's state does not allow.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status

from sciaid.achievements.models import Achievement
from sciaid.core.api import (
    READ_ERRORS,
    PublicReadMixin,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    crud_schema,
    error_responses,
    step_action,
)
from sciaid.core.photos import GalleryPhotoSerializer, PhotoActionsMixin
from sciaid.core.publishing import PublicationStatus
from sciaid.demonstration import services
from sciaid.demonstration.filters import FiguresFilter, SiteFilter
from sciaid.demonstration.models import DemoSite, SiteFigures, SitePhoto
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.models import Area, Household

PUBLISHED = Achievement.objects.filter(status=PublicationStatus.PUBLISHED)

PUBLIC_FIELDS = [
    "id",
    "name",
    "kind",
    "operator_kind",
    "operator_name",
    "village",
    "village_name",
    "township_name",
    "address",
    "latitude",
    "longitude",
    "industry",
    "industry_name",
    "area_mu",
    "established_year",
    "description",
    "achievements",
    "commissioners",
    "households_driven",
    "poor_households_driven",
    "photos",
    "status",
]


class SitePhotoSerializer(GalleryPhotoSerializer):
    route = "demonstration:photo-file"


class PublicSitePhotoSerializer(GalleryPhotoSerializer):
    route = "demonstration:public-photo"


class SiteBaseSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    township_name = serializers.CharField(source="village.parent.name", read_only=True, default="")
    industry = serializers.SlugRelatedField(slug_field="code", queryset=Specialty.objects.all())
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    photos = SitePhotoSerializer(many=True, read_only=True, help_text="First (the cover) first")


class PublicSiteSerializer(SiteBaseSerializer):
    """What anyone may read of a public site: an operating household is named by its kind only, without address or
    coordinates (its home); registered households never leave the platform."""

    village = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="Division code")
    operator_name = serializers.SerializerMethodField(help_text="Empty for a household operator")
    address = serializers.SerializerMethodField(help_text="Empty for a household operator")
    latitude = serializers.SerializerMethodField(help_text="Null for a household operator")
    longitude = serializers.SerializerMethodField(help_text="Null for a household operator")
    achievements = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Published achievements")
    commissioners = serializers.StringRelatedField(many=True, read_only=True, help_text="Names")
    photos = PublicSitePhotoSerializer(many=True, read_only=True, help_text="First (the cover) first")

    class Meta:
        model = DemoSite
        fields = PUBLIC_FIELDS
        read_only_fields = fields

    def get_operator_name(self, site: DemoSite) -> str:
        return "" if site.operator_is_person else site.operator_name

    def get_address(self, site: DemoSite) -> str:
        return "" if site.operator_is_person else site.address

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_latitude(self, site: DemoSite) -> Decimal | None:
        return None if site.operator_is_person else site.latitude

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_longitude(self, site: DemoSite) -> Decimal | None:
        return None if site.operator_is_person else site.longitude


class DemoSiteSerializer(SiteBaseSerializer):
    """A site as its managers handle it (and logged-in users of the area read it)."""

    village = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.all(), help_text="Division code")
    achievements = serializers.PrimaryKeyRelatedField(
        many=True, queryset=PUBLISHED, required=False, help_text="Published achievements"
    )
    commissioners = ScopedPrimaryKeyRelatedField(many=True, queryset=Expert.objects.all(), required=False)
    poor_households = ScopedSlugRelatedField(
        slug_field="number", many=True, queryset=Household.objects.all(), required=False, help_text="Household numbers"
    )
    area_mu = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)

    class Meta:
        model = DemoSite
        fields = [*PUBLIC_FIELDS, "poor_households", "created_at", "updated_at"]
        read_only_fields = ["status", "created_at", "updated_at"]
        # Uniqueness of a name in its village is the service's rule, with its own message.
        validators = []


class SiteCloseParams(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


@crud_schema(DemoSiteSerializer, destroy_errors=error_responses(403, 404, 409))
class DemoSiteViewSet(PhotoActionsMixin, PublicReadMixin, ScopedModelViewSet):
    """Demonstration sites, bases and parks. Without credentials: public sites, public fields only.
    `…/{id}/photos/`: the site's photos; its managers add (multipart `photos`) and remove them (`?photo=`)."""

    queryset = DemoSite.objects.order_by("name_pinyin", "id")
    serializer_class = DemoSiteSerializer
    filterset_class = SiteFilter
    select_related = ("village", "village__parent", "industry")
    photo_model = SitePhoto
    photo_serializer_class = SitePhotoSerializer
    public_photo_serializer_class = PublicSitePhotoSerializer
    add_photos = staticmethod(services.add_photos)
    remove_photo = staticmethod(services.delete_photo)

    def public_queryset(self):
        return (
            services.public_sites()
            .select_related(*self.select_related)
            .prefetch_related(
                Prefetch("achievements", queryset=PUBLISHED.only("pk")), "commissioners", SitePhoto.gallery.prefetch()
            )
            .order_by("name_pinyin", "id")
        )

    def get_queryset(self):
        qs = super().get_queryset()
        if self.request.user.is_authenticated:
            qs = qs.prefetch_related("achievements", "commissioners", "poor_households", SitePhoto.gallery.prefetch())
        return qs

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False) or self.request.user.is_authenticated:
            return DemoSiteSerializer
        return PublicSiteSerializer

    def create_object(self, serializer):
        return services.save_site(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        return services.save_site(self.request.user, instance=serializer.instance, **serializer.validated_data)

    def delete_object(self, instance):
        services.delete_site(self.request.user, instance)

    publish_step = step_action(
        "publish", lambda user, site: services.publish_site(user, site), None, DemoSiteSerializer, "Publish."
    )
    close_step = step_action("close", services.close_site, SiteCloseParams, DemoSiteSerializer, "Close the site.")
    reopen_step = step_action(
        "reopen", lambda user, site: services.reopen_site(user, site), None, DemoSiteSerializer, "Reopen."
    )


class SiteFiguresSerializer(serializers.ModelSerializer):
    site = ScopedPrimaryKeyRelatedField(queryset=DemoSite.objects.all())
    site_name = serializers.CharField(source="site.name", read_only=True)
    output = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    yield_per_mu = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    income = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    poor_income_increase = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)

    class Meta:
        model = SiteFigures
        fields = ["id", "site", "site_name", "year", *services.FIGURE_FIELDS]
        # One row per site and year: a second post corrects the year (the service's upsert).
        validators = []


@extend_schema_view(
    retrieve=extend_schema(responses={200: SiteFiguresSerializer, **READ_ERRORS}),
    create=extend_schema(
        responses={201: SiteFiguresSerializer, 200: SiteFiguresSerializer, **error_responses(400, 403)}
    ),
    destroy=extend_schema(responses={204: None, **error_responses(403, 404)}),
)
class SiteFiguresViewSet(PublicReadMixin, ScopedModelViewSet):
    """Yearly figures of sites, filtered by site, year and area. Without credentials: those of public sites."""

    queryset = SiteFigures.objects.order_by("site_id", "year")
    serializer_class = SiteFiguresSerializer
    filterset_class = FiguresFilter
    select_related = ("site",)
    http_method_names = ["get", "post", "delete", "head", "options"]

    def public_queryset(self):
        sites = services.public_sites()
        return SiteFigures.objects.filter(site__in=sites).select_related("site").order_by("site_id", "year")

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        if not self.created:
            response.status_code = status.HTTP_200_OK
        return response

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        row, self.created = services.record_figures(self.request.user, data.pop("site"), **data)
        return row

    def delete_object(self, instance):
        services.delete_figures(self.request.user, instance)
