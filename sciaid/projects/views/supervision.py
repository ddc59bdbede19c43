"""Random supervision (双随机一公开): draws, findings, the public results pages, and rectifications (整改)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from sciaid.core.actions import ButtonView, Step, StepView, refusals_as_errors
from sciaid.core.scoping import PUBLIC
from sciaid.core.views import ProtectedFileView, RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from sciaid.projects import forms, services
from sciaid.projects.choices import RectificationStatus
from sciaid.projects.filters import InspectionFilter, RectificationFilter
from sciaid.projects.models import MANAGERS, PROJECT_ROLES, Inspection, InspectionItem, Rectification
from sciaid.projects.views.common import is_manager


class InspectionListView(ScopedListView):
    """The random-supervision draws of the user's counties (for an inspector, those they were drawn for)."""

    model = Inspection
    filterset_class = InspectionFilter
    select_related = ("area",)
    template_name = "projects/inspection_list.html"


class DrawView(RoleRequiredMixin, ServiceFormView):
    """The county draws projects and inspectors at random (双随机)."""

    model = Inspection
    form_class = forms.DrawForm
    template_name = "projects/form.html"
    required_roles = MANAGERS
    edits_object = False
    success_message = _("Drawn. The seed and the pools are recorded so anyone can verify the draw.")

    def perform(self, form):
        return services.draw_inspection(self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": _("Random supervision draw")}


class InspectionDetailView(ScopedDetailView):
    """A draw: seed, pools, drawn projects and inspectors, the re-run check, findings (forms for the inspectors)."""

    model = Inspection
    select_related = ("area",)
    template_name = "projects/inspection_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, inspection = self.request.user, self.object
        inspectors = list(inspection.inspectors.all())
        may_record = is_manager(user) or any(person.pk == user.pk for person in inspectors)
        items = list(inspection.items.select_related("project").prefetch_related("rectifications"))
        for item in items:
            # One form per drawn project, each with its own field ids so every label finds its field.
            item.form = forms.FindingForm(user=user, prefix=finding_prefix(item)) if may_record else None
        context.update(
            items=items,
            inspectors=inspectors,
            verification=services.verify(inspection),
            may_record=may_record,
            may_publish=is_manager(user) and not inspection.published_at,
        )
        return context


INSPECTION_ACTIONS: dict[str, Step] = {
    "publish": Step(
        forms.EmptyForm, lambda u, i, d: services.publish_inspection(u, i), _("The results are published.")
    ),
}


class InspectionActionView(StepView):
    model = Inspection
    steps = INSPECTION_ACTIONS


def finding_prefix(item: InspectionItem) -> str:
    return f"item{item.pk}"


class FindingView(ButtonView):
    """An inspector records the findings on one drawn project (and what must be rectified)."""

    model = InspectionItem
    form_class = forms.FindingForm
    select_related = ("inspection", "project")
    success_message = _("Findings recorded.")

    def get_prefix(self):
        return finding_prefix(self.object) if self.object else None

    def perform(self, form):
        item = self.object
        with refusals_as_errors():
            services.record_finding(self.request.user, item, **form.service_data())
        return item

    def back_url(self) -> str:
        return self.object.inspection.get_absolute_url()


class PublicInspectionListView(ListView):
    """双随机一公开: the published results of random supervision, for anyone, without personal data."""

    scoping = PUBLIC
    template_name = "projects/public_inspections.html"
    paginate_by = 20

    def get_queryset(self):
        return (
            Inspection.objects.filter(published_at__isnull=False)
            .select_related("area")
            .annotate(problems=Count("items", filter=~Q(items__level="good")))
            .order_by("-published_at", "-id")
        )


class PublicInspectionView(DetailView):
    """One published inspection: the draw (seed, pool sizes, whether it re-runs the same), the projects drawn with
    their organisation and findings, and the rectifications' status; no inspector or applicant is named."""

    scoping = PUBLIC
    template_name = "projects/public_inspection_detail.html"
    context_object_name = "inspection"

    def get_queryset(self):
        return Inspection.objects.filter(published_at__isnull=False).select_related("area")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rectifications = Rectification.objects.only("status", "deadline", "description", "item_id")
        context.update(
            items=self.object.items.select_related("project").prefetch_related(
                Prefetch("rectifications", rectifications)
            ),
            verification=services.verify(self.object),
        )
        return context


class RectificationListView(RoleRequiredMixin, ScopedListView):
    """The rectifications of the projects the user may see: the county's, an applicant's own, an inspector's."""

    model = Rectification
    required_roles = PROJECT_ROLES
    filterset_class = RectificationFilter
    select_related = ("project",)
    template_name = "projects/rectification_list.html"


class RectificationDetailView(ScopedDetailView):
    model = Rectification
    select_related = ("project", "item", "item__inspection")
    template_name = "projects/rectification_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, rectification = self.request.user, self.object
        own = services.is_applicant_of(user, rectification.project)
        actions = set()
        if own and rectification.status == RectificationStatus.OPEN:
            actions.add("submit_evidence")
        if is_manager(user) and context["can_change"] and rectification.status == RectificationStatus.SUBMITTED:
            actions.add("close")
        context.update(
            actions=actions,
            forms={name: RECTIFICATION_ACTIONS[name].form(user=user, instance=rectification) for name in actions},
        )
        return context


RECTIFICATION_ACTIONS: dict[str, Step] = {
    "submit_evidence": Step(
        forms.EvidenceForm, lambda u, r, d: services.submit_evidence(u, r, **d), _("Evidence submitted.")
    ),
    "close": Step(forms.CloseForm, lambda u, r, d: services.close_rectification(u, r, **d), _("Saved.")),
}


class RectificationActionView(StepView):
    model = Rectification
    select_related = ("project",)
    steps = RECTIFICATION_ACTIONS


class EvidenceFileView(ProtectedFileView):
    """The file the applicant sent as rectification evidence, for those who may see the project."""

    model = Rectification
    file_field = "evidence_file"
