"""Subsidy statements: computed by the county, reviewed by the city and the province."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sciaid.assistance import forms, services
from sciaid.assistance.choices import RecipientKind
from sciaid.assistance.filters import StatementFilter
from sciaid.assistance.models import JUDGES, SubsidyStatement
from sciaid.assistance.services.subsidies import statement_year
from sciaid.core.actions import Step, StepView, step_cards
from sciaid.core.roles import Role
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView

# --- subsidy statements -----------------------------------------------------------------------------------------

STATEMENT_VIEWERS = JUDGES | {Role.SUPERVISOR}


class StatementListView(RoleRequiredMixin, ScopedListView):
    """The subsidy statements of the user's counties (a city or province admin sees every county under them), with
    the form to compute a county's statement for a year."""

    model = SubsidyStatement
    filterset_class = StatementFilter
    select_related = ("county",)
    template_name = "assistance/statement_list.html"
    required_roles = STATEMENT_VIEWERS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The year offered is the latest with valid services in the user's counties, the one a statement is for.
        context["compute_form"] = (
            forms.StatementForm(user=user, initial={"year": statement_year(user)})
            if services.prepares_statements(user)
            else None
        )
        return context


class StatementComputeView(RoleRequiredMixin, ServiceFormView):
    """POST county and year: freeze that county's subsidies into a draft statement (or recompute it)."""

    model = SubsidyStatement
    form_class = forms.StatementForm
    template_name = "assistance/statement_compute.html"
    required_roles = JUDGES
    edits_object = False
    success_message = _("The statement is computed.")

    def perform(self, form):
        return services.compute_statement(self.request.user, form.cleaned_data["county"], form.cleaned_data["year"])

    def get_success_url(self, saved=None):
        return services.statement_url(saved)


class StatementDetailView(ScopedDetailView):
    """A statement: its rows and totals per role, its review trail, and the buttons the user's level allows."""

    model = SubsidyStatement
    template_name = "assistance/statement_detail.html"
    select_related = ("county", "submitted_by", "city_approved_by", "approved_by", "returned_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = self.object
        rows = list(statement.rows.all())
        totals = {
            kind: (
                label,
                sum(row.services for row in rows if row.kind == kind),
                sum((row.amount for row in rows if row.kind == kind), Decimal("0.00")),
            )
            for kind, label in RecipientKind.choices
        }
        user = self.request.user
        actions = services.statement_actions(user, statement) if context["can_change"] else set()
        context.update(
            rows=rows,
            totals=totals.values(),
            cards=step_cards(user, statement, STATEMENT_ACTIONS, actions),
            action_url="assistance:statement-action",
        )
        return context


STATEMENT_ACTIONS: dict[str, Step] = {
    "recompute": Step(
        forms.EmptyForm,
        lambda u, s, data: services.compute_statement(u, s.county, s.year),
        _("The statement is recomputed."),
        button=_("Recompute"),
        style="secondary",
    ),
    "submit": Step(
        forms.EmptyForm,
        lambda u, s, data: services.submit_statement(u, s),
        _("Submitted to the city."),
        button=_("Submit to the city"),
    ),
    "approve": Step(
        forms.EmptyForm, lambda u, s, data: services.approve_statement(u, s), _("Approved."), button=_("Approve")
    ),
    "return": Step(
        forms.ReasonForm,
        lambda u, s, data: services.return_statement(u, s, data["reason"]),
        _("Returned."),
        button=_("Return to the county"),
        style="secondary",
    ),
}


class StatementActionView(StepView):
    model = SubsidyStatement
    select_related = ("county",)
    steps = STATEMENT_ACTIONS

    def back_url(self) -> str:
        return services.statement_url(self.object)
