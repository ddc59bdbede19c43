"""Pages of the yearly selection: batches with their candidates, applying and nominating, deciding, and the roster
(exported in the layout it imports from)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners import forms as shared_forms
from sciaid.commissioners.common import EXPERTS, MANAGERS
from sciaid.commissioners.importers import header
from sciaid.commissioners.selection import forms, services
from sciaid.commissioners.selection.filters import BatchFilter, CandidateFilter
from sciaid.commissioners.selection.importers import RosterImporter
from sciaid.commissioners.selection.models import Batch, Candidate
from sciaid.core.actions import Step, StepView
from sciaid.core.scoping import VIEW, granted_roles, is_unrestricted
from sciaid.core.views import ImportView, RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView


def holds_role(user, roles) -> bool:
    return is_unrestricted(user) or bool(granted_roles(user) & roles)


class BatchListView(ScopedListView):
    model = Batch
    filterset_class = BatchFilter
    select_related = ("county",)
    template_name = "commissioners/batch_list.html"


class BatchDetailView(ScopedDetailView):
    """A batch with its candidates; the county decides each, an expert applies, the roster imports and exports."""

    model = Batch
    select_related = ("county",)
    template_name = "commissioners/batch_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, batch = self.request.user, self.object
        candidates = Candidate.objects.for_user(user).filter(batch=batch).select_related("expert")
        context.update(
            candidates=candidates,
            own=Candidate.objects.filter(batch=batch, expert__user_id=user.pk).first(),
            batch_actions=Batch.workflow.available(batch, user) if context["can_change"] else [],
            apply_form=forms.ApplyForm(user=user),
            reject_form=shared_forms.ReasonForm(user=user),
            nominate_form=forms.NominateForm(user=user),
        )
        return context


class BatchFormView(RoleRequiredMixin, ServiceFormView):
    model = Batch
    form_class = forms.BatchForm
    template_name = "regions/form.html"
    edits_object = False
    required_roles = MANAGERS
    success_message = _("Batch opened.")

    def perform(self, form):
        return services.open_batch(self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Open a selection batch"),
            "cancel_url": reverse("commissioners:batch-list"),
        }


class BatchActionView(StepView):
    """Close or reopen a batch (the county)."""

    model = Batch
    steps = {
        "close": Step(shared_forms.EmptyForm, lambda u, b, data: services.close_batch(u, b), _("Batch closed.")),
        "reopen": Step(shared_forms.EmptyForm, lambda u, b, data: services.reopen_batch(u, b), _("Batch reopened.")),
    }


class BatchApplyView(StepView):
    """An expert applies to a batch they may see; the service checks that it is open and they are not in it yet."""

    model = Batch
    action = VIEW
    steps = {"apply": Step(forms.ApplyForm, lambda u, b, data: services.apply(u, b, **data), _("Application sent."))}

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        # The role is checked on the batch, once found: another county's batch is then a 404 for everyone.
        return super().may_open(user, obj) and (obj is None or holds_role(user, EXPERTS))


class BatchNominateView(StepView):
    """The county (or an organisation of it) nominates an expert into a batch it may see."""

    model = Batch
    action = VIEW
    steps = {
        "nominate": Step(forms.NominateForm, lambda u, b, data: services.nominate(u, b, **data), _("Expert nominated."))
    }

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or holds_role(user, services.NOMINATORS))


class CandidateListView(ScopedListView):
    """The selected roster (approved candidates by default), exportable in the layout the roster imports from."""

    model = Candidate
    filterset_class = CandidateFilter
    select_related = ("batch__county", "expert")
    template_name = "commissioners/candidate_list.html"
    export_name = "commissioner-roster"
    export_columns = [
        (header(RosterImporter.columns, "county"), lambda c, view: c.batch.county.code),
        (header(RosterImporter.columns, "year"), lambda c, view: c.batch.year),
        (header(RosterImporter.columns, "name"), lambda c, view: c.expert.name),
        (header(RosterImporter.columns, "phone"), lambda c, view: c.expert.phone),
        (header(RosterImporter.columns, "nominated_by"), lambda c, view: c.nominated_by),
        (_("Level"), lambda c, view: c.get_level_display()),
        (_("Status"), lambda c, view: c.get_status_display()),
    ]


class CandidateActionView(StepView):
    model = Candidate
    steps = {
        "approve": Step(
            shared_forms.EmptyForm, lambda u, c, data: services.decide(u, c, approve=True), _("Candidate approved.")
        ),
        "reject": Step(
            shared_forms.ReasonForm,
            lambda u, c, data: services.decide(u, c, approve=False, reason=data["reason"]),
            _("Candidate rejected."),
        ),
        "withdraw": Step(
            shared_forms.EmptyForm, lambda u, c, data: services.withdraw(u, c), _("Application withdrawn.")
        ),
    }


class RosterImportView(ImportView):
    model = Batch
    importer_class = RosterImporter
    job_kind = "commissioners.import_roster"
    required_roles = MANAGERS
    heading = _("Import a commissioner roster")
