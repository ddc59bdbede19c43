"""Forms of the information pages: choices from the user's jurisdiction; the rules stay in `services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.core.forms import ISO_DATE_INPUT, ActingUserForm
from sciaid.core.scoping import CHANGE
from sciaid.information.choices import NewsCategory
from sciaid.information.importers import parse_price
from sciaid.information.models import Market, Product
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


class NewsForm(ActingUserForm):
    """Draft or correct an item for a county, city or province the user runs."""

    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=NewsCategory.choices)
    area = forms.ModelChoiceField(
        label=_("Published for"),
        queryset=Area.objects.none(),
        to_field_name="code",
        help_text=_("A county's item is read in the county; the province's everywhere."),
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=300, required=False, help_text=_("Empty: the first words of the text.")
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("HTML paragraphs, lists, tables, links and images; scripts and styles are removed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (
            Area.objects.for_user(self.user, CHANGE).filter(level__lte=AreaLevel.COUNTY).order_by("code")
        )
        if self.instance is not None:
            self.initial.update(
                title=self.instance.title,
                category=self.instance.category,
                area=self.instance.area.code,
                summary=self.instance.summary,
                body=self.instance.body,
            )

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class NoteForm(ActingUserForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(ActingUserForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
        help_text=_("PDF, Word, Excel, PNG or JPEG."),
    )


class PriceForm(ActingUserForm):
    """One price of a market the user keeps; a second entry for the same day corrects the first."""

    date = forms.DateField(label=_("Date"), widget=ISO_DATE_INPUT)
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.all())
    market = forms.ModelChoiceField(label=_("Market"), queryset=Market.objects.none())
    price = forms.CharField(label=_("Price"), max_length=14)
    unit = forms.CharField(label=_("Unit"), max_length=16, required=False, help_text=_("Empty: the product's unit."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["market"].queryset = Market.objects.for_user(self.user, CHANGE).select_related("area")

    def clean_price(self):
        return parse_price(self.cleaned_data["price"])


class MarketForm(ActingUserForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), to_field_name="code")
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (
            Area.objects.for_user(self.user, CHANGE).filter(level__lte=AreaLevel.TOWNSHIP).order_by("code")
        )
