"""Pages of the funds ledger: the ledger per area and year, drill-down to budgets and allocations, statements,
expenditures with their vouchers, and the forms that post (never edit) entries.

Views declare what they show and hand every posting to `funds.services`; every figure comes from database aggregates
(`with_totals`, `sciaid.funds.reports`), so each page's numbers reconcile by construction.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sciaid.core.views import (
    ImportView,
    ProtectedFileView,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
)
from sciaid.funds import services
from sciaid.funds.choices import RecipientKind
from sciaid.funds.filters import ExpenditureFilter, LedgerFilter
from sciaid.funds.forms import (
    AllocationForm,
    AllocationReversalForm,
    BudgetForm,
    ExpenditureForm,
    FundSourceForm,
    ReversalForm,
    VoucherForm,
)
from sciaid.funds.importers import ExpenditureImporter, header
from sciaid.funds.models import Allocation, Budget, Expenditure, FundSource
from sciaid.funds.reports import area_summary, summed

FORM_TEMPLATE = "funds/form.html"


class LedgerView(ScopedListView):
    """The ledger of an area (and year): every budget with allocated, unallocated, spent and balance, a totals row
    for everything filtered (not just this page), and, across several areas, the totals per area."""

    model = Budget
    filterset_class = LedgerFilter
    select_related = ("area", "source")
    template_name = "funds/ledger.html"
    export_name = "funds-ledger"
    export_columns = [
        (_("Year"), lambda b, view: b.year),
        (_("Division code"), lambda b, view: b.area.code),
        (_("Area"), lambda b, view: b.area.name),
        (_("Source"), lambda b, view: b.source.name),
        (_("Purpose"), lambda b, view: b.purpose),
        (_("Budget"), lambda b, view: b.amount),
        (_("Allocated"), lambda b, view: b.allocated),
        (_("Unallocated"), lambda b, view: b.unallocated),
        (_("Spent"), lambda b, view: b.spent),
        (_("Balance"), lambda b, view: b.balance),
    ]

    def get_queryset(self):
        return super().get_queryset().order_by("-year", "area__code", "id")

    def paginate_queryset(self, queryset, page_size):
        # Totals of the whole filtered set by aggregates; the count runs on the plain budgets, and only the page's
        # own rows get their totals (subqueries for 50 budgets, not for a province's thousand).
        self.summary = area_summary(queryset)
        self.totals = summed(self.summary)
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = queryset.with_totals().filter(pk__in=rows.values("pk"))
        return paginator, page, page.object_list, is_paginated

    def export(self, queryset, fmt: str):
        return super().export(queryset.with_totals(), fmt)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(totals=self.totals, summary=self.summary if len(self.summary) > 1 else [])
        return context


class BudgetDetailView(ScopedDetailView):
    """One budget and its allocations, each with what was spent of it: the drill-down of the ledger."""

    model = Budget
    select_related = ("area", "source")
    template_name = "funds/budget_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_totals()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["allocations"] = Allocation.objects.with_totals().filter(budget=self.object).select_related("reverses")
        return context


class AllocationDetailView(ScopedDetailView):
    """One allocation: its reversals, its expenditures (with vouchers and reversals), and its balance."""

    model = Allocation
    select_related = ("budget__area", "budget__source", "reverses", "content_type")
    template_name = "funds/allocation_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_totals()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allocation = self.object
        context.update(
            reversals=allocation.reversals.order_by("id"),
            expenditures=allocation.expenditures.select_related("reverses").order_by("spent_on", "id"),
            reversed_ids=set(
                Expenditure.objects.filter(allocation=allocation, reverses__isnull=False).values_list(
                    "reverses_id", flat=True
                )
            ),
        )
        return context


class StatementView(ScopedListView):
    """What one recipient (a project, a commissioner, a workstation) was allocated and spent, across budgets."""

    model = Allocation
    select_related = ("budget__area", "budget__source")
    template_name = "funds/statement.html"
    paginate_by = None

    def get_queryset(self):
        self.content_type = get_object_or_404(ContentType, pk=self.kwargs["ct"])
        return super().get_queryset().filter(content_type=self.content_type, object_id=self.kwargs["object_id"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allocations = context["object_list"]
        expenditures = Expenditure.objects.for_user(self.request.user).filter(allocation__in=allocations.values("pk"))
        context["statement"] = services.statement_of(allocations, expenditures)
        first = allocations.first()
        context["recipient_name"] = first.recipient_name if first else ""
        return context


class ExpenditureListView(ScopedListView):
    """Expenditures of the user's areas; the export has the import's columns, so it imports back elsewhere."""

    model = Expenditure
    filterset_class = ExpenditureFilter
    select_related = ("allocation__budget__area",)
    template_name = "funds/expenditure_list.html"
    export_name = "expenditures"
    export_columns = [
        (header("allocation"), lambda e, view: e.allocation_id),
        (header("category"), lambda e, view: e.get_category_display()),
        (header("amount"), lambda e, view: e.amount),
        (header("spent_on"), lambda e, view: e.spent_on.isoformat()),
        (header("payee"), lambda e, view: e.payee),
        (header("description"), lambda e, view: e.description),
        (_("Area"), lambda e, view: e.allocation.budget.area.name),
        (pgettext_lazy("allocation", "Recipient"), lambda e, view: e.allocation.recipient_name),
        (_("Reverses"), lambda e, view: e.reverses_id or ""),
        (_("Reason for reversal"), lambda e, view: e.reason),
    ]

    def get_queryset(self):
        return super().get_queryset().order_by("-spent_on", "-id")


class ExpenditureDetailView(ScopedDetailView):
    model = Expenditure
    select_related = ("allocation__budget__area", "reverses")
    template_name = "funds/expenditure_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reversal"] = Expenditure.objects.filter(reverses=self.object).first()
        return context


class VoucherView(ProtectedFileView):
    """The scanned voucher of an expenditure."""

    model = Expenditure
    file_field = "voucher"


# --- postings ----------------------------------------------------------------------------------------------------


class PostingFormView(ServiceFormView):
    """A form that posts one ledger entry; a refusal from the service (over budget, over balance) is a form error."""

    template_name = FORM_TEMPLATE
    success_message = _("Posted.")
    heading = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.heading
        context["cancel_url"] = self.object.get_absolute_url() if self.object else reverse("funds:ledger")
        context["available"] = self.available()
        return context

    def available(self):
        """The money this posting may use at most, shown above the form; None when not applicable."""
        return None


class BudgetFormView(RoleRequiredMixin, PostingFormView):
    model = Budget
    form_class = BudgetForm
    edits_object = False
    required_roles = Budget.scope.change
    heading = _("Record a budget")

    def perform(self, form):
        return services.create_budget(self.request.user, **form.cleaned_data)


class AllocateView(PostingFormView):
    """Allocate from a budget (its unallocated balance shown): the kind of recipient is a tab (`?kind=`), so the form
    shows the right field for it without script, a list to pick from or a name to write."""

    model = Budget
    form_class = AllocationForm
    heading = _("Allocate from this budget")

    def dispatch(self, request, *args, **kwargs):
        kind = request.GET.get("kind", "")
        self.kind = kind if kind in RecipientKind.values else RecipientKind.COMMISSIONER
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().with_totals()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.kind}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "kinds": RecipientKind.choices, "kind": self.kind}

    def perform(self, form):
        return services.allocate(self.request.user, self.object, recipient_kind=self.kind, **form.cleaned_data)

    def available(self):
        return self.object.unallocated


class SpendView(PostingFormView):
    """Post an expenditure against an allocation, with its voucher if at hand."""

    model = Allocation
    form_class = ExpenditureForm
    heading = _("Record an expenditure")

    def get_queryset(self):
        return super().get_queryset().with_totals()

    def perform(self, form):
        return services.spend(self.request.user, self.object, **form.cleaned_data)

    def available(self):
        return self.object.balance


class BudgetSpendView(SpendView):
    """Post an expenditure directly against a platform-operation budget (see `services.platform_allocation`)."""

    model = Budget

    def available(self):
        return None


class ReverseAllocationView(PostingFormView):
    model = Allocation
    form_class = AllocationReversalForm
    heading = _("Reverse an allocation")

    def get_queryset(self):
        return super().get_queryset().with_totals()

    def perform(self, form):
        services.reverse_allocation(self.request.user, self.object, **form.cleaned_data)
        return self.object

    def available(self):
        return self.object.balance


class ReverseExpenditureView(PostingFormView):
    model = Expenditure
    form_class = ReversalForm
    heading = _("Reverse an expenditure")

    def perform(self, form):
        return services.reverse_expenditure(self.request.user, self.object, **form.cleaned_data)


class VoucherUploadView(PostingFormView):
    model = Expenditure
    form_class = VoucherForm
    heading = _("Attach the voucher")
    success_message = _("Voucher attached.")

    def perform(self, form):
        return services.attach_voucher(self.request.user, self.object, form.cleaned_data["voucher"])

    def get_success_url(self, saved=None):
        return reverse("funds:expenditure-detail", args=[saved.pk])


class ExpenditureImportView(ImportView):
    model = Expenditure
    importer_class = ExpenditureImporter
    job_kind = "funds.import_expenditures"
    required_roles = Expenditure.scope.change
    heading = _("Import expenditures")


# --- the fund-source catalogue -----------------------------------------------------------------------------------


class FundSourceListView(ScopedListView):
    """Where money comes from: a catalogue everyone who keeps or reads the books sees; platform admins edit it."""

    model = FundSource
    template_name = "funds/source_list.html"
    paginate_by = None


class FundSourceFormView(RoleRequiredMixin, ServiceFormView):
    model = FundSource
    form_class = FundSourceForm
    template_name = "regions/form.html"
    required_roles = FundSource.scope.change

    def perform(self, form):
        return services.save_fund_source(self.request.user, instance=self.object, **form.cleaned_data)

    def get_success_url(self, saved=None):
        return reverse("funds:source-list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Edit fund source") if self.object else _("Add a fund source")
        context["cancel_url"] = reverse("funds:source-list")
        return context
