"""Pages of service teams: the list, a team with its members, villages and agreements, and the team form."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.agreements.models import Agreement
from sciaid.commissioners.common import MANAGERS
from sciaid.commissioners.teams import forms, services
from sciaid.commissioners.teams.filters import TeamFilter
from sciaid.commissioners.teams.models import Team
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView


class TeamListView(ScopedListView):
    model = Team
    filterset_class = TeamFilter
    select_related = ("county", "leader")
    template_name = "commissioners/team_list.html"


class TeamDetailView(ScopedDetailView):
    model = Team
    select_related = ("county", "leader")
    template_name = "commissioners/team_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team = self.object
        context.update(
            members=team.members.select_related("expert"),
            villages=team.villages.select_related("parent").order_by("code"),
            agreements=Agreement.objects.for_user(self.request.user).filter(team=team).select_related("village"),
        )
        return context


class TeamFormView(RoleRequiredMixin, ServiceFormView):
    model = Team
    form_class = forms.TeamForm
    template_name = "regions/form.html"
    required_roles = MANAGERS

    def perform(self, form):
        return services.save_team(self.request.user, instance=self.object, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit service team") if self.object else _("Form a service team"),
            "cancel_url": self.object.get_absolute_url() if self.object else reverse("commissioners:team-list"),
        }
