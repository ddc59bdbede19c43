"""The step-by-step declaration that saves a draft at every step, and its attachments."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from sciaid.core.actions import refusals_as_errors
from sciaid.core.scoping import VIEW
from sciaid.core.views import ProtectedFileView, RoleRequiredMixin, ServiceFormView
from sciaid.projects import forms, services
from sciaid.projects.choices import ProjectStatus
from sciaid.projects.models import APPLICANTS, Attachment, Call, Project


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
            "current_step": "basics",
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
    """One step of the declaration form on an existing draft; each save keeps the draft and moves on. The last step
    (attachments) leads to the submission once every required document is there."""

    model = Project
    template_name = "projects/draft_step.html"
    success_message = _("Draft saved.")

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        """Only the applicant edits, and only a draft (`services.update_draft` refuses anything else)."""
        if not super().may_open(user, obj):
            return False
        return obj is None or (obj.status == ProjectStatus.DRAFT and services.is_applicant_of(user, obj))

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in STEPS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return STEPS[self.kwargs["step"]][1]

    def perform(self, form):
        step, user, project = self.kwargs["step"], self.request.user, self.object

        with refusals_as_errors():
            if step == "attachments":
                services.attach(user, project, **form.cleaned_data)
            elif step == "basics":
                services.update_draft(user, project, **form.cleaned_data)
            else:
                relation = {"indicators": "indicators", "budget": "budget_lines", "team": "team"}[step]
                services.update_draft(user, project, **{relation: form.cleaned_rows()})
        return project

    def get_success_url(self, saved=None):
        slugs = list(STEPS)
        step = self.kwargs["step"]
        if step == "attachments" or step == slugs[-1]:
            return reverse("projects:project-edit", args=[saved.pk, "attachments"])
        return reverse("projects:project-edit", args=[saved.pk, slugs[slugs.index(step) + 1]])

    def get_context_data(self, **kwargs):
        project = self.object
        problems = services.declaration_problems(project)
        return {
            **super().get_context_data(**kwargs),
            "steps": STEP_NAMES,
            "current_step": self.kwargs["step"],
            "problems": problems,
            "missing": services.missing_attachments(project),
            "attachments": project.attachments.all(),
            # The next step once the declaration is complete: submitting it, right here.
            "submit_form": None if problems else forms.EmptyForm(user=self.request.user, instance=project),
        }


class AttachmentFileView(ProtectedFileView):
    """A declaration's document, for those who may see the project (the county, its reviewers and inspectors, the
    applicant), saved under the document's name."""

    model = Attachment
    file_field = "file"

    def download_name(self, stored) -> str:
        extension = stored.name.rsplit(".", 1)[-1] if "." in stored.name else "bin"
        return get_valid_filename(f"{self.object.name}.{extension}")
