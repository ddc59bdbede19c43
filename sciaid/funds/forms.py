"""Forms of the funds pages: formats and choices from the user's jurisdiction; the rules stay in `services`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sciaid.core.backdating import past_date_field
from sciaid.core.forms import ActingUserForm
from sciaid.core.scoping import CHANGE
from sciaid.funds.choices import ExpenditureCategory
from sciaid.funds.models import FundSource
from sciaid.funds.recipients import recipient_source
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def amount_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=kwargs.pop("label", _("Amount (yuan)")),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


class BudgetForm(ActingUserForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, initial=lambda: date.today().year)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), to_field_name="code")
    source = forms.ModelChoiceField(label=_("Source"), queryset=FundSource.objects.all())
    amount = amount_field()
    purpose = forms.CharField(label=_("Purpose"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (
            Area.objects.for_user(self.user, CHANGE).filter(level__lte=AreaLevel.COUNTY).order_by("code")
        )


class AllocationForm(ActingUserForm):
    """An allocation to one recipient of the chosen kind: picked among the records that may receive money from this
    budget where an app registered them (commissioners, workstations, projects), named in free text otherwise."""

    recipient = forms.ModelChoiceField(label=pgettext_lazy("allocation", "Recipient"), queryset=None)
    recipient_name = forms.CharField(label=pgettext_lazy("allocation", "Recipient"), max_length=200)
    amount = amount_field()
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    allocated_on = forms.DateField(label=_("Date"), initial=date.today, widget=DATE_INPUT)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        source = recipient_source(kind)
        if source is None:
            del self.fields["recipient"]
            return
        del self.fields["recipient_name"]
        field = self.fields["recipient"]
        field.queryset = source.candidates(self.instance)
        field.label_from_instance = source.label
        if not field.queryset.exists():
            field.help_text = _("Nobody of this kind may receive money from this budget.")


class VoucherForm(ActingUserForm):
    voucher = forms.FileField(
        label=_("Voucher"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_("A scan or photo of the receipt or invoice: PDF, JPEG or PNG."),
    )


class ExpenditureForm(VoucherForm):
    category = forms.ChoiceField(label=_("Category"), choices=ExpenditureCategory.choices)
    amount = amount_field()
    spent_on = forms.DateField(label=_("Date"), initial=date.today, widget=DATE_INPUT)
    payee = forms.CharField(label=_("Payee"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    field_order = ["category", "amount", "spent_on", "payee", "description", "voucher"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voucher"].required = False


class ReversalForm(ActingUserForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    reversed_on = past_date_field(_("Date of the reversal"))


class AllocationReversalForm(ReversalForm):
    amount = amount_field(required=False, help_text=_("Leave empty to take back the whole unspent balance."))


class FundSourceForm(ActingUserForm):
    code = forms.SlugField(label=_("Code"), max_length=64)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=64)
    name_en = forms.CharField(label=_("Name (English)"), max_length=64)
    position = forms.IntegerField(label=_("Display order"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            for name in self.fields:
                self.initial.setdefault(name, getattr(self.instance, name))
