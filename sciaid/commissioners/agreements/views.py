"""Pages of assistance agreements: the list with each one's progress, an agreement with its targets and logs, the
form, the signing / fulfilling / terminating buttons, and the signed scan (served only to who may see it)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners import forms as shared_forms
from sciaid.commissioners.agreements import forms, services
from sciaid.commissioners.agreements.filters import AgreementFilter
from sciaid.commissioners.agreements.models import Agreement
from sciaid.commissioners.common import MANAGERS
from sciaid.commissioners.logs.models import ServiceLog
from sciaid.commissioners.statistics import services as statistics
from sciaid.core.actions import Step, StepView
from sciaid.core.views import ProtectedFileView, RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView


class AgreementListView(ScopedListView):
    """Agreements with their progress against each target, one line each."""

    model = Agreement
    filterset_class = AgreementFilter
    select_related = ("village__parent", "expert", "team")
    template_name = "commissioners/agreement_list.html"
    export_name = "agreements"
    export_columns = [
        (_("Year"), lambda a, view: a.year),
        (_("Village division code"), lambda a, view: a.village.code),
        (_("Village"), lambda a, view: a.village.name),
        (_("Commissioner or team"), lambda a, view: a.team.name if a.team_id else a.expert.name),
        (_("Status"), lambda a, view: a.get_status_display()),
        (_("Signed on"), lambda a, view: a.signed_on or ""),
        (_("Term starts"), lambda a, view: a.starts_on),
        (_("Term ends"), lambda a, view: a.ends_on),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        figures = statistics.progress(page)
        for agreement in page:
            agreement.targets = figures[agreement.pk]
        context["object_list"] = page
        return context


class AgreementDetailView(ScopedDetailView):
    model = Agreement
    select_related = ("village__parent", "expert", "team", "pairing")
    template_name = "commissioners/agreement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, agreement = self.request.user, self.object
        actions = {t.name for t in Agreement.workflow.available(agreement, user)} if context["can_change"] else set()
        context.update(
            targets=statistics.progress([agreement])[agreement.pk],
            logs=ServiceLog.objects.for_user(user).filter(agreement=agreement).select_related("expert")[:50],
            actions=actions,
            sign_form=forms.SignForm(user=user),
            terminate_form=shared_forms.ReasonForm(user=user),
        )
        return context


class AgreementFormView(RoleRequiredMixin, ServiceFormView):
    model = Agreement
    template_name = "regions/form.html"
    required_roles = MANAGERS

    def get_form_class(self):
        return forms.AgreementTermsForm if self.object else forms.AgreementForm

    def get_initial(self):
        pairing = self.request.GET.get("pairing")
        return {"pairing": pairing} if pairing else {}

    def perform(self, form):
        return services.save_agreement(self.request.user, instance=self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit agreement") if self.object else _("Draft an agreement"),
            "cancel_url": self.object.get_absolute_url() if self.object else reverse("commissioners:agreement-list"),
        }


class AgreementActionView(StepView):
    model = Agreement
    steps = {
        "sign": Step(forms.SignForm, lambda u, a, data: services.sign_agreement(u, a, **data), _("Signed.")),
        "fulfil": Step(
            shared_forms.EmptyForm, lambda u, a, data: services.fulfil_agreement(u, a), _("Marked fulfilled.")
        ),
        "terminate": Step(
            shared_forms.ReasonForm,
            lambda u, a, data: services.terminate_agreement(u, a, data["reason"]),
            _("Agreement terminated."),
        ),
    }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["files"] = self.request.FILES
        return kwargs


class AgreementScanView(ProtectedFileView):
    model = Agreement
    file_field = "scan"
