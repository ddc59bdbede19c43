"""Pages for areas, villages, households, incomes, cadre pairings, visits and spreadsheet imports.

Views only declare what they show and hand changes to `regions.services`; scoping, pagination, filtering and
exports come from the base classes in `sciaid.core.views`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from sciaid.core.actions import ButtonView
from sciaid.core.privacy import mask_phone, may_see_personal_data
from sciaid.core.scoping import VIEW, area_allows, is_unrestricted
from sciaid.core.states import TransitionRefused
from sciaid.core.views import (
    ImportView,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
)
from sciaid.regions import services
from sciaid.regions.choices import AreaLevel, HouseholdStatus, PovertyCause
from sciaid.regions.filters import AreaFilter, HouseholdFilter, VisitFilter
from sciaid.regions.forms import (
    HouseholdForm,
    IncomeForm,
    PairingForm,
    TransitionForm,
    VisitForm,
    VisitStatsForm,
)
from sciaid.regions.importers import HouseholdImporter, VillageImporter
from sciaid.regions.models import Area, CadrePairing, Household, HouseholdIncome, Visit

# --- shared pieces -----------------------------------------------------------------------------------------------


def ancestors(user, area: Area) -> QuerySet[Area]:
    """The areas above `area` that the user may see, province first, in one query (for the breadcrumb)."""
    return Area.objects.for_user(user).filter(code__in=area.ancestor_codes()).order_by("code")


def root_areas(user) -> list[Area]:
    """Where a user's browsing starts: their granted areas (minus those inside another), or every province."""
    if is_unrestricted(user):
        return list(Area.objects.filter(level=AreaLevel.PROVINCE))
    areas = {grant.area.code: grant.area for grant in user.active_grants()}.values()
    return sorted((a for a in areas if not any(b is not a and b.covers(a) for b in areas)), key=lambda area: area.code)


def personal_data(user, household: Household) -> dict:
    """The head's ID and phone as this user may see them: in full, or masked (3404**********002X, 139****0001)."""
    if may_see_personal_data(user, household.village):
        return {"id_number": household.id_number, "phone": household.phone, "full": True}
    return {"id_number": household.masked_id_number, "phone": mask_phone(household.phone), "full": False}


def household_url(pk: int) -> str:
    return reverse("regions:household-detail", args=[pk])


#: What the household table shows: plain values, not model instances (the rows are display-only).
HOUSEHOLD_ROW_FIELDS = (
    "pk",
    "number",
    "head_name",
    "village__code",
    "village__name",
    "village__parent__name",
    "id_number_masked",
    "members",
    "main_cause",
    "status",
)


def household_rows(households: QuerySet[Household]) -> list[dict]:
    """The household table's rows (`regions/_household_table.html`) in one query of the columns it shows.

    Model instances (with the encrypted ID), `get_FOO_display()` and a `{% url %}` tag per row cost the household
    list more than its SQL; plain values with labels looked up in a dict made once per page do not.
    """
    causes = {value: str(text) for value, text in PovertyCause.choices}
    statuses = {value: str(text) for value, text in HouseholdStatus.choices}
    rows = list(households.values(*HOUSEHOLD_ROW_FIELDS))
    for row in rows:
        row["url"] = household_url(row["pk"])
        row["village_url"] = reverse("regions:area-detail", args=[row["village__code"]])
        row["cause_label"] = causes.get(row["main_cause"], row["main_cause"])
        row["status_label"] = statuses.get(row["status"], row["status"])
    return rows


def label(choices, value) -> str:
    """A choice's label; much faster per row than `get_FOO_display()`, which rebuilds its lookup on every call."""
    return str(choices(value).label) if value in choices.values else value


def header(importer, key: str):
    """The importer's header for a column, so an exported file imports back unchanged."""
    return next(column.header for column in importer.columns if column.key == key)


# --- areas -------------------------------------------------------------------------------------------------------


