"""Pages for experts, commissioner pairings and the specialty tree.

Views declare what they show and hand every change to `experts.services`; scoping, pagination, filtering, exports
and imports come from the base classes in `sciaid.core.views`.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.core.links import openable_ids
from sciaid.core.privacy import mask_phone, may_see_personal_data
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.core.views import ImportView, RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from sciaid.experts import services
from sciaid.experts.filters import ExpertFilter, PairingFilter, SpecialtyFilter
from sciaid.experts.forms import ConfirmForm, ExpertForm, PairingForm, ProfileForm, SpecialtyForm
from sciaid.experts.importers import ExpertImporter, header
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.regions.views import AreaDetailView


def phone_for(user, expert: Expert) -> dict:
    """The expert's phone as this user may see it: their own, or a manager's view in full; masked otherwise."""
    full = expert.user_id == getattr(user, "pk", None) or may_see_personal_data(user, expert.home_area)
    return {"phone": expert.phone if full else mask_phone(expert.phone), "full": full}


def may_create_experts(user) -> bool:
    return is_unrestricted(user) or bool(granted_roles(user) & Expert.scope.change)


def specialty_names(expert: Expert) -> str:
    return "、".join(specialty.name for specialty in expert.specialties.all())


# --- experts -----------------------------------------------------------------------------------------------------


class ExpertListView(ScopedListView):
    """Experts serving the user's areas (their own county's and those of the city and province above it)."""

    model = Expert
    filterset_class = ExpertFilter
    select_related = ("home_area",)
    template_name = "experts/expert_list.html"
    export_name = "experts"
    export_columns = [
        (header("name"), lambda e, view: e.name),
        (header("organisation"), lambda e, view: e.organisation),
        (header("title"), lambda e, view: e.title),
        (header("level"), lambda e, view: e.get_level_display()),
        (header("home_area_code"), lambda e, view: e.home_area.code),
        (header("phone"), lambda e, view: phone_for(view.request.user, e)["phone"]),
        (header("specialties"), lambda e, view: specialty_names(e)),
        (header("expertise"), lambda e, view: e.expertise),
        (header("availability"), lambda e, view: e.availability),
        (_("S&T commissioner"), lambda e, view: e.is_commissioner),
    ]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("specialties")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for expert in context["object_list"]:
            expert.shown_phone = phone_for(user, expert)["phone"]
        return context


class ExpertDetailView(ScopedDetailView):
    """An expert's profile: specialties, service areas, pairings; the phone in full only for those who may."""

    model = Expert
    select_related = ("home_area", "user")
    template_name = "experts/expert_detail.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("specialties", "service_areas")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, expert = self.request.user, self.object
        pairings = list(Pairing.objects.for_user(user).filter(expert=expert).select_related("village__parent"))
        context.update(
            personal=phone_for(user, expert),
            manages=services.manages(user, expert),
            pairings=pairings,
            openable_villages=openable_ids(user, AreaDetailView, (p.village_id for p in pairings)),
            pair_query=f"expert={expert.pk}",
        )
        return context


