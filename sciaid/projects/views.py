"""Pages of the project life: calls, the step-by-step declaration that saves a draft at every step, a project's page
with the actions open to the user (check, reviewers, approval, task book, progress, final report, acceptance), the
reviewer's scoring page, random-supervision draws, the public results page, and rectifications.

Every action is one POST calling exactly one service function; a refusal (invalid data, wrong role or county, wrong
state) comes back as a message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from sciaid.core.scoping import PUBLIC, VIEW, granted_roles, is_unrestricted
from sciaid.core.states import TransitionRefused
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from sciaid.projects import forms, services
from sciaid.projects.choices import ProjectStatus, RectificationStatus
from sciaid.projects.filters import CallFilter, InspectionFilter, ProjectFilter, RectificationFilter, ReviewFilter
from sciaid.projects.models import (
    APPLICANTS,
    MANAGERS,
    Call,
    Inspection,
    InspectionItem,
    Project,
    Rectification,
    Review,
)


def is_manager(user) -> bool:
    return is_unrestricted(user) or bool(granted_roles(user) & MANAGERS)


def refusal_as_error(call: Callable) -> None:
    """Run a service call; a refusal of any kind becomes a ValidationError the form shows."""
    try:
        call()
    except (PermissionDenied, TransitionRefused) as exc:
        raise ValidationError(str(exc) or _("You may not do this.")) from exc


class ActionFormView(ServiceFormView):
    """POST one named action on an object; refusals and form errors come back as messages on the object's page."""

    http_method_names = ["post"]
    actions: dict = {}

    def dispatch(self, request, *args, **kwargs):
        self.step = self.actions.get(kwargs["action"])
        if self.step is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return self.step.form

    def perform(self, form):
        data = form.service_data() if hasattr(form, "service_data") else dict(form.cleaned_data)
        refusal_as_error(lambda: self.step.call(self.request.user, self.object, data))
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


@dataclass(frozen=True)
class Action:
    """One step as a page offers it: its form and the one service call it makes."""

    form: type
    call: Callable
    done: object


# --- calls ---------------------------------------------------------------------------------------------------------


class CallListView(ScopedListView):
    model = Call
    filterset_class = CallFilter
    select_related = ("area",)
    template_name = "projects/call_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_publish": is_manager(self.request.user)}


class CallDetailView(ScopedDetailView):
    """A call: its terms and rubric; the applicant's button to declare; for the county, the ranking."""

    model = Call
    select_related = ("area", "budget")
    template_name = "projects/call_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, call = self.request.user, self.object
        context.update(
            criteria=call.criteria.all(),
            eligible=call.eligible_areas.all(),
            remaining=services.remaining_budget(call),
            may_declare=bool(granted_roles(user) & APPLICANTS) and call.deadline >= timezone.localdate(),
            ranking=services.ranking(call, user) if is_manager(user) else [],
            declarations=call.projects.for_user(user).order_by("status", "-score", "pk")
            if is_manager(user)
            else call.projects.filter(applicant=user),
        )
        return context