class AreaListView(ScopedListView):
    """Villages (or areas of any level) by township, poverty state and name or pinyin initials; exportable."""

    model = Area
    filterset_class = AreaFilter
    select_related = ("parent",)
    template_name = "regions/area_list.html"
    export_name = "villages"
    export_columns = [
        (header(VillageImporter, "code"), lambda area, view: area.code),
        (header(VillageImporter, "name"), lambda area, view: area.name),
        (header(VillageImporter, "parent_code"), lambda area, view: area.parent.code if area.parent else ""),
        (header(VillageImporter, "is_poor"), lambda area, view: area.is_poor),
        (header(VillageImporter, "lifted_year"), lambda area, view: area.lifted_year),
        (_("Level"), lambda area, view: label(AreaLevel, area.level)),
        (_("Parent area"), lambda area, view: area.parent.name if area.parent else ""),
    ]

    def get_queryset(self):
        qs = super().get_queryset()
        # Without a level or parent asked for, the list is of villages: what counties look up all day.
        if not (self.request.GET.get("level") or self.request.GET.get("parent")):
            qs = qs.filter(level=AreaLevel.VILLAGE)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roots"] = root_areas(self.request.user)
        context["may_import"] = VillageImportView.may_open(self.request.user)
        return context


class AreaDetailView(ScopedDetailView):
    """One area: its ancestors, its children with village and household counts, or, for a village, its households."""

    model = Area
    slug_field = slug_url_kwarg = "code"
    template_name = "regions/area_detail.html"
    #: Households shown on a village's page; the full list is the household list filtered to the village.
    households_shown = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, area = self.request.user, self.object
        context["ancestors"] = ancestors(user, area)
        if area.is_village:
            households = Household.objects.for_user(user).filter(village=area).select_related("village__parent")
            context["households"] = household_rows(households[: self.households_shown])
            context["household_total"] = households.count()
        else:
            context["children"] = services.child_counts(user, area)
            # The lists filter by township; above that the user's own scope is the filter.
            context["filter_query"] = f"township={area.code}" if area.level == AreaLevel.TOWNSHIP else ""
        context["may_add_household"] = HouseholdFormView.may_open(user)
        return context


# --- households --------------------------------------------------------------------------------------------------


def _export_personal(key: str):
    def value(household: Household, view) -> str:
        return personal_data(view.request.user, household)[key]

    return value


