"""Pages of commissioner workstations (科技特派员工作站): apply (on a phone), the list, a station's page with the
actions open to the user's role, and the activity report form.

Actions are one POST each to `WorkstationActionView`, calling one service function; the services check role, area
and state, so the page offers only what would succeed and a stale button gets a clear refusal.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sciaid.commissioners import forms as shared_forms
from sciaid.commissioners.common import MANAGERS
from sciaid.commissioners.workstations import forms, services
from sciaid.commissioners.workstations.choices import WorkstationStatus
from sciaid.commissioners.workstations.filters import WorkstationFilter
from sciaid.commissioners.workstations.models import Workstation, WorkstationReview
from sciaid.core.actions import Step, StepView
from sciaid.core.roles import Role
from sciaid.core.scoping import VIEW, area_allows
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from sciaid.funds.services import statement

APPLICANTS = frozenset({Role.APPLICANT})


class WorkstationListView(ScopedListView):
    """The workstations the user may see: a county's, an applicant's own, a reviewer's assigned ones."""

    model = Workstation
    filterset_class = WorkstationFilter
    select_related = ("village", "village__parent")
    template_name = "commissioners/workstation_list.html"
    paginate_by = 25


class WorkstationApplyView(RoleRequiredMixin, ServiceFormView):
    """An enterprise or cooperative applies for a workstation."""

    model = Workstation
    form_class = forms.WorkstationApplyForm
    template_name = "commissioners/workstation_apply.html"
    required_roles = APPLICANTS
    edits_object = False
    success_message = _("Application submitted.")

    def perform(self, form):
        return services.apply_workstation(self.request.user, **form.cleaned_data)


def open_actions(user, station: Workstation, *, may_change: bool, my_review: WorkstationReview | None) -> set[str]:
    """The actions this user may take on the station now, so no button leads to a certain refusal."""
    status = station.status
    actions = set()
    manager = area_allows(user, station.village, MANAGERS)
    province = services.decides_for_province(user, station.village)
    if manager and status == WorkstationStatus.APPLIED:
        actions.add("start_review")
    if my_review is not None and status == WorkstationStatus.UNDER_REVIEW:
        actions.add("review")
    if province and status == WorkstationStatus.UNDER_REVIEW:
        actions.add("file")
    if province and status in (WorkstationStatus.APPLIED, WorkstationStatus.UNDER_REVIEW):
        actions.add("reject")
    if province and status == WorkstationStatus.FILED:
        actions.add("revoke")
    if may_change and status == WorkstationStatus.FILED:
        actions.add("report")
    if manager and status == WorkstationStatus.FILED:
        actions |= {"appraise", "fund", "locate"}
    return actions


class WorkstationDetailView(ScopedDetailView):
    """A workstation: application, reviews, decision, activities, yearly appraisals, funds, and the next steps."""

    model = Workstation
    select_related = ("village", "village__parent", "applicant", "demo_site")
    template_name = "commissioners/workstation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, station = self.request.user, self.object
        reviews = list(station.reviews.select_related("reviewer"))
        my_review = next((review for review in reviews if review.reviewer_id == user.pk), None)
        actions = open_actions(user, station, may_change=context["can_change"], my_review=my_review)
        manager = area_allows(user, station.village, MANAGERS)
        context.update(
            actions=actions,
            reviews=reviews if manager or services.decides_for_province(user, station.village) else [],
            my_review=my_review,
            commissioners=station.commissioners.all(),
            activities=station.activities.all()[:50],
            appraisals=station.appraisals.all(),
            account=statement(station) if manager else None,
            forms={name: ACTIONS[name].form(user=user, instance=station) for name in actions if name in ACTIONS},
        )
        return context


ACTIONS = {
    "start_review": Step(
        forms.ReviewersForm,
        lambda u, s, data: services.start_workstation_review(u, s, reviewers=list(data["reviewers"])),
        _("Sent to the reviewers."),
    ),
    "review": Step(
        forms.ReviewScoreForm,
        lambda u, s, data: services.submit_workstation_review(u, s, **data),
        _("Your review is saved."),
    ),
    "file": Step(
        shared_forms.NoteForm, lambda u, s, data: services.file_workstation(u, s, **data), _("Workstation filed.")
    ),
    "reject": Step(
        shared_forms.ReasonForm,
        lambda u, s, data: services.reject_workstation(u, s, **data),
        _("Application rejected."),
    ),
    "revoke": Step(
        shared_forms.ReasonForm,
        lambda u, s, data: services.revoke_workstation(u, s, **data),
        _("Workstation revoked."),
    ),
    "report": Step(
        forms.ActivityForm,
        lambda u, s, data: services.report_workstation_activity(u, s, **data),
        _("Activity reported."),
    ),
    "appraise": Step(
        forms.StationAppraisalForm,
        lambda u, s, data: services.appraise_workstation(u, s, **data),
        _("Appraisal recorded."),
    ),
    "fund": Step(
        forms.FundForm,
        lambda u, s, data: services.fund_workstation(u, s, **data),
        _("Allocation posted to the ledger."),
    ),
    "locate": Step(
        forms.LocateForm,
        lambda u, s, data: services.locate_workstation(u, s, **data),
        _("Demonstration site recorded."),
    ),
}


class WorkstationActionView(StepView):
    """POST one action on a workstation. The station is looked up among those the user may *see* (a reviewer
    scores what they cannot change); each service then checks the role, the area and the state itself."""

    model = Workstation
    action = VIEW
    steps = ACTIONS


class WorkstationActivityView(ServiceFormView):
    """The activity report form on its own page, for the station's staff on a phone."""

    model = Workstation
    form_class = forms.ActivityForm
    template_name = "commissioners/workstation_activity.html"
    success_message = _("Activity reported.")

    def perform(self, form):
        services.report_workstation_activity(self.request.user, self.object, **form.cleaned_data)
        return self.object
