"""Forms of the market pages. They only collect input: every rule is checked by the service they feed."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciaid.accounts.models import User
from sciaid.core.forms import ISO_DATE_INPUT, ActingUserForm
from sciaid.core.photos import PhotosField
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, VIEW
from sciaid.market.choices import ProductCategory, SupplierKind
from sciaid.market.models import Buyer, ProductPhoto
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.models import Area, Household


def area_field(label, user, *, level_from: int = AreaLevel.COUNTY, level_to: int = AreaLevel.VILLAGE):
    """An area of the user's scope, chosen by division code (a select in a county, a code box at province scale)."""
    field = forms.ModelChoiceField(
        label=label,
        queryset=Area.objects.for_user(user, VIEW).filter(level__gte=level_from, level__lte=level_to).order_by("code"),
        to_field_name="code",
    )
    fit_area_widget(field)
    return field


def people_field(label, user, role: str) -> forms.ModelMultipleChoiceField:
    """Users of the manager's areas who hold `role` (applicants for a supplier, buyers for an institution)."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=User.objects.for_user(user, CHANGE).filter(grants__role=role).distinct().order_by("username"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class InstanceInitialMixin:
    """Fill the form from the object being edited (`initial_fields`)."""

    initial_fields: tuple[str, ...] = ()

    def fill_initial(self) -> None:
        if self.instance is not None:
            for name in self.initial_fields:
                self.initial.setdefault(name, getattr(self.instance, name))


class SupplierForm(InstanceInitialMixin, ActingUserForm):
    initial_fields = ("name", "kind", "address", "contact", "county_only", "description")

    name = forms.CharField(label=_("Name"), max_length=128)
    kind = forms.ChoiceField(label=_("Kind of supplier"), choices=SupplierKind.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    contact = forms.CharField(label=_("Contact person"), max_length=64, required=False)
    county_only = forms.BooleanField(
        label=_("Sells within its county only"),
        required=False,
        help_text=_("Only buyers of the supplier's own county may order from it."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(_("Area"), self.user)
        self.fields["members"] = people_field(_("Users acting for it"), self.user, Role.APPLICANT)
        self.fill_initial()
        if self.instance is not None:
            self.initial.setdefault("area", self.instance.area.code)
            self.initial.setdefault("members", list(self.instance.members.all()))


class CertificateForm(ActingUserForm):
    number = forms.CharField(label=_("Certificate number"), max_length=64)
    issuer = forms.CharField(label=_("Issued by"), max_length=128)
    valid_from = forms.DateField(label=_("Valid from"), widget=ISO_DATE_INPUT)
    valid_until = forms.DateField(label=_("Valid until"), widget=ISO_DATE_INPUT)


class ReviewForm(ActingUserForm):
    """The county's verdict on a certificate or product (the URL's action says which)."""

    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ProductReviewForm(ReviewForm):
    certified = forms.BooleanField(label=_("Certified poverty-alleviation product"), required=False, initial=True)


class BeneficiaryForm(ActingUserForm):
    share = forms.DecimalField(label=_("Share of sales (%)"), max_digits=5, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"] = forms.ModelChoiceField(
            label=_("Household number"),
            queryset=Household.objects.for_user(self.user, VIEW),
            to_field_name="number",
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        )
        self.order_fields(["household", "share"])


class ProductForm(InstanceInitialMixin, ActingUserForm):
    initial_fields = ("name", "category", "unit", "price", "stock", "description")

    name = forms.CharField(label=_("Name"), max_length=128)
    category = forms.ChoiceField(label=_("Category"), choices=ProductCategory.choices)
    unit = forms.CharField(
        label=_("Unit"), max_length=32, help_text=_("What one piece is, e.g. 5 kg bag or box of 30.")
    )
    price = forms.DecimalField(label=_("Price (yuan)"), max_digits=12, decimal_places=2)
    stock = forms.IntegerField(label=_("Stock"), min_value=0)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(max_count=ProductPhoto.gallery.max_photos)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        origin = area_field(_("Village of origin"), self.user, level_from=AreaLevel.VILLAGE)
        origin.required = False
        self.fields["origin"] = origin
        self.fields["photos"].help_text = _(
            "JPEG, PNG or WebP, at most %(n)d per product; the first is shown in the catalogue. New photos send a "
            "listed product back to the county's review."
        ) % {"n": ProductPhoto.gallery.max_photos}
        self.order_fields(["name", "category", "unit", "price", "stock", "origin", "description", "photos"])
        self.fill_initial()
        if self.instance is not None and self.instance.origin_id:
            self.initial.setdefault("origin", self.instance.origin.code)


class BuyerForm(InstanceInitialMixin, ActingUserForm):
    initial_fields = ("name", "contact")

    name = forms.CharField(label=_("Name"), max_length=128)
    contact = forms.CharField(label=_("Contact person"), max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(_("Area"), self.user)
        self.fields["members"] = people_field(_("Buyer users"), self.user, Role.BUYER)
        self.fill_initial()
        if self.instance is not None:
            self.initial.setdefault("area", self.instance.area.code)
            self.initial.setdefault("members", list(self.instance.members.all()))


class QuotaForm(ActingUserForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("Reserved amount (yuan)"), max_digits=14, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("year", timezone.localdate().year)


class CartAddForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, initial=1)


class CartPlaceForm(ActingUserForm):
    note = forms.CharField(label=_("Note to the suppliers"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"] = forms.ModelChoiceField(
            label=_("Buyer institution"), queryset=Buyer.objects.for_user(self.user).filter(members=self.user)
        )
        self.order_fields(["buyer", "note"])
        if self.fields["buyer"].queryset.count() == 1:
            self.initial["buyer"] = self.fields["buyer"].queryset.first()


class ReasonForm(ActingUserForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PaymentForm(ActingUserForm):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=ISO_DATE_INPUT)
    voucher = forms.FileField(
        label=_("Voucher scan"),
        required=False,
        help_text=_("A scan or photo of the receipt or invoice: PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,image/jpeg,image/png"}),
    )
