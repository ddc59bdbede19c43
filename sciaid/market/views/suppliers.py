"""Pages of suppliers, their certificates and beneficiary households, and products with the county's review."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sciaid.core.actions import ButtonView, Step, StepView, open_steps, refusals_as_errors
from sciaid.core.forms import ActingUserForm
from sciaid.core.views import ScopedDetailView, ScopedListView, ServiceFormView
from sciaid.funds.money import yuan
from sciaid.market import services
from sciaid.market.filters import CertificateFilter, ProductFilter, SupplierFilter
from sciaid.market.forms import (
    BeneficiaryForm,
    CertificateForm,
    ProductForm,
    ProductReviewForm,
    ReviewForm,
    SupplierForm,
)
from sciaid.market.models import Certificate, Product, ProductPhoto, Supplier


class SupplierListView(ScopedListView):
    model = Supplier
    filterset_class = SupplierFilter
    select_related = ("area",)
    template_name = "market/supplier_list.html"
    export_name = "suppliers"
    export_columns = [
        (_("Name"), lambda s, view: s.name),
        (_("Kind of supplier"), lambda s, view: s.get_kind_display()),
        (_("Division code"), lambda s, view: s.area.code),
        (_("Area"), lambda s, view: s.area.name),
        (_("Certified until"), lambda s, view: s.certified_until.isoformat() if s.certified_until else ""),
    ]


class SupplierDetailView(ScopedDetailView):
    model = Supplier
    select_related = ("area",)
    template_name = "market/supplier_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        supplier = self.object
        context.update(
            certificates=supplier.certificates.select_related("reviewer").order_by("-valid_until", "-id"),
            beneficiaries=supplier.beneficiaries.select_related("household", "household__village"),
            products=Product.objects.for_user(self.request.user).filter(supplier=supplier).order_by("pinyin", "id"),
            members=supplier.members.order_by("username"),
        )
        return context


class SupplierFormView(ServiceFormView):
    """Register a supplier (no pk) or change one."""

    model = Supplier
    form_class = SupplierForm
    template_name = "market/form.html"

    def perform(self, form):
        return services.save_supplier(self.request.user, instance=self.object, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Change the supplier") if self.object else _("Register a supplier")
        return context


class CertificateFormView(ServiceFormView):
    """Submit a certificate of the supplier (pk) for the county's review."""

    model = Supplier
    form_class = CertificateForm
    template_name = "market/form.html"
    success_message = _("Submitted for review.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": None}

    def perform(self, form):
        return services.submit_certificate(self.request.user, self.object, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": _("Submit a certificate")}


class BeneficiaryFormView(ServiceFormView):
    """Link a registered household to the supplier (pk) with its share of the sales."""

    model = Supplier
    form_class = BeneficiaryForm
    template_name = "market/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": None}

    def perform(self, form):
        return services.save_beneficiary(self.request.user, self.object, **form.cleaned_data).supplier

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": _("Link a household")}


class CertificateListView(ScopedListView):
    """Certificates of the user's suppliers; the county's review queue with `?status=pending`."""

    model = Certificate
    filterset_class = CertificateFilter
    select_related = ("supplier", "supplier__area")
    template_name = "market/certificate_list.html"
    export_name = "certificates"
    export_columns = [
        (_("Certificate number"), lambda c, view: c.number),
        (_("Supplier"), lambda c, view: c.supplier.name),
        (_("Issued by"), lambda c, view: c.issuer),
        (_("Valid from"), lambda c, view: c.valid_from.isoformat()),
        (_("Valid until"), lambda c, view: c.valid_until.isoformat()),
        (_("Status"), lambda c, view: c.get_status_display()),
    ]


def review(approve: bool):
    def call(user, obj, data):
        if isinstance(obj, Certificate):
            return services.review_certificate(user, obj, approve=approve, note=data.get("note", ""))
        return services.review_product(
            user, obj, approve=approve, certified=data.get("certified", False), note=data.get("note", "")
        )

    return call


class CertificateStepView(StepView):
    model = Certificate
    steps = {
        "approve": Step(ReviewForm, review(True), _("Approved.")),
        "reject": Step(ReviewForm, review(False), _("Rejected.")),
    }


class ProductListView(ScopedListView):
    """Products of the user's suppliers (or county), any status; the review queue with `?status=pending`."""

    model = Product
    filterset_class = ProductFilter
    select_related = ("supplier", "supplier__area", "origin")
    template_name = "market/product_list.html"
    export_name = "products"
    export_columns = [
        (_("Name"), lambda p, view: p.name),
        (_("Supplier"), lambda p, view: p.supplier.name),
        (_("Category"), lambda p, view: p.get_category_display()),
        (_("Unit"), lambda p, view: p.unit),
        (_("Price"), lambda p, view: yuan(p.price)),
        (_("Stock"), lambda p, view: p.stock),
        (_("Status"), lambda p, view: p.get_status_display()),
    ]


class ProductDetailView(ScopedDetailView):
    model = Product
    select_related = ("supplier", "supplier__area", "origin")
    template_name = "market/product_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = open_steps(self.object, self.request.user, context["can_change"])
        context["review_form"] = ProductReviewForm(user=self.request.user)
        context["photos"] = ProductPhoto.objects.for_user(self.request.user).filter(product=self.object)
        return context


class ProductFormView(ServiceFormView):
    """Change a product (pk of the product)."""

    model = Product
    form_class = ProductForm
    template_name = "market/form.html"

    def perform(self, form):
        return services.save_product(self.request.user, instance=self.object, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": _("Change the product")}


class ProductCreateView(ServiceFormView):
    """List a new product of the supplier (pk of the supplier); it waits for the county's review."""

    model = Supplier
    form_class = ProductForm
    template_name = "market/form.html"
    success_message = _("Submitted for review.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": None}

    def perform(self, form):
        return services.save_product(self.request.user, self.object, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": _("List a product")}


class ProductStepView(StepView):
    model = Product
    steps = {
        "approve": Step(ProductReviewForm, review(True), _("Listed.")),
        "reject": Step(ReviewForm, review(False), _("Turned down.")),
        "withdraw": Step(ActingUserForm, lambda user, obj, data: services.withdraw_product(user, obj), _("Withdrawn.")),
    }


class ProductPhotoDeleteView(ButtonView):
    """POST: remove a photo of the product (the supplier's side)."""

    model = ProductPhoto
    form_class = ActingUserForm
    success_message = _("Deleted.")

    def perform(self, form):
        with refusals_as_errors():
            services.remove_product_photo(self.request.user, self.object)


class ProductPhotoFirstView(ButtonView):
    """POST: make the photo the product's picture in the catalogue."""

    model = ProductPhoto
    form_class = ActingUserForm
    success_message = _("This photo now comes first.")

    def perform(self, form):
        with refusals_as_errors():
            services.put_product_photo_first(self.request.user, self.object)
