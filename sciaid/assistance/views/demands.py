"""Pages of a demand's journey: submit (with similar resolved demands while typing), my demands, the triage queue,
the expert inbox, a demand's page with its timeline, thread and the actions open to the user, its photos; and a
county's SLA targets.

Every action is one POST to `DemandActionView`, which calls exactly one service function; a refusal (invalid data,
wrong role or county, wrong state, someone was faster) comes back as a message and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import ListView, TemplateView, View

from sciaid.assistance import forms, services
from sciaid.assistance.choices import (
    OPEN_ASSIGNMENTS,
    OPEN_STATES,
    SERVICE_STATES,
    AssignmentStatus,
    DemandStatus,
    Urgency,
)
from sciaid.assistance.filters import DemandFilter
from sciaid.assistance.handoffs import handed, offered
from sciaid.assistance.models import EXPERTS, JUDGES, REQUESTERS, TRIAGERS, Assignment, Demand, Message, Photo
from sciaid.assistance.recommend import recommend_experts, similar_demands
from sciaid.assistance.turns import whose_turn, with_my_assignment
from sciaid.core.actions import Step, StepView, step_cards
from sciaid.core.pagination import CappedPaginator
from sciaid.core.privacy import mask_phone, may_see_personal_data
from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles, is_unrestricted, within_granted_areas
from sciaid.core.suggestions import suggestions
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormView
from sciaid.regions.models import Area

LIST_JOINS = ("village", "village__parent", "specialty")


def is_requester(user) -> bool:
    return bool(granted_roles(user) & REQUESTERS)


# --- submitting --------------------------------------------------------------------------------------------------


class DemandSubmitView(RoleRequiredMixin, ServiceFormView):
    """A farmer, or the village info officer for them, submits a demand from a phone.

    Only they: the requester answers the expert's questions and rates the service, which is the farmer's side's
    part (DESIGN §2). A platform or county admin who takes a farmer's call passes it to the village's info officer,
    so the page is neither offered to them nor opened for them (`may_open`, from `required_roles`)."""

    model = Demand
    form_class = forms.SubmitForm
    template_name = "assistance/submit.html"
    required_roles = REQUESTERS
    edits_object = False
    success_message = _("Demand submitted.")

    def perform(self, form):
        demand = services.submit_demand(self.request.user, **form.cleaned_data)
        if demand.possible_duplicate_of_id:
            messages.warning(
                self.request,
                _("This household already has an open demand (no. %(n)d): the triage officer may merge them.")
                % {"n": demand.possible_duplicate_of_id},
            )
        return demand

    def get_success_url(self, saved=None):
        return services.demand_url(saved)


class SimilarDemandsView(ScopedMixin, TemplateView):
    """htmx fragment: resolved demands like the one being typed, so the farmer may find the answer at once."""

    model = Demand
    template_name = "assistance/_similar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = " ".join(self.request.GET.get(key, "") for key in ("title", "description")).strip()
        context["similar"] = similar_demands(text, self.request.user) if text else []
        context["suggestions"] = suggestions(self.request.user, text)
        return context


# --- lists ---------------------------------------------------------------------------------------------------------


class DemandRowsMixin:
    """A list of demands whose rows say whose move each waits for, as the viewer reads it (sciaid.assistance.turns):
    the viewer's own assignment comes with each row in the same query."""

    select_related = LIST_JOINS

    def get_queryset(self):
        return with_my_assignment(super().get_queryset(), self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mark_rows(self.request.user, context["object_list"])
        return context


def mark_rows(user, demands) -> None:
    """What `assistance/_demand_rows.html` shows of each demand beyond its fields, worked out once per row here: whose
    move it waits for, its link, its labels (from dicts made once per page) and whether it is overdue."""
    now = timezone.now()
    statuses = {value: str(label) for value, label in DemandStatus.choices}
    urgent = str(Urgency.URGENT.label)
    for demand in demands:
        demand.turn = whose_turn(user, demand, demand.my_assignment)
        demand.url = reverse("assistance:demand-detail", args=[demand.pk])
        demand.status_label = statuses.get(demand.status, demand.status)
        demand.urgency_label = urgent if demand.urgency == Urgency.URGENT else ""
        demand.overdue = bool(demand.due_at and demand.due_at < now and not demand.paused_since)


class DemandListView(DemandRowsMixin, ScopedListView):
    """The demands the user follows: a farmer's own household's, an info officer's villages' (the menu calls it "My
    demands"), or all of a county's for its staff."""

    model = Demand
    filterset_class = DemandFilter
    template_name = "assistance/demand_list.html"
    paginate_by = 25


class TriageQueueView(RoleRequiredMixin, DemandRowsMixin, ScopedListView):
    """The county's open demands, soonest SLA deadline first, so overdue ones lead; a constant number of queries."""

    model = Demand
    filterset_class = DemandFilter
    template_name = "assistance/queue.html"
    required_roles = TRIAGERS

    def unscoped_queryset(self):
        # The queue is the open demands of the desk's own county: narrowing by area and state before the scope
        # applies lets each branch of its union start from the queue index, not from every demand of the county.
        qs = within_granted_areas(super().unscoped_queryset(), self.request.user)
        return qs if self.request.GET.getlist("status") else qs.filter(status__in=OPEN_STATES)

    def get_queryset(self):
        return super().get_queryset().order_by(F("due_at").asc(nulls_last=True), "submitted_at", "pk")


class ExpertInboxView(RoleRequiredMixin, DemandRowsMixin, ScopedMixin, ListView):
    """An expert's open assignments: waiting for their answer first, then the demands they serve.

    Personal, like the notification inbox, so not a county list: it shows nothing but the expert's own work.
    """

    model = Demand
    template_name = "assistance/inbox.html"
    required_roles = EXPERTS
    paginate_by = 50
    paginator_class = CappedPaginator

    def get_queryset(self):
        # Start from the expert's own open assignments (a handful), not from the province's open demands.
        mine = Assignment.objects.filter(expert__user_id=self.request.user.pk, status__in=OPEN_ASSIGNMENTS)
        return (
            super()
            .get_queryset()
            .filter(status__in=OPEN_STATES, pk__in=mine.values("demand_id"))
            .order_by("-my_assignment", F("due_at").asc(nulls_last=True), "pk")
        )


# --- one demand ----------------------------------------------------------------------------------------------------


def timeline(demand: Demand) -> list[tuple[str, object]]:
    """The steps the demand has passed, with their times, in order."""
    steps = [
        (_("Submitted"), demand.submitted_at),
        (_("Triaged"), demand.triaged_at),
        (_("Assigned"), demand.assigned_at),
        (_("Accepted"), demand.accepted_at),
        (_("Resolved"), demand.resolved_at),
        (_("Rated"), demand.rated_at),
        (pgettext_lazy("demand", "Closed"), demand.closed_at),
        (_("Called back"), demand.called_at),
        (_("Judged"), demand.judged_at),
    ]
    return sorted(((label, at) for label, at in steps if at), key=lambda step: step[1])


def my_assignment(user, demand: Demand) -> str | None:
    """The status of the user's own assignment on the demand (only an expert has one: others cost no query)."""
    if Role.EXPERT not in granted_roles(user):
        return None
    return demand.assignments.filter(expert__user_id=user.pk).values_list("status", flat=True).first()


def open_actions(user, demand: Demand, may_change: bool, mine: str | None) -> set[str]:
    """The actions this user may take on the demand now: the workflow's (role, state) and the service's own rules
    (whose assignment, who speaks for the farmer), so no button leads to a certain refusal. `mine` is the status of
    the user's own assignment on it."""
    if not may_change:
        return set()
    actions = {t.name for t in Demand.workflow.available(demand, user)}
    expert_actions = set()
    if mine == AssignmentStatus.PENDING and demand.status == DemandStatus.ASSIGNED:
        expert_actions |= {"accept", "decline"}
    if mine == AssignmentStatus.ACCEPTED and demand.status in SERVICE_STATES:
        expert_actions |= {"reply", "schedule_visit", "resolve"}
    for_farmer = (is_unrestricted(user) or is_requester(user)) and services.speaks_for_requester(user, demand)
    if for_farmer and demand.status in OPEN_STATES | {DemandStatus.RESOLVED}:
        actions.add("reply")
    if not for_farmer:
        actions.discard("rate")
    actions -= {"accept", "decline", "start_service", "resolve", "pause", "resume"}
    return actions | expert_actions


class DemandDetailView(ScopedDetailView):
    """A demand: facts, status timeline, experts, visits, the conversation with photos, and the open actions."""

    model = Demand
    template_name = "assistance/demand_detail.html"
    select_related = (
        "village",
        "village__parent",
        "specialty",
        "household",
        "requester",
        "resolved_by",
        "possible_duplicate_of",
        "merged_into",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, demand = self.request.user, self.object
        mine = my_assignment(user, demand)
        actions = open_actions(user, demand, context["can_change"], mine)
        photos = Photo.objects.filter(demand=demand)
        context.update(
            turn=whose_turn(user, demand, mine),
            cards=step_cards(user, demand, ACTIONS, actions),
            action_url="assistance:demand-action",
            timeline=timeline(demand),
            phone=demand.farmer_phone
            if may_see_personal_data(user, demand.village)
            else mask_phone(demand.farmer_phone),
            photos=[p for p in photos if p.message_id is None],
            thread=Message.objects.filter(demand=demand)
            .select_related("author")
            .prefetch_related(Prefetch("photos", queryset=photos)),
            assignments=demand.assignments.select_related("expert"),
            visits=demand.visits.select_related("expert"),
        )
        if "assign" in actions:
            context["recommendations"] = recommend_experts(demand)
        context["handed"] = handed(demand)
        context["handoffs"] = offered(user, demand, context["handed"]) if context["can_change"] else []
        return context


class PhotoView(ScopedMixin, View):
    """A demand's photo, served only to who may see the demand (never from the public media URL)."""

    model = Photo

    def get(self, request, pk: int):
        photo = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            content = photo.image.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(content, content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=3600"
        return response


# --- actions -------------------------------------------------------------------------------------------------------


#: The demand's actions, in the order its page offers them.
ACTIONS: dict[str, Step] = {
    "accept": Step(
        forms.EmptyForm,
        lambda u, d, data: services.accept(u, d),
        _("You accepted the demand."),
        button=pgettext_lazy("demand", "Accept"),
    ),
    "decline": Step(
        forms.ReasonForm,
        lambda u, d, data: services.decline(u, d, data["reason"]),
        _("Declined."),
        button=_("Decline"),
        style="secondary",
    ),
    "assign": Step(
        forms.AssignForm,
        lambda u, d, data: services.assign(u, d, data["experts"], occurred_on=data.get("occurred_on")),
        _("Assigned."),
        _("Recommended experts"),
    ),
    "reply": Step(
        forms.ReplyForm,
        lambda u, d, data: services.reply(u, d, **data),
        _("Message sent."),
        _("Reply"),
        _("Send"),
        files=True,
    ),
    "schedule_visit": Step(
        forms.VisitForm,
        lambda u, d, data: services.schedule_visit(u, d, **data),
        _("Visit scheduled."),
        _("Schedule an on-site visit"),
        _("Schedule"),
    ),
    "resolve": Step(
        forms.ResolveForm,
        lambda u, d, data: services.resolve(u, d, data["solution_summary"]),
        _("Marked resolved."),
        _("Resolve with a summary of the solution"),
        _("Mark resolved"),
    ),
    "rate": Step(
        forms.RateForm,
        lambda u, d, data: services.rate(u, d, **data),
        _("Thank you for rating."),
        _("Rate the service"),
        _("Rate"),
    ),
    "triage": Step(
        forms.TriageForm,
        lambda u, d, data: services.triage(u, d, **data),
        _("Demand classified."),
        _("Classify or edit"),
        _("Save"),
        folded=True,
    ),
    "merge": Step(
        forms.MergeForm,
        lambda u, d, data: services.merge(u, d, data["into"]),
        _("Merged."),
        _("Merge as duplicate"),
        _("Merge"),
        "secondary",
        folded=True,
    ),
    "reject": Step(
        forms.ReasonForm,
        lambda u, d, data: services.reject(u, d, data["reason"]),
        _("Rejected."),
        _("Reject"),
        _("Reject"),
        "danger",
        folded=True,
    ),
    "close": Step(
        forms.EmptyForm,
        lambda u, d, data: services.close(u, d),
        _("Demand closed."),
        button=_("Close without rating"),
        style="secondary",
    ),
    "callback": Step(
        forms.CallbackForm,
        lambda u, d, data: services.callback(u, d, **data),
        _("Call-back recorded."),
        _("Record call-back"),
        _("Save"),
        folded=True,
    ),
    "judge": Step(
        forms.JudgeForm,
        lambda u, d, data: services.judge(u, d, **data),
        _("Judgement recorded."),
        _("Judge validity"),
        _("Save"),
        folded=True,
    ),
    # Offered apart from the cards, one confirmed button per registered handoff (demand_detail.html).
    "handoff": Step(
        forms.HandoffForm,
        lambda u, d, data: services.hand_over(u, d, data["to"]),
        _("Handed over: what was made of the demand is shown on its page."),
    ),
}


class DemandActionView(StepView):
    """POST one action on a demand; a refusal is shown as a message on the demand's page and changes nothing."""

    model = Demand
    select_related = ("village",)
    steps = ACTIONS

    def back_url(self) -> str:
        return services.demand_url(self.object)


class SlaPolicyView(RoleRequiredMixin, ServiceFormView):
    """A county admin sets how fast their county's demands must be triaged, accepted and resolved."""

    model = Area
    form_class = forms.SlaPolicyForm
    template_name = "assistance/sla_policy.html"
    required_roles = JUDGES
    edits_object = False
    success_message = _("The SLA targets are saved; new deadlines follow them.")

    def get_initial(self):
        counties = forms.SlaPolicyForm(user=self.request.user).fields["county"].queryset
        county = counties.filter(code=self.request.GET.get("county")).first() or counties.first()
        if county is None:
            raise Http404
        return {
            "county": county.code,
            **{f"{stage}_hours": hours for stage, hours in services.sla_hours(county).items()},
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.set_sla_policy(self.request.user, data.pop("county"), **data)

    def get_success_url(self, saved=None):
        return f"{reverse('assistance:sla')}?county={saved.county.code}"
