"""The reviewer's inbox and scoring page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from sciaid.core.actions import refusals_as_errors
from sciaid.core.scoping import VIEW
from sciaid.core.views import RoleRequiredMixin, ScopedListView, ServiceFormView
from sciaid.projects import forms, services
from sciaid.projects.choices import ProjectStatus
from sciaid.projects.filters import ReviewFilter
from sciaid.projects.models import REVIEWERS, WATCHERS, Review


class ReviewListView(RoleRequiredMixin, ScopedListView):
    """A reviewer's assigned declarations (the menu's "My reviews"), waiting ones first; the county's reviews for
    those who run or watch it."""

    model = Review
    required_roles = WATCHERS | REVIEWERS
    filterset_class = ReviewFilter
    select_related = ("project", "reviewer")
    template_name = "projects/review_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by("status", "-id")


class ReviewView(ServiceFormView):
    """The scoring page: the declaration, the call's rubric and the reviewer's scores; only the assigned reviewer
    gets the form."""

    model = Review
    action = VIEW
    select_related = ("project", "project__call", "reviewer")
    template_name = "projects/review_detail.html"
    success_message = _("Scores saved.")

    form_class = forms.ScoreForm

    def post(self, request, *args, **kwargs):
        if self.object.reviewer_id != request.user.pk:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        with refusals_as_errors():
            services.score(self.request.user, self.object, **form.service_data())
        return self.object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.object
        project = review.project
        context.update(
            project=project,
            mine=review.reviewer_id == self.request.user.pk,
            open=project.status == ProjectStatus.UNDER_REVIEW,
            indicators=project.indicators.all(),
            budget_lines=project.budget_lines.all(),
            team=project.team.all(),
        )
        return context
