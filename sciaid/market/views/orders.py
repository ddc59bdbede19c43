"""Pages of orders (with their steps and payments), buyer institutions and quotas, and the market figures."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sciaid.core.actions import Step, StepView, open_steps, refusals_as_errors
from sciaid.core.forms import ActingUserForm
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.core.views import ProtectedFileView, ScopedDetailView, ScopedListView, ServiceFormView
from sciaid.market import services
from sciaid.market.filters import BuyerFilter, OrderFilter, QuotaFilter
from sciaid.market.forms import BuyerForm, PaymentForm, QuotaForm, ReasonForm
from sciaid.market.models import MANAGERS, Buyer, Order, Payment, Quota
from sciaid.market.services.figures import percent, rounded_money

# --- orders -------------------------------------------------------------------------------------------------------


class OrderListView(ScopedListView):
    """The user's orders: a buyer's own, a supplier's incoming, the county's; `.xlsx` export."""

    model = Order
    filterset_class = OrderFilter
    select_related = ("buyer", "supplier", "area")
    template_name = "market/order_list.html"
    export_name = "orders"
    export_columns = [
        (_("Order number"), lambda o, view: o.number),
        (_("Placed on"), lambda o, view: o.placed_on.isoformat()),
        (_("Buyer institution"), lambda o, view: o.buyer.name),
        (_("Supplier"), lambda o, view: o.supplier.name),
        (_("Division code"), lambda o, view: o.area.code),
        (_("Status"), lambda o, view: o.get_status_display()),
        (_("Total (yuan)"), lambda o, view: o.total),
        (_("Settled on"), lambda o, view: o.settled_on.isoformat() if o.settled_on else ""),
    ]


class OrderDetailView(ScopedDetailView):
    model = Order
    select_related = ("buyer", "supplier", "area")
    template_name = "market/order_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        context.update(
            lines=order.lines.all(),
            payments=order.payments.select_related("reverses").order_by("id"),
            paid=services.paid(order),
            actions=open_steps(order, user, context["can_change"]) - {"settle", "reopen"},
            reason_form=ReasonForm(user=user),
        )
        return context


def with_reason(call):
    return lambda user, order, data: call(user, order, reason=data["reason"])


class OrderStepView(StepView):
    model = Order
    steps = {
        "confirm": Step(ActingUserForm, lambda user, order, data: services.confirm_order(user, order), _("Confirmed.")),
        "ship": Step(ActingUserForm, lambda user, order, data: services.ship_order(user, order), _("Marked shipped.")),
        "receive": Step(ActingUserForm, lambda user, order, data: services.receive_order(user, order), _("Received.")),
        "cancel": Step(ReasonForm, with_reason(services.cancel_order), _("Cancelled.")),
        "dispute": Step(ReasonForm, with_reason(services.dispute_order), _("Disputed.")),
        "resolve": Step(
            ActingUserForm, lambda user, order, data: services.resolve_dispute(user, order), _("Resolved.")
        ),
    }


class PaymentFormView(ServiceFormView):
    """Record a payment made offline for the order (pk), with its voucher scan."""

    model = Order
    form_class = PaymentForm
    template_name = "market/form.html"
    success_message = _("Payment recorded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": None}

    def perform(self, form):
        with refusals_as_errors():
            services.record_payment(self.request.user, self.object, **form.cleaned_data)
        return self.object

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": _("Record a payment")}


class PaymentReverseView(ServiceFormView):
    """Reverse a recorded payment (pk) by a negative entry with a reason: the county only."""

    model = Payment
    form_class = ReasonForm
    template_name = "market/form.html"
    success_message = _("Reversed.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": None}

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (is_unrestricted(user) or bool(granted_roles(user) & MANAGERS))

    def perform(self, form):
        with refusals_as_errors():
            return services.reverse_payment(self.request.user, self.object, reason=form.cleaned_data["reason"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": _("Reverse the payment")}


class VoucherView(ProtectedFileView):
    model = Payment
    file_field = "voucher"


# --- buyers and quotas --------------------------------------------------------------------------------------------


class BuyerListView(ScopedListView):
    model = Buyer
    filterset_class = BuyerFilter
    select_related = ("area",)
    template_name = "market/buyer_list.html"


class BuyerDetailView(ScopedDetailView):
    model = Buyer
    select_related = ("area",)
    template_name = "market/buyer_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quotas"] = services.with_progress(self.object.quotas.order_by("-year"))
        context["members"] = self.object.members.order_by("username")
        return context


class BuyerFormView(ServiceFormView):
    model = Buyer
    form_class = BuyerForm
    template_name = "market/form.html"

    def perform(self, form):
        return services.save_buyer(self.request.user, instance=self.object, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        heading = _("Change the buyer institution") if self.object else _("Add a buyer institution")
        return {**super().get_context_data(**kwargs), "heading": heading}


class QuotaFormView(ServiceFormView):
    """Set the buyer's (pk) reserved amount for a year."""

    model = Buyer
    form_class = QuotaForm
    template_name = "market/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": None}

    def perform(self, form):
        return services.set_quota(self.request.user, self.object, **form.cleaned_data).buyer

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": _("Set the quota")}


class QuotaListView(ScopedListView):
    """Each buyer's quota against what it bought that year; `.xlsx` export of the table."""

    model = Quota
    filterset_class = QuotaFilter
    select_related = ("buyer", "buyer__area")
    template_name = "market/quota_list.html"
    export_name = "buyer-quotas"
    export_columns = [
        (_("Year"), lambda q, view: q.year),
        (_("Buyer institution"), lambda q, view: q.buyer.name),
        (_("Division code"), lambda q, view: q.buyer.area.code),
        (_("Reserved amount (yuan)"), lambda q, view: q.amount),
        (_("Purchased (yuan)"), lambda q, view: rounded_money(q.purchased)),
        (_("Progress (%)"), lambda q, view: percent(q.purchased, q.amount)),
    ]

    def get_queryset(self):
        return services.with_progress(super().get_queryset())
