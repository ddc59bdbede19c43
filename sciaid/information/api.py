"""API of the information service: `news` (with submit / publish / return / withdraw / redraft) and `market-prices`.

Both are read without a token: a request without credentials gets the published items (public fields only: no
status, reviewer or review note) and every recorded price. With credentials, the user's jurisdiction applies as
everywhere: managers see their areas' items in every state, other roles the published items meant for them.

Writes go through `sciaid.information.services`. Errors: 400 bad input, 401 without credentials, 403 wrong role,
404 outside the user's jurisdiction, 409 a step the item's state does not allow.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status

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
from sciaid.information import services
from sciaid.information.filters import NewsFilter, PriceFilter
from sciaid.information.models import Market, MarketPrice, NewsAttachment, NewsItem, Product
from sciaid.regions.models import Area


class NewsAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Download address (public once the item is published)")

    class Meta:
        model = NewsAttachment
        fields = ["id", "title", "media_type", "size", "url"]

    def get_url(self, attachment: NewsAttachment) -> str:
        name = "information:public-attachment" if attachment.item.is_published else "information:attachment-file"
        return reverse(name, args=[attachment.pk])


class PublicNewsSerializer(serializers.ModelSerializer):
    """What anyone may read of a published item."""

    area = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Division code it is published for"
    )
    area_name = serializers.CharField(source="area.name", read_only=True)
    attachments = NewsAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = NewsItem
        fields = ["id", "title", "category", "area", "area_name", "summary", "body", "published_on", "attachments"]
        read_only_fields = fields


class NewsSerializer(PublicNewsSerializer):
    """An item as its managers handle it. The body is sanitised when saved: script never comes back."""

    area = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.all(), help_text="Division code of a county, city or the province"
    )

    class Meta:
        model = NewsItem
        fields = [*PublicNewsSerializer.Meta.fields, "status", "review_note", "created_at", "updated_at"]
        read_only_fields = ["published_on", "status", "review_note", "created_at", "updated_at"]
        extra_kwargs = {"summary": {"required": False}}


class NewsNoteParams(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class NewsPublishParams(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Publish date; today when absent")


@crud_schema(NewsSerializer, destroy_errors=error_responses(403, 404, 409))
class NewsViewSet(PublicReadMixin, ScopedModelViewSet):
    """News, policies, notices and briefings. Without credentials: published items, public fields only."""

    queryset = NewsItem.objects.order_by("-published_on", "-id")
    serializer_class = NewsSerializer
    public_serializer_class = PublicNewsSerializer
    filterset_class = NewsFilter
    select_related = ("area",)

    def public_queryset(self):
        return services.public_items().select_related("area").order_by("-published_on", "-id")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attachments")

    def create_object(self, serializer):
        return services.save_item(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        return services.save_item(self.request.user, instance=serializer.instance, **serializer.validated_data)

    def delete_object(self, instance):
        services.delete_item(self.request.user, instance)

    submit_step = step_action("submit", services.submit_item, None, NewsSerializer, "Hand a draft to review.")
    publish_step = step_action("publish", services.publish_item, NewsPublishParams, NewsSerializer, "Publish.")
    return_step = step_action("return", services.return_item, NewsNoteParams, NewsSerializer, "Return to draft.")
    withdraw_step = step_action("withdraw", services.withdraw_item, NewsNoteParams, NewsSerializer, "Withdraw.")
    redraft_step = step_action("redraft", services.redraft_item, None, NewsSerializer, "Make it a draft again.")


class MarketPriceSerializer(serializers.ModelSerializer):
    product = serializers.SlugRelatedField(
        slug_field="name", queryset=Product.objects.all(), help_text="Product name as in the catalogue"
    )
    market = ScopedPrimaryKeyRelatedField(queryset=Market.objects.all(), help_text="Market id (one the user keeps)")
    market_name = serializers.CharField(source="market.name", read_only=True)
    area = serializers.CharField(source="market.area.code", read_only=True, help_text="Division code of the market")
    price = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    unit = serializers.CharField(max_length=16, required=False, allow_blank=True, help_text="Empty: the product's")

    class Meta:
        model = MarketPrice
        fields = ["id", "date", "product", "market", "market_name", "area", "price", "unit"]
        # The upsert on (product, market, date) is the service's: a second price of the day corrects the first.
        validators = []


@extend_schema_view(
    retrieve=extend_schema(responses={200: MarketPriceSerializer, **READ_ERRORS}),
    create=extend_schema(
        responses={201: MarketPriceSerializer, 200: MarketPriceSerializer, **error_responses(400, 403)}
    ),
)
class MarketPriceViewSet(PublicReadMixin, ScopedModelViewSet):
    """Market prices, filtered by product, market, area and date range. A county admin records prices of their
    markets: 201 for a new day's price, 200 when it corrects the day's price already recorded."""

    queryset = MarketPrice.objects.order_by("-date", "product__name", "id")
    serializer_class = MarketPriceSerializer
    filterset_class = PriceFilter
    select_related = ("product", "market", "market__area")
    http_method_names = ["get", "post", "head", "options"]

    def public_queryset(self):
        return MarketPrice.objects.select_related(*self.select_related).order_by("-date", "product__name", "id")

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        if not self.created:
            response.status_code = status.HTTP_200_OK
        return response

    def create_object(self, serializer):
        data = serializer.validated_data
        row, self.created = services.record_price(
            self.request.user,
            product=data["product"],
            market=data["market"],
            day=data["date"],
            price=data["price"],
            unit=data.get("unit", ""),
        )
        return row
