"""Forms of the allocation rule: the rule itself, and the budget it is posted from."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.forms import MONEY, CountyYearForm
from sciaid.core.forms import ActingUserForm
from sciaid.core.scoping import CHANGE
from sciaid.funds.models import Budget


class AllocationRuleForm(CountyYearForm):
    base_amount = forms.DecimalField(label=_("Amount for one village (yuan)"), min_value=0, **MONEY)
    increment = forms.DecimalField(label=_("Increment per further village (yuan)"), min_value=0, **MONEY)


class BudgetField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.year} · {obj.area} · {obj.purpose} · ¥{obj.amount:,.2f}"


class PostAllocationForm(ActingUserForm):
    """The budget a rule (or a workstation's funding) is paid from: one the user keeps the books of."""

    budget = BudgetField(queryset=Budget.objects.none(), label=_("Budget"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = Budget.objects.for_user(self.user, CHANGE).select_related("area")
