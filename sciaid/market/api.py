"""REST API of the market: suppliers, certificates, products, buyers, quotas, orders (placing a cart, one action per
transition) and payments, and `GET /api/v1/reports/market/?area=&year=`. Writes go through the services."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sciaid.core.api import (
    READ_ERRORS,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedReadOnlyViewSet,
    error_responses,
)
from sciaid.core.photos import GalleryPhotoSerializer, PhotoActionsMixin
from sciaid.core.scoping import SCOPED
from sciaid.market import services
from sciaid.market.filters import (
    BuyerFilter,
    CertificateFilter,
    OrderFilter,
    PaymentFilter,
    ProductFilter,
    QuotaFilter,
    SupplierFilter,
)
from sciaid.market.models import Buyer, Certificate, Order, OrderLine, Payment, Product, ProductPhoto, Quota, Supplier
from sciaid.market.reports import may_read_figures, resolve_area_year
from sciaid.regions.models import Area

WRITE_ERRORS = error_responses(400, 403, 404)
ACTION_ERRORS = error_responses(400, 403, 404, 409)


class AreaCodeField(serializers.SlugRelatedField):
    """An area by its division code, among those the user may see."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Area.objects.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return Area.objects.for_user(getattr(request, "user", None))


# --- serializers ----------------------------------------------------------------------------------------------


class SupplierSerializer(serializers.ModelSerializer):
    area = AreaCodeField()

    class Meta:
        model = Supplier
        fields = [
            "id",
            "name",
            "pinyin",
            "kind",
            "area",
            "address",
            "contact",
            "county_only",
            "description",
            "certified_until",
        ]
        read_only_fields = ["pinyin", "certified_until"]


class CertificateSerializer(serializers.ModelSerializer):
    supplier = ScopedPrimaryKeyRelatedField(queryset=Supplier.objects.all())

    class Meta:
        model = Certificate
        fields = ["id", "supplier", "number", "issuer", "valid_from", "valid_until", "status", "review_note"]
        read_only_fields = ["status", "review_note"]


class ProductPhotoSerializer(GalleryPhotoSerializer):
    route = "market:photo"


class ProductSerializer(serializers.ModelSerializer):
    supplier = ScopedPrimaryKeyRelatedField(queryset=Supplier.objects.all())
    photos = ProductPhotoSerializer(many=True, read_only=True, help_text="First (the catalogue's picture) first")
    origin = AreaCodeField(required=False, allow_null=True)
    # Checked by the service (a structured 400 for ≤ 0), not clipped by the field.
    price = serializers.DecimalField(max_digits=14, decimal_places=2)
    stock = serializers.IntegerField()

    class Meta:
        model = Product
        fields = [
            "id",
            "supplier",
            "name",
            "pinyin",
            "category",
            "unit",
            "price",
            "stock",
            "origin",
            "description",
            "certified",
            "status",
            "review_note",
            "photos",
        ]
        read_only_fields = ["pinyin", "certified", "status", "review_note"]


class BuyerSerializer(serializers.ModelSerializer):
    area = AreaCodeField()

    class Meta:
        model = Buyer
        fields = ["id", "name", "pinyin", "area", "contact"]
        read_only_fields = ["pinyin"]


class QuotaSerializer(serializers.ModelSerializer):
    buyer = ScopedPrimaryKeyRelatedField(queryset=Buyer.objects.all())
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    purchased = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Quota
        fields = ["id", "buyer", "year", "amount", "purchased"]


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ["id", "product", "name", "unit", "category", "price", "quantity", "amount"]


class OrderSerializer(serializers.ModelSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)
    number = serializers.CharField(read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "buyer",
            "supplier",
            "status",
            "total",
            "placed_on",
            "settled_on",
            "note",
            "reason",
            "lines",
        ]
        read_only_fields = fields


class CartLineSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    quantity = serializers.IntegerField(help_text="At least 1")


