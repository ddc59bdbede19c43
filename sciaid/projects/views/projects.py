"""A project's page with the actions open to the user (check, reviewers, approval, task book, progress, final report,
acceptance), and the project list."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sciaid.core.actions import Step, StepView
from sciaid.core.scoping import granted_roles
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView
from sciaid.projects import forms, services
from sciaid.projects.choices import ProjectStatus
from sciaid.projects.filters import ProjectPageFilter
from sciaid.projects.models import APPLICANTS, PROJECT_ROLES, Project
from sciaid.projects.views.common import is_manager


class ProjectListView(RoleRequiredMixin, ScopedListView):
    """The county's projects (or, for others, those they may see), newest first, opening on the latest year."""

    model = Project
    required_roles = PROJECT_ROLES
    filterset_class = ProjectPageFilter
    select_related = ("call", "county")
    template_name = "projects/project_list.html"
    export_columns = [
        (_("Number"), lambda p, v: p.pk),
        (_("Title"), lambda p, v: p.title),
        (_("Applicant organisation"), lambda p, v: p.organisation),
        (pgettext_lazy("project call", "Call"), lambda p, v: p.call.title),
        (_("Status"), lambda p, v: p.get_status_display()),
        (_("Requested"), lambda p, v: p.requested_amount),
        (_("Approved amount"), lambda p, v: p.approved_amount),
        (_("Score"), lambda p, v: p.score),
    ]
    export_name = "projects"

    def get_context_data(self, **kwargs):
        # An applicant's scope is their own declarations: the menu calls the same list "My projects".
        user = self.request.user
        heading = _("My projects") if granted_roles(user) & APPLICANTS and not is_manager(user) else _("Projects")
        return {**super().get_context_data(**kwargs), "heading": heading}


def project_actions(user, project: Project) -> set[str]:
    """The actions this user may take on the project now: the workflow's (role, state) and the services' own rules
    (whose declaration, which side of the task book), so no button leads to a certain refusal."""
    names = {t.name for t in Project.workflow.available(project, user)}
    own = services.is_applicant_of(user, project)
    if not own:
        names -= {"submit", "report_progress", "submit_final"}
    actions = names - {"sign_taskbook", "start", "return", "fail"}
    if "sign_taskbook" in names:
        if own and project.signed_by_county_id and not project.signed_by_applicant_id:
            actions.add("sign")
        if is_manager(user) and not project.signed_by_county_id:
            actions.add("write_taskbook")
    if project.status == ProjectStatus.IN_PROGRESS and is_manager(user):
        actions.add("order_rectification")
    if "archive" in actions and project.archived_at:
        actions.discard("archive")
    return actions


PROJECT_ACTIONS: dict[str, Step] = {
    "submit": Step(forms.EmptyForm, lambda u, p, d: services.submit(u, p), _("Declaration submitted.")),
    "check": Step(forms.CheckForm, lambda u, p, d: services.check(u, p, **d), _("Formal check recorded.")),
    "assign_reviewers": Step(
        forms.AssignForm,
        lambda u, p, d: services.assign_reviewers(u, p, list(d["reviewers"]), count=d["count"]),
        _("Reviewers assigned."),
    ),
    "approve": Step(forms.ApproveForm, lambda u, p, d: services.approve(u, p, **d), _("Project approved.")),
    "reject": Step(forms.RejectForm, lambda u, p, d: services.reject(u, p, **d), _("Declaration rejected.")),
    "write_taskbook": Step(
        forms.TaskBookForm, lambda u, p, d: services.sign_taskbook(u, p, **d), _("Task book written and signed.")
    ),
    "sign": Step(forms.EmptyForm, lambda u, p, d: services.sign_taskbook(u, p), _("Task book signed.")),
    "report_progress": Step(
        forms.ProgressForm, lambda u, p, d: services.report_progress(u, p, **d), _("Progress reported.")
    ),
    "submit_final": Step(
        forms.FinalForm, lambda u, p, d: services.submit_final(u, p, **d), _("Final report submitted.")
    ),
    "accept": Step(forms.AcceptForm, lambda u, p, d: services.accept(u, p, **d), _("Verdict recorded.")),
    "archive": Step(forms.EmptyForm, lambda u, p, d: services.archive(u, p), _("Project archived.")),
    "order_rectification": Step(
        forms.RectificationForm,
        lambda u, p, d: services.create_rectification(u, p, **d),
        _("Rectification ordered."),
    ),
}


class ProjectDetailView(ScopedDetailView):
    """A project: facts, indicators, budget, team, reviews (for the county), task book, money, inspections,
    rectifications, and the actions open to the user."""

    model = Project
    select_related = ("call", "county", "applicant", "signed_by_applicant", "signed_by_county")
    template_name = "projects/project_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, project = self.request.user, self.object
        actions = project_actions(user, project) if context["can_change"] or project.applicant_id == user.pk else set()
        context.update(
            actions=actions,
            forms={name: PROJECT_ACTIONS[name].form(user=user, instance=project) for name in actions},
            own=services.is_applicant_of(user, project),
            manager=is_manager(user),
            villages=project.villages.all(),
            demo_sites=project.demo_sites.all(),
            indicators=project.indicators.all(),
            budget_lines=project.budget_lines.all(),
            team=project.team.all(),
            attachments=project.attachments.all(),
            milestones=project.milestones.all(),
            reviews=project.reviews.select_related("reviewer") if is_manager(user) else [],
            statement=services.statement(project) if project.approved_amount else None,
            project_type=ContentType.objects.get_for_model(Project).pk,
            findings=project.inspection_items.filter(recorded_at__isnull=False).select_related("inspection"),
            rectifications=project.rectifications.all(),
            problems=services.declaration_problems(project) if project.status == ProjectStatus.DRAFT else [],
        )
        return context


class ProjectActionView(StepView):
    model = Project
    select_related = ("call", "county")
    steps = PROJECT_ACTIONS