class CallCreateView(RoleRequiredMixin, ServiceFormView):
    model = Call
    form_class = forms.CallForm
    template_name = "projects/form.html"
    required_roles = MANAGERS
    edits_object = False
    success_message = _("The call is published.")

    def perform(self, form):
        return services.create_call(self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": _("New call")}


# --- declaring -----------------------------------------------------------------------------------------------------


class DeclareView(RoleRequiredMixin, ServiceFormView):
    """Step 1 of a declaration: the basics; saving creates the draft and leads to the next step."""

    model = Project
    form_class = forms.BasicsForm
    template_name = "projects/form.html"
    required_roles = APPLICANTS
    edits_object = False
    success_message = _("Draft saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.call = get_object_or_404(Call.objects.for_user(request.user, VIEW), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "call": self.call}

    def perform(self, form):
        return services.declare(self.request.user, self.call, **form.cleaned_data)

    def get_success_url(self, saved=None):
        return reverse("projects:project-edit", args=[saved.pk, "indicators"])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Declare: %(call)s") % {"call": self.call},
            "steps": STEP_NAMES,
            "current": "basics",
        }


#: The declaration's steps in order: (slug, label, form, how its data reaches update_draft / attach).
STEPS = {
    "basics": (_("Basics"), forms.BasicsForm),
    "indicators": (_("Indicators"), forms.IndicatorsForm),
    "budget": (_("Budget"), forms.BudgetForm),
    "team": (_("Team"), forms.TeamForm),
    "attachments": (_("Attachments"), forms.AttachmentForm),
}
STEP_NAMES = [(slug, label) for slug, (label, _form) in STEPS.items()]


class DraftStepView(ServiceFormView):
    """One step of the declaration form on an existing draft; each save keeps the draft and moves on."""

    model = Project
    template_name = "projects/draft_step.html"
    success_message = _("Draft saved.")

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in STEPS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return STEPS[self.kwargs["step"]][1]

    def perform(self, form):
        step, user, project = self.kwargs["step"], self.request.user, self.object

        def save():
            if step == "attachments":
                services.attach(user, project, **form.cleaned_data)
            elif step == "basics":
                services.update_draft(user, project, **form.cleaned_data)
            else:
                relation = {"indicators": "indicators", "budget": "budget_lines", "team": "team"}[step]
                services.update_draft(user, project, **{relation: form.cleaned_rows()})

        refusal_as_error(save)
        return project

    def get_success_url(self, saved=None):
        slugs = list(STEPS)
        step = self.kwargs["step"]
        if step == "attachments" or step == slugs[-1]:
            return reverse("projects:project-edit", args=[saved.pk, "attachments"])
        return reverse("projects:project-edit", args=[saved.pk, slugs[slugs.index(step) + 1]])

    def get_context_data(self, **kwargs):
        project = self.object
        return {
            **super().get_context_data(**kwargs),
            "steps": STEP_NAMES,
            "current": self.kwargs["step"],
            "problems": services.declaration_problems(project),
            "attachments": project.attachments.all(),
        }


# --- projects ------------------------------------------------------------------------------------------------------


class ProjectListView(ScopedListView):
    """The county's projects (or, for others, those they may see), newest first."""

    model = Project
    filterset_class = ProjectFilter
    select_related = ("call", "county")
    template_name = "projects/project_list.html"
    export_columns = [
        (_("Number"), lambda p, v: p.pk),
        (_("Title"), lambda p, v: p.title),
        (_("Applicant organisation"), lambda p, v: p.organisation),
        (_("Call"), lambda p, v: p.call.title),
        (_("Status"), lambda p, v: p.get_status_display()),
        (_("Requested"), lambda p, v: p.requested_amount),
        (_("Approved"), lambda p, v: p.approved_amount),
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


PROJECT_ACTIONS: dict[str, Action] = {
    "submit": Action(forms.EmptyForm, lambda u, p, d: services.submit(u, p), _("Declaration submitted.")),
    "check": Action(forms.CheckForm, lambda u, p, d: services.check(u, p, **d), _("Formal check recorded.")),
    "assign_reviewers": Action(
        forms.AssignForm,
        lambda u, p, d: services.assign_reviewers(u, p, list(d["reviewers"]), count=d["count"]),
        _("Reviewers assigned."),
    ),
    "approve": Action(forms.ApproveForm, lambda u, p, d: services.approve(u, p, **d), _("Project approved.")),
    "reject": Action(forms.RejectForm, lambda u, p, d: services.reject(u, p, **d), _("Declaration rejected.")),
    "write_taskbook": Action(
        forms.TaskBookForm, lambda u, p, d: services.sign_taskbook(u, p, **d), _("Task book written and signed.")
    ),
    "sign": Action(forms.EmptyForm, lambda u, p, d: services.sign_taskbook(u, p), _("Task book signed.")),
    "report_progress": Action(
        forms.ProgressForm, lambda u, p, d: services.report_progress(u, p, **d), _("Progress reported.")
    ),
    "submit_final": Action(
        forms.FinalForm, lambda u, p, d: services.submit_final(u, p, **d), _("Final report submitted.")
    ),
    "accept": Action(forms.AcceptForm, lambda u, p, d: services.accept(u, p, **d), _("Verdict recorded.")),
    "archive": Action(forms.EmptyForm, lambda u, p, d: services.archive(u, p), _("Project archived.")),
    "order_rectification": Action(
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
            indicators=project.indicators.all(),
            budget_lines=project.budget_lines.all(),
            team=project.team.all(),
            attachments=project.attachments.all(),
            milestones=project.milestones.all(),
            reviews=project.reviews.select_related("reviewer") if is_manager(user) else [],
            statement=services.statement(project) if project.approved_amount else None,
            findings=project.inspection_items.filter(recorded_at__isnull=False).select_related("inspection"),
            rectifications=project.rectifications.all(),
            problems=services.declaration_problems(project) if project.status == ProjectStatus.DRAFT else [],
        )
        return context


class ProjectActionView(ActionFormView):
    model = Project
    select_related = ("call", "county")
    actions = PROJECT_ACTIONS


# --- reviews ---------------------------------------------------------------------------------------------------------


class ReviewListView(ScopedListView):
    """A reviewer's assigned declarations (the menu's "My reviews"), waiting ones first."""

    model = Review
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
        refusal_as_error(lambda: services.score(self.request.user, self.object, **form.service_data()))
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


# --- inspections -----------------------------------------------------------------------------------------------------


class InspectionListView(ScopedListView):
    model = Inspection
    filterset_class = InspectionFilter
    select_related = ("area",)
    template_name = "projects/inspection_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_draw": is_manager(self.request.user)}


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


INSPECTION_ACTIONS: dict[str, Action] = {
    "publish": Action(
        forms.EmptyForm, lambda u, i, d: services.publish_inspection(u, i), _("The results are published.")
    ),
}


class InspectionActionView(ActionFormView):
    model = Inspection
    actions = INSPECTION_ACTIONS


def finding_prefix(item: InspectionItem) -> str:
    return f"item{item.pk}"


class FindingView(ServiceFormView):
    """An inspector records the findings on one drawn project (and what must be rectified)."""

    model = InspectionItem
    form_class = forms.FindingForm
    http_method_names = ["post"]
    select_related = ("inspection", "project")
    success_message = _("Findings recorded.")

    def get_prefix(self):
        return finding_prefix(self.object) if self.object else None

    def perform(self, form):
        item = self.object
        refusal_as_error(lambda: services.record_finding(self.request.user, item, **form.service_data()))
        return item

    def get_success_url(self, saved=None):
        return self.object.inspection.get_absolute_url()

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return redirect(self.get_success_url())


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


# --- rectifications --------------------------------------------------------------------------------------------------


class RectificationListView(ScopedListView):
    model = Rectification
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


RECTIFICATION_ACTIONS: dict[str, Action] = {
    "submit_evidence": Action(
        forms.EvidenceForm, lambda u, r, d: services.submit_evidence(u, r, **d), _("Evidence submitted.")
    ),
    "close": Action(forms.CloseForm, lambda u, r, d: services.close_rectification(u, r, **d), _("Saved.")),
}


class RectificationActionView(ActionFormView):
    model = Rectification
    select_related = ("project",)
    actions = RECTIFICATION_ACTIONS