class HouseholdListView(ScopedListView):
    model = Household
    filterset_class = HouseholdFilter
    select_related = ("village", "village__parent")
    template_name = "regions/household_list.html"
    export_name = "households"
    export_columns = [
        (header(HouseholdImporter, "number"), lambda h, view: h.number),
        (header(HouseholdImporter, "village_code"), lambda h, view: h.village.code),
        (_("Village"), lambda h, view: h.village.name),
        (_("Township"), lambda h, view: h.village.parent.name if h.village.parent else ""),
        (header(HouseholdImporter, "head_name"), lambda h, view: h.head_name),
        (header(HouseholdImporter, "id_number"), _export_personal("id_number")),
        (header(HouseholdImporter, "phone"), _export_personal("phone")),
        (header(HouseholdImporter, "members"), lambda h, view: h.members),
        (header(HouseholdImporter, "main_cause"), lambda h, view: label(PovertyCause, h.main_cause)),
        (
            header(HouseholdImporter, "other_causes"),
            lambda h, view: "、".join(label(PovertyCause, cause) for cause in h.other_causes),
        ),
        (header(HouseholdImporter, "status"), lambda h, view: label(HouseholdStatus, h.status)),
        (header(HouseholdImporter, "lifted_year"), lambda h, view: h.lifted_year),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["households"] = household_rows(context["object_list"])
        context["may_add_household"] = HouseholdFormView.may_open(self.request.user)
        context["may_import"] = HouseholdImportView.may_open(self.request.user)
        return context


class HouseholdDetailView(ScopedDetailView):
    """A household with its incomes by year, its cadres and their visits, and the status changes open to the user."""

    model = Household
    select_related = ("village", "village__parent")
    template_name = "regions/household_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, household = self.request.user, self.object
        visits = Visit.objects.for_user(user).order_by("-visited_on", "-id")
        context.update(
            ancestors=[*ancestors(user, household.village), household.village],
            personal=personal_data(user, household),
            incomes=HouseholdIncome.objects.for_user(user).filter(household=household).order_by("-year"),
            pairings=CadrePairing.objects.for_user(user)
            .filter(household=household)
            .prefetch_related(Prefetch("visits", queryset=visits)),
            transitions=Household.workflow.available(household, user) if context["can_change"] else [],
            may_pair=area_allows(user, household.village, CadrePairing.scope.change),
        )
        return context


class HouseholdPageMixin:
    """Forms about one household (or one of its pairings) go back to the household's page."""

    def household_pk(self, saved=None) -> int:
        if self.object is None:
            return saved.pk
        return getattr(self.object, "household_id", self.object.pk)

    def get_success_url(self, saved=None):
        return household_url(self.household_pk(saved))


class HouseholdFormView(RoleRequiredMixin, HouseholdPageMixin, ServiceFormView):
    """Register a household (no pk) or correct one; the form explains every error and nothing is half-saved."""

    model = Household
    form_class = HouseholdForm
    template_name = "regions/form.html"
    required_roles = Household.scope.change

    def get_initial(self):
        village = self.request.GET.get("village")
        return {"village": village} if village and self.object is None else {}

    def perform(self, form):
        return services.save_household(self.request.user, instance=self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Edit household") if self.object else _("Register a household")
        context["cancel_url"] = household_url(self.object.pk) if self.object else reverse("regions:household-list")
        return context


class HouseholdTransitionView(HouseholdPageMixin, ButtonView):
    """A status button's POST; a refused change (wrong state, someone was faster) comes back as a message."""

    model = Household
    form_class = TransitionForm
    success_message = _("Status changed.")

    def perform(self, form):
        try:
            return services.change_household_status(
                self.request.user, self.object, form.cleaned_data["action"], form.cleaned_data["year"]
            )
        except TransitionRefused as exc:
            raise ValidationError(str(exc)) from exc

    def back_url(self) -> str:
        return self.get_success_url()


class HouseholdChildFormView(HouseholdPageMixin, ServiceFormView):
    """A form that adds a record to a household (income, cadre pairing) through one service call."""

    model = Household
    template_name = "regions/form.html"
    heading = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.heading
        context["cancel_url"] = household_url(self.household_pk())
        return context


class IncomeFormView(HouseholdChildFormView):
    form_class = IncomeForm
    heading = _("Record income per capita")

    def perform(self, form):
        return services.set_income(self.request.user, self.object, **form.cleaned_data)


class PairingFormView(HouseholdChildFormView):
    form_class = PairingForm
    heading = _("Pair a cadre")

    def perform(self, form):
        return services.pair_cadre(self.request.user, self.object, **form.cleaned_data)


class VisitFormView(HouseholdChildFormView):
    model = CadrePairing
    select_related = ("household",)
    form_class = VisitForm
    heading = _("Record a visit")

    def perform(self, form):
        return services.record_visit(self.request.user, self.object, **form.cleaned_data)


# --- visits ------------------------------------------------------------------------------------------------------


class VisitListView(ScopedListView):
    model = Visit
    filterset_class = VisitFilter
    select_related = ("pairing", "pairing__household", "village")
    template_name = "regions/visit_list.html"
    export_name = "visits"
    export_columns = [
        (_("Date"), lambda v, view: v.visited_on),
        (_("Village"), lambda v, view: v.village.name),
        (_("Household number"), lambda v, view: v.pairing.household.number),
        (_("Head of household"), lambda v, view: v.pairing.household.head_name),
        (_("Cadre"), lambda v, view: v.pairing.cadre_name),
        (_("Relief payment (yuan)"), lambda v, view: v.relief_amount),
        (_("Notes"), lambda v, view: v.notes),
    ]


class VisitStatsView(RoleRequiredMixin, ScopedMixin, TemplateView):
    """Visits per month of a year and relief paid per year under an area: a chart and the same numbers as tables."""

    model = Visit
    template_name = "regions/visit_stats.html"
    required_roles = Visit.scope.roles_for(VIEW)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        start = root_areas(user)
        initial = {"area": start[0].code if start else "", "year": services.latest_visit_year(user)}
        form = VisitStatsForm(self.request.GET or initial, user=user)
        context["form"] = form
        if form.is_valid():
            stats = services.visit_statistics(user, form.cleaned_data["area"], form.cleaned_data["year"])
            context["stats"] = stats
            context["area"] = form.cleaned_data["area"]
            context["chart"] = {
                "months": [str(row["month"]) for row in stats["months"]],
                "visits": [row["visits"] for row in stats["months"]],
                "label": str(_("Visits")),
            }
        return context


# --- imports -----------------------------------------------------------------------------------------------------


class HouseholdImportView(ImportView):
    model = Household
    importer_class = HouseholdImporter
    job_kind = "regions.import_households"
    required_roles = Household.scope.change
    heading = _("Import households")


class VillageImportView(ImportView):
    model = Area
    importer_class = VillageImporter
    job_kind = "regions.import_villages"
    required_roles = Area.scope.change
    heading = _("Import villages")
