"""Pages of the commissioners' year for the county: the fund allocation rule (preview, post to the ledger) and the
yearly appraisal (rubric, computed sheets, scores, review, publication; each commissioner's own sheets).

Every button is one POST calling one service function; a refusal comes back as a message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from sciaid.commissioners import services, yearly_forms
from sciaid.commissioners.models import MANAGERS, READERS, AllocationRule, Appraisal, AppraisalRubric
from sciaid.commissioners.yearly_choices import Rating, RoundStatus
from sciaid.core.pagination import CappedPaginator
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE
from sciaid.core.states import TransitionRefused
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormView


@dataclass(frozen=True)
class Action:
    """One button on an object's page: its form and the one service call it makes."""

    form: type
    call: Callable
    done: object


class ObjectActionView(ServiceFormView):
    """POST one named action (`actions[name]`) on an object; refusals come back as messages on its page."""

    http_method_names = ["post"]
    actions: dict[str, Action] = {}

    def dispatch(self, request, *args, **kwargs):
        self.step = self.actions.get(kwargs["action"])
        if self.step is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return self.step.form

    def perform(self, form):
        try:
            self.step.call(self.request.user, self.object, form.cleaned_data)
        except (PermissionDenied, TransitionRefused) as exc:
            raise ValidationError(str(exc) or _("You may not do this.")) from exc
        self.success_message = self.step.done
        return self.object

    def get_success_url(self, saved=None):
        return self.object.get_absolute_url()

    def form_invalid(self, form):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(self.request, f"{label}: {error}" if label else error)
        return redirect(self.get_success_url())


# --- allocation rule --------------------------------------------------------------------------------------------


class AllocationRuleListView(RoleRequiredMixin, ScopedListView):
    """The counties' yearly allocation rules, newest year first."""

    model = AllocationRule
    select_related = ("county", "budget")
    template_name = "commissioners/allocation_rule_list.html"
    required_roles = READERS


class AllocationRuleFormView(RoleRequiredMixin, ServiceFormView):
    """Set a county's rule for a year (the same county and year again changes it, until it is posted)."""

    model = AllocationRule
    form_class = yearly_forms.AllocationRuleForm
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
            post_form=yearly_forms.PostAllocationForm(user=self.request.user) if context["can_change"] else None,
        )
        return context


class AllocationPostView(ServiceFormView):
    """Post the rule to the funds ledger from the chosen budget: all or nothing, never twice."""

    model = AllocationRule
    form_class = yearly_forms.PostAllocationForm
    http_method_names = ["post"]

    def perform(self, form):
        result = services.post_allocation_rule(self.request.user, self.object, budget=form.cleaned_data["budget"])
        self.success_message = _(
            "%(posted)d allocations posted (¥%(amount)s); %(already)d were already in the ledger."
        ) % {"posted": result.posted, "amount": f"{result.amount:,.2f}", "already": result.already}
        return self.object

    def form_invalid(self, form):
        return ObjectActionView.form_invalid(self, form)

    def get_success_url(self, saved=None):
        return self.object.get_absolute_url()


# --- appraisal ------------------------------------------------------------------------------------------------------


class AppraisalRubricListView(RoleRequiredMixin, ScopedListView):
    model = AppraisalRubric
    select_related = ("county",)
    template_name = "commissioners/appraisal_rubric_list.html"
    required_roles = READERS


class AppraisalRubricFormView(RoleRequiredMixin, ServiceFormView):
    """Set a county's rubric for a year: weights, thresholds, quota (changing it recomputes the ratings)."""

    model = AppraisalRubric
    form_class = yearly_forms.RubricForm
    template_name = "commissioners/appraisal_rubric_form.html"
    required_roles = MANAGERS
    edits_object = False
    success_message = _("Rubric saved.")

    def get_initial(self):
        rubric = (
            AppraisalRubric.objects.for_user(self.request.user, CHANGE)
            .filter(county__code=self.request.GET.get("county"), year=self.request.GET.get("year") or 0)
            .select_related("county")
            .first()
        )
        return yearly_forms.RubricForm.initial_from(rubric) if rubric else {}

    def perform(self, form):
        return services.save_appraisal_rubric(self.request.user, **form.cleaned_data)


class AppraisalRubricDetailView(ScopedDetailView):
    """The county's appraisal: the rubric, every sheet ranked, the distribution of ratings, and the next step."""

    model = AppraisalRubric
    select_related = ("county",)
    template_name = "commissioners/appraisal_rubric_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rubric = self.object
        sheets = list(rubric.sheets.select_related("expert").order_by("rank", "id"))
        counts = dict.fromkeys(Rating.values, 0)
        for sheet in sheets:
            if sheet.rating:
                counts[sheet.rating] += 1
        actions = AppraisalRubric.workflow.available(rubric, self.request.user)
        context.update(
            sheets=sheets,
            distribution=[(label, counts[value]) for value, label in Rating.choices],
            actions=actions if context["can_change"] else [],
            editable=context["can_change"] and rubric.status in (RoundStatus.DRAFT, RoundStatus.COMPUTED),
        )
        return context


RUBRIC_ACTIONS = {
    "compute": Action(
        yearly_forms.EmptyForm, lambda u, r, data: services.compute_appraisal(u, r), _("Sheets computed.")
    ),
    "review": Action(yearly_forms.EmptyForm, lambda u, r, data: services.review_appraisal(u, r), _("Marked reviewed.")),
    "reopen": Action(yearly_forms.EmptyForm, lambda u, r, data: services.reopen_appraisal(u, r), _("Reopened.")),
    "publish": Action(
        yearly_forms.EmptyForm,
        lambda u, r, data: services.publish_appraisal(u, r),
        _("Published: each commissioner now sees their sheet."),
    ),
}


class AppraisalRubricActionView(ObjectActionView):
    model = AppraisalRubric
    actions = RUBRIC_ACTIONS


class AppraisalDetailView(ScopedDetailView):
    """One commissioner's sheet: the figures behind each component score, the total and the rating."""

    model = Appraisal
    select_related = ("rubric", "rubric__county", "expert")
    template_name = "commissioners/appraisal_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sheet = self.object
        if context["can_change"] and sheet.rubric.status == RoundStatus.COMPUTED:
            context["score_form"] = yearly_forms.SheetScoreForm(
                user=self.request.user,
                initial={"opinion_score": sheet.opinion_score, "manual_score": sheet.manual_score, "note": sheet.note},
            )
        return context


class AppraisalScoreView(ObjectActionView):
    """Enter a sheet's village opinion and manual scores (the URL names the one action, "score")."""

    model = Appraisal
    actions = {
        "score": Action(
            yearly_forms.SheetScoreForm,
            lambda u, sheet, data: services.score_appraisal(u, sheet, **data),
            _("Scores saved; totals and ratings recomputed."),
        )
    }


class MyAppraisalsView(RoleRequiredMixin, ScopedMixin, ListView):
    """A commissioner's own published appraisal sheets, newest year first (personal, like an inbox)."""

    model = Appraisal
    select_related = ("rubric", "rubric__county")
    template_name = "commissioners/appraisal_mine.html"
    required_roles = frozenset({Role.EXPERT})
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_queryset(self):
        return super().get_queryset().filter(expert__user=self.request.user).order_by("-rubric__year", "id")