class ExpertFormView(ServiceFormView):
    """Edit an expert (or, as `ExpertCreateView`, create one): managers edit everything, an expert their own
    expertise, availability and phone."""

    model = Expert
    template_name = "regions/form.html"

    def get_form_class(self):
        if self.object is None or services.manages(self.request.user, self.object):
            return ExpertForm
        return ProfileForm

    def perform(self, form):
        return services.save_expert(self.request.user, instance=self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Edit expert") if self.object else _("Add an expert")
        context["cancel_url"] = self.object.get_absolute_url() if self.object else reverse("experts:expert-list")
        return context


class ExpertCreateView(ExpertFormView):
    """Add an expert: for the managers of a county, city or province, who select experts."""

    edits_object = False

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and may_create_experts(user)


class ExpertActiveView(ServiceFormView):
    """The deactivate / reactivate button of an expert's page."""

    model = Expert
    form_class = ConfirmForm
    http_method_names = ["post"]

    def perform(self, form):
        change = services.deactivate_expert if self.object.is_active else services.reactivate_expert
        return change(self.request.user, self.object)


class ExpertImportView(ImportView):
    model = Expert
    importer_class = ExpertImporter
    job_kind = "experts.import_experts"
    required_roles = Expert.scope.change
    heading = _("Import experts")


# --- commissioner pairings ---------------------------------------------------------------------------------------


class PairingListView(ScopedListView):
    """Which commissioner serves which village in which year; exportable for the county's files."""

    model = Pairing
    filterset_class = PairingFilter
    select_related = ("expert", "village", "village__parent")
    template_name = "experts/pairing_list.html"
    export_name = "commissioner-pairings"
    export_columns = [
        (_("Year"), lambda p, view: p.year),
        (_("Township"), lambda p, view: p.village.parent.name if p.village.parent else ""),
        (_("Village division code"), lambda p, view: p.village.code),
        (_("Village"), lambda p, view: p.village.name),
        (_("Poor village"), lambda p, view: p.village.is_poor),
        (_("Commissioner"), lambda p, view: p.expert.name),
        (_("Organisation"), lambda p, view: p.expert.organisation),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, pairings = self.request.user, context["object_list"]
        # A commissioner sees their own pairings but not other experts' profiles: link only what opens.
        context["openable_experts"] = openable_ids(user, ExpertDetailView, (p.expert_id for p in pairings))
        context["openable_villages"] = openable_ids(user, AreaDetailView, (p.village_id for p in pairings))
        return context


class PairingFormView(RoleRequiredMixin, ServiceFormView):
    model = Pairing
    form_class = PairingForm
    template_name = "regions/form.html"
    edits_object = False
    required_roles = Pairing.scope.change
    success_message = _("Paired.")

    def get_initial(self):
        expert = self.request.GET.get("expert")
        return {"expert": expert} if expert else {}

    def perform(self, form):
        return services.pair_commissioner(self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Pair a commissioner with a village")
        context["cancel_url"] = reverse("experts:pairing-list")
        return context


class PairingDeleteView(ServiceFormView):
    model = Pairing
    form_class = ConfirmForm
    http_method_names = ["post"]
    success_message = _("Pairing removed.")

    def perform(self, form):
        expert = self.object.expert
        services.unpair(self.request.user, self.object)
        return expert


# --- specialty tree ----------------------------------------------------------------------------------------------


def tree_rows(specialties) -> list[tuple[Specialty, int]]:
    """The specialties in tree order, each with its depth (0 for a top-level one)."""
    children: dict[int | None, list[Specialty]] = {}
    for node in specialties:
        children.setdefault(node.parent_id, []).append(node)
    rows: list[tuple[Specialty, int]] = []

    def walk(parent_id, depth):
        for node in sorted(children.get(parent_id, []), key=lambda n: (n.position, n.code)):
            rows.append((node, depth))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return rows


class SpecialtyListView(ScopedListView):
    """The specialty tree everyone matches by; platform admins edit it."""

    model = Specialty
    filterset_class = SpecialtyFilter
    template_name = "experts/specialty_list.html"
    paginate_by = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = tree_rows(context["object_list"])
        context["may_edit"] = services.may_edit_specialties(self.request.user)
        return context


class SpecialtyFormView(RoleRequiredMixin, ServiceFormView):
    model = Specialty
    form_class = SpecialtyForm
    template_name = "regions/form.html"
    required_roles = Specialty.scope.change

    def perform(self, form):
        return services.save_specialty(self.request.user, instance=self.object, **form.service_fields())

    def get_success_url(self, saved=None):
        return reverse("experts:specialty-list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Edit specialty") if self.object else _("Add a specialty")
        context["cancel_url"] = reverse("experts:specialty-list")
        return context