class CartSerializer(serializers.Serializer):
    buyer = ScopedPrimaryKeyRelatedField(queryset=Buyer.objects.all())
    lines = CartLineSerializer(many=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class OutOfStockSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    product = serializers.IntegerField()
    stock = serializers.IntegerField(help_text="Units left")


class PaymentSerializer(serializers.ModelSerializer):
    order = ScopedPrimaryKeyRelatedField(queryset=Order.objects.all())
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        model = Payment
        fields = ["id", "order", "amount", "paid_on", "voucher", "reverses", "reason"]
        read_only_fields = ["reverses", "reason"]
        extra_kwargs = {"voucher": {"required": False}}


class MarketReasonParams(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class MarketNoteParams(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ProductReviewParams(MarketNoteParams):
    certified = serializers.BooleanField(required=False, default=False)


# --- transitions as actions -----------------------------------------------------------------------------------


def step(name: str, call: Callable, params: type[serializers.Serializer] | None, summary: str, result=None):
    """`POST /<resource>/{id}/<name>/`: validate `params`, call the service, return the object as it now is."""

    def handler(self, request, pk=None):
        obj = self.get_object()
        data = {}
        if params is not None:
            body = params(data=request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        call(request.user, obj, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)

    handler.__name__ = name
    handler.__doc__ = summary
    routed = action(detail=True, methods=["post"], url_path=name, url_name=name)(handler)
    return extend_schema(request=params, responses={200: result, **ACTION_ERRORS})(routed)


def writes(serializer) -> dict:
    return {
        "retrieve": extend_schema(responses={200: serializer, **READ_ERRORS}),
        "create": extend_schema(responses={201: serializer, **error_responses(400, 403)}),
        "update": extend_schema(responses={200: serializer, **WRITE_ERRORS}),
        "partial_update": extend_schema(responses={200: serializer, **WRITE_ERRORS}),
    }


class NoDeleteMixin:
    """Market records are kept: suppliers and products are withdrawn, never deleted (a product's photos are, on
    their own route)."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]


# --- viewsets -------------------------------------------------------------------------------------------------


SUPPLIER_FIELDS = ("name", "kind", "area", "address", "contact", "county_only", "description")


@extend_schema_view(**writes(SupplierSerializer))
class SupplierViewSet(NoDeleteMixin, ScopedModelViewSet):
    """Suppliers of the user's areas (a supplier's people: their own; buyers: the certified ones)."""

    queryset = Supplier.objects.order_by("pinyin", "id")
    serializer_class = SupplierSerializer
    filterset_class = SupplierFilter
    select_related = ("area",)

    def create_object(self, serializer):
        return services.save_supplier(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        supplier = serializer.instance
        data = {key: getattr(supplier, key) for key in SUPPLIER_FIELDS}
        data.update(serializer.validated_data)
        return services.save_supplier(self.request.user, instance=supplier, **data)


@extend_schema_view(retrieve=extend_schema(responses={200: CertificateSerializer, **READ_ERRORS}))
class CertificateViewSet(ScopedReadOnlyViewSet):
    """Certificates of the user's suppliers; submitted by the supplier, approved or rejected by the county."""

    queryset = Certificate.objects.order_by("-valid_until", "-id")
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    select_related = ("supplier",)

    @extend_schema(request=CertificateSerializer, responses={201: CertificateSerializer, **error_responses(400, 403)})
    def create(self, request):
        serializer = CertificateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        certificate = services.submit_certificate(request.user, data.pop("supplier"), **data)
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)

    approve = step(
        "approve",
        lambda user, obj, note: services.review_certificate(user, obj, approve=True, note=note),
        MarketNoteParams,
        "Approve the certificate (the county).",
        CertificateSerializer,
    )
    reject = step(
        "reject",
        lambda user, obj, note: services.review_certificate(user, obj, approve=False, note=note),
        MarketNoteParams,
        "Reject the certificate with a note (the county).",
        CertificateSerializer,
    )


PRODUCT_FIELDS = ("name", "category", "unit", "price", "stock", "origin", "description")


@extend_schema_view(**writes(ProductSerializer))
class ProductViewSet(PhotoActionsMixin, NoDeleteMixin, ScopedModelViewSet):
    """Products: a buyer sees those on sale in the province; a supplier its own; the county its county's.
    `?q=` searches Chinese words and pinyin. `…/{id}/photos/`: up to six photos, added by the supplier's side
    (multipart `photos`; a listed product goes back to the county's review) and removed with `?photo=`."""

    queryset = Product.objects.order_by("pinyin", "id")
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    select_related = ("supplier", "origin")
    photo_model = ProductPhoto
    photo_serializer_class = ProductPhotoSerializer
    add_photos = staticmethod(services.add_product_photos)
    remove_photo = staticmethod(services.remove_product_photo)

    def get_queryset(self):
        return super().get_queryset().prefetch_related(ProductPhoto.gallery.prefetch())

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        return services.save_product(self.request.user, data.pop("supplier"), **data)

    def update_object(self, serializer):
        product = serializer.instance
        data = {key: getattr(product, key) for key in PRODUCT_FIELDS}
        data.update({key: value for key, value in serializer.validated_data.items() if key in PRODUCT_FIELDS})
        return services.save_product(self.request.user, instance=product, **data)

    approve = step(
        "approve",
        lambda user, obj, note, certified: services.review_product(
            user, obj, approve=True, certified=certified, note=note
        ),
        ProductReviewParams,
        "List the product (the county).",
        ProductSerializer,
    )
    reject = step(
        "reject",
        lambda user, obj, note, certified: services.review_product(user, obj, approve=False, note=note),
        ProductReviewParams,
        "Turn the product down with a note (the county).",
        ProductSerializer,
    )
    withdraw = step("withdraw", services.withdraw_product, None, "Take the product off sale.", ProductSerializer)


@extend_schema_view(**writes(BuyerSerializer))
class BuyerViewSet(NoDeleteMixin, ScopedModelViewSet):
    queryset = Buyer.objects.order_by("pinyin", "id")
    serializer_class = BuyerSerializer
    filterset_class = BuyerFilter
    select_related = ("area",)

    def create_object(self, serializer):
        return services.save_buyer(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        buyer = serializer.instance
        data = {"name": buyer.name, "area": buyer.area, "contact": buyer.contact, **serializer.validated_data}
        return services.save_buyer(self.request.user, instance=buyer, members=buyer.members.all(), **data)


@extend_schema_view(retrieve=extend_schema(responses={200: QuotaSerializer, **READ_ERRORS}))
class QuotaViewSet(ScopedReadOnlyViewSet):
    """Each buyer's yearly reserved amount and what it bought that year; POST sets (or changes) one."""

    queryset = Quota.objects.order_by("-year", "id")
    serializer_class = QuotaSerializer
    filterset_class = QuotaFilter
    select_related = ("buyer",)

    def get_queryset(self):
        return services.with_progress(super().get_queryset())

    @extend_schema(request=QuotaSerializer, responses={201: QuotaSerializer, **error_responses(400, 403)})
    def create(self, request):
        serializer = QuotaSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        quota = services.set_quota(request.user, data["buyer"], year=data["year"], amount=data["amount"])
        return Response(QuotaSerializer(self.get_queryset().get(pk=quota.pk)).data, status=status.HTTP_201_CREATED)


def out_of_stock(exc: services.OutOfStock) -> Response:
    body = {"detail": str(exc), "code": "out_of_stock", "product": exc.product.pk, "stock": exc.left}
    return Response(body, status=status.HTTP_409_CONFLICT)


@extend_schema_view(retrieve=extend_schema(responses={200: OrderSerializer, **READ_ERRORS}))
class OrderViewSet(ScopedReadOnlyViewSet):
    """Orders of the user (a buyer's own, a supplier's incoming, the county's). POST a cart to place it: one order
    per supplier. Each transition is an action; a transition not possible now is a 409."""

    queryset = Order.objects.order_by("-placed_on", "-id")
    serializer_class = OrderSerializer
    filterset_class = OrderFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("lines")

    @extend_schema(
        request=CartSerializer,
        responses={201: OrderSerializer(many=True), 409: OutOfStockSerializer, **error_responses(400, 403)},
    )
    def create(self, request):
        serializer = CartSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cart: dict[int, int] = {}
        for line in data["lines"]:
            cart[line["product"]] = cart.get(line["product"], 0) + line["quantity"]
        try:
            orders = services.place_order(request.user, data["buyer"], cart, note=data["note"])
        except services.OutOfStock as exc:
            return out_of_stock(exc)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        placed = self.get_queryset().filter(pk__in=[order.pk for order in orders])
        return Response(OrderSerializer(placed, many=True).data, status=status.HTTP_201_CREATED)

    confirm = step("confirm", services.confirm_order, None, "The supplier accepts the order.", OrderSerializer)
    ship = step("ship", services.ship_order, None, "The supplier sends the goods.", OrderSerializer)
    receive = step("receive", services.receive_order, None, "The buyer accepts the delivery.", OrderSerializer)
    cancel = step(
        "cancel", services.cancel_order, MarketReasonParams, "Call the order off before shipping.", OrderSerializer
    )
    dispute = step(
        "dispute", services.dispute_order, MarketReasonParams, "The buyer contests the delivery.", OrderSerializer
    )
    resolve = step("resolve", services.resolve_dispute, MarketNoteParams, "The dispute is settled.", OrderSerializer)


@extend_schema_view(retrieve=extend_schema(responses={200: PaymentSerializer, **READ_ERRORS}))
class PaymentViewSet(ScopedReadOnlyViewSet):
    """Payments recorded against orders (made offline): append-only; a mistake is reversed by the county."""

    queryset = Payment.objects.order_by("order", "id")
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=PaymentSerializer, responses={201: PaymentSerializer, **ACTION_ERRORS})
    def create(self, request):
        serializer = PaymentSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        payment = services.record_payment(
            request.user, data["order"], amount=data["amount"], paid_on=data["paid_on"], voucher=data.get("voucher")
        )
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MarketReasonParams, responses={201: PaymentSerializer, **ACTION_ERRORS})
    @action(detail=True, methods=["post"], url_path="reverse", url_name="reverse")
    def reverse(self, request, pk=None):
        """Reverse the payment by a negative entry with a reason (the county)."""
        payment = self.get_object()
        body = MarketReasonParams(data=request.data)
        body.is_valid(raise_exception=True)
        reversal = services.reverse_payment(request.user, payment, reason=body.validated_data["reason"])
        return Response(PaymentSerializer(reversal).data, status=status.HTTP_201_CREATED)


# --- the report -----------------------------------------------------------------------------------------------


class MarketAreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()


class BuyerFiguresSerializer(serializers.Serializer):
    buyer = serializers.IntegerField()
    name = serializers.CharField()
    purchased = serializers.DecimalField(max_digits=14, decimal_places=2)
    quota = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    percent = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)


