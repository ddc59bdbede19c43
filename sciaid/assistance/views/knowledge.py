"""Knowledge from solutions: the published entries every role of the province reads, and the county desk's review."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.assistance import forms, services
from sciaid.assistance.choices import KnowledgeStatus
from sciaid.assistance.filters import KnowledgeFilter
from sciaid.assistance.models import KNOWLEDGE_REVIEWERS, KnowledgeEntry
from sciaid.core.actions import Step, StepView, step_cards
from sciaid.core.scoping import CHANGE
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView

# --- knowledge from solutions -----------------------------------------------------------------------------------


class KnowledgeListView(ScopedListView):
    """Published solutions every role of the province may read (and, for the county desk, its own entries in
    review); searchable by words of the title or solution."""

    model = KnowledgeEntry
    filterset_class = KnowledgeFilter
    select_related = ("specialty",)
    template_name = "assistance/knowledge_list.html"
    paginate_by = 25


class KnowledgeReviewView(RoleRequiredMixin, ScopedListView):
    """The county desk's review queue: solution summaries waiting to be published or dismissed, oldest first."""

    model = KnowledgeEntry
    filterset_class = KnowledgeFilter
    select_related = ("specialty", "village")
    template_name = "assistance/knowledge_review.html"
    required_roles = KNOWLEDGE_REVIEWERS
    action = CHANGE

    def get_queryset(self):
        qs = super().get_queryset()
        if not self.request.GET.get("status"):
            qs = qs.filter(status=KnowledgeStatus.PENDING)
        return qs.order_by("created_at", "pk")


class KnowledgeDetailView(ScopedDetailView):
    """One entry; a reviewer of its county edits and publishes it, or dismisses it, here."""

    model = KnowledgeEntry
    template_name = "assistance/knowledge_detail.html"
    select_related = ("specialty", "village", "reviewed_by", "demand")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, entry = self.request.user, self.object
        available = {t.name for t in KnowledgeEntry.workflow.available(entry, user)} if context["can_change"] else set()
        context.update(
            cards=step_cards(user, entry, KNOWLEDGE_ACTIONS, available), action_url="assistance:knowledge-action"
        )
        return context


KNOWLEDGE_ACTIONS: dict[str, Step] = {
    "publish": Step(
        forms.PublishForm,
        lambda u, e, data: services.publish_knowledge(u, e, **data),
        _("Published as knowledge."),
        _("Edit and publish"),
        _("Publish"),
    ),
    "dismiss": Step(
        forms.DismissForm,
        lambda u, e, data: services.dismiss_knowledge(u, e, data["reason"]),
        _("Dismissed."),
        _("Dismiss"),
        _("Dismiss"),
        "secondary",
    ),
}


class KnowledgeActionView(StepView):
    model = KnowledgeEntry
    steps = KNOWLEDGE_ACTIONS

    def back_url(self) -> str:
        return reverse("assistance:knowledge-detail", args=[self.object.pk])
