"""Calls for declarations: the list, a call's terms, rubric and ranking, and publishing one."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from sciaid.projects import forms, services
from sciaid.projects.filters import CallFilter
from sciaid.projects.models import MANAGERS, Call
from sciaid.projects.views.common import is_manager


class CallListView(ScopedListView):
    """The calls of the user's areas and those above them, newest first."""

    model = Call
    filterset_class = CallFilter
    select_related = ("area",)
    template_name = "projects/call_list.html"


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
            open_for_declarations=call.deadline >= timezone.localdate(),
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
