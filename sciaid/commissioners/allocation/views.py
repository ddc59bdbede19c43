"""Pages of the commissioners' fund allocation rule: the counties' rules, setting one, its preview (every
commissioner paired that year with the amount due), and posting it to the funds ledger."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.allocation import forms, services
from sciaid.commissioners.allocation.models import AllocationRule
from sciaid.commissioners.common import MANAGERS, READERS
from sciaid.core.actions import Step, StepView
from sciaid.core.scoping import CHANGE
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView


class AllocationRuleListView(RoleRequiredMixin, ScopedListView):
    """The counties' yearly allocation rules, newest year first."""

    model = AllocationRule
    select_related = ("county", "budget")
    template_name = "commissioners/allocation_rule_list.html"
    required_roles = READERS


class AllocationRuleFormView(RoleRequiredMixin, ServiceFormView):
    """Set a county's rule for a year (the same county and year again changes it, until it is posted)."""

    model = AllocationRule
    form_class = forms.AllocationRuleForm
    template_name = "commissioners/allocation_rule_form.html"
    required_roles = MANAGERS
    edits_object = False
    success_message = _("Rule saved. Check the preview, then post it.")

    def get_initial(self):
        rule = AllocationRule.objects.for_user(self.request.user, CHANGE).filter(
            county__code=self.request.GET.get("county"), year=self.request.GET.get("year") or 0
        )
        rule = rule.select_related("county").first()
        if rule is None:
            return {"base_amount": Decimal("3400.00"), "increment": Decimal("0.00")}
        return {
            "county": rule.county.code,
            "year": rule.year,
            "base_amount": rule.base_amount,
            "increment": rule.increment,
        }

    def perform(self, form):
        return services.save_allocation_rule(self.request.user, **form.cleaned_data)


class AllocationRuleDetailView(ScopedDetailView):
    """The rule's preview: every commissioner paired that year, villages, amount, whether already in the ledger."""

    model = AllocationRule
    select_related = ("county", "budget")
    template_name = "commissioners/allocation_rule_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = services.allocation_preview(self.object)
        context.update(
            rows=rows,
            total=sum((row.amount for row in rows), Decimal("0.00")),
            due=sum((row.amount for row in rows if not row.posted), Decimal("0.00")),
            post_form=forms.PostAllocationForm(user=self.request.user) if context["can_change"] else None,
        )
        return context


class AllocationPostView(StepView):
    """Post the rule to the funds ledger from the chosen budget: all or nothing, never twice."""

    model = AllocationRule
    #: The one action's form; `perform` makes the call, since its message reports what the posting did.
    steps = {"post": Step(forms.PostAllocationForm, None, None)}

    def perform(self, form):
        result = services.post_allocation_rule(self.request.user, self.object, budget=form.cleaned_data["budget"])
        if result.posted:
            message = _("%(posted)d allocations posted (¥%(amount)s); %(already)d were already in the ledger.")
        else:  # posted earlier, or by a post of the same rule a moment before this one
            message = _("Nothing was posted: the %(already)d allocations of this rule were already in the ledger.")
        self.success_message = message % {
            "posted": result.posted,
            "amount": f"{result.amount:,.2f}",
            "already": result.already,
        }
        return self.object