class SupplierFiguresSerializer(serializers.Serializer):
    supplier = serializers.IntegerField()
    name = serializers.CharField()
    orders = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class CountyMonthSerializer(serializers.Serializer):
    county = serializers.CharField()
    county_name = serializers.CharField()
    month = serializers.IntegerField()
    orders = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class CategoryFiguresSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class HouseholdIncomeSerializer(serializers.Serializer):
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    households = serializers.IntegerField()


class MarketReportSerializer(serializers.Serializer):
    area = MarketAreaSerializer()
    year = serializers.IntegerField()
    total = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Consumption purchases from the area's suppliers (not cancelled)"
    )
    orders = serializers.IntegerField()
    by_buyer = BuyerFiguresSerializer(many=True)
    by_supplier = SupplierFiguresSerializer(many=True)
    by_county_month = CountyMonthSerializer(many=True)
    by_category = CategoryFiguresSerializer(many=True)
    household_income = HouseholdIncomeSerializer()


class MarketReportView(APIView):
    """`GET /api/v1/reports/market/?area=<code>&year=<yyyy>`: the market figures page's figures."""

    scoping = SCOPED
    reports_on_area = True

    @extend_schema(
        operation_id="reports_market",
        summary="Consumption poverty-alleviation figures",
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, description="Division code; default: your widest area."),
            OpenApiParameter("year", OpenApiTypes.INT, description="Default: the latest year with orders."),
        ],
        responses={200: MarketReportSerializer, **error_responses(400, 403, 404)},
    )
    def get(self, request):
        if not may_read_figures(request.user):
            raise PermissionDenied
        area, year = resolve_area_year(request.user, request.query_params.get("area"), request.query_params.get("year"))
        return Response(MarketReportSerializer(services.market_figures(area, year)).data)
