"""Pages of a demand's journey: submit (with similar resolved demands while typing), my demands, the triage queue,
the expert inbox, a demand's page with its timeline, thread and the actions open to the user, and its photos.

Every action is one POST to `DemandActionView`, which calls exactly one service function; a refusal (invalid data,
wrong role or county, wrong state, someone was faster) comes back as a message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from sciaid.assistance import forms, services
from sciaid.assistance.choices import (
    OPEN_ASSIGNMENTS,
    OPEN_STATES,
    SERVICE_STATES,
    AssignmentStatus,
    DemandStatus,
    KnowledgeStatus,
    RecipientKind,
)
from sciaid.assistance.filters import DemandFilter, KnowledgeFilter, StatementFilter
from sciaid.assistance.models import (
    EXPERTS,
    JUDGES,
    KNOWLEDGE_REVIEWERS,
    REQUESTERS,
    TRIAGERS,
    Assignment,
    Demand,
    KnowledgeEntry,
    Message,
    Photo,
    SubsidyStatement,
)
from sciaid.assistance.recommend import recommend_experts, similar_demands
from sciaid.core.pagination import CappedPaginator
from sciaid.core.privacy import mask_phone, may_see_personal_data
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, granted_roles, is_unrestricted, within_granted_areas
from sciaid.core.states import TransitionRefused
from sciaid.core.suggestions import suggestions
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormView
from sciaid.regions.models import Area

LIST_JOINS = ("village", "village__parent", "specialty")


def is_requester(user) -> bool:
    return bool(granted_roles(user) & REQUESTERS)


# --- submitting --------------------------------------------------------------------------------------------------


class DemandSubmitView(RoleRequiredMixin, ServiceFormView):
    """A farmer, or the village info officer for them, submits a demand from a phone."""

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


class DemandListView(ScopedListView):
    """The demands the user follows: a farmer's own household's, an info officer's villages' (the menu calls it "My
    demands"), or all of a county's for its staff; what needs a rating stands out."""

    model = Demand
    filterset_class = DemandFilter
    select_related = LIST_JOINS
    template_name = "assistance/demand_list.html"
    paginate_by = 25

    @classmethod
    def allows(cls, user) -> bool:
        """Whether the home page offers it: to those who submit demands (the county has the triage queue)."""
        return is_unrestricted(user) or is_requester(user)


class TriageQueueView(RoleRequiredMixin, ScopedListView):
    """The county's open demands, soonest SLA deadline first, so overdue ones lead; a constant number of queries."""

    model = Demand
    filterset_class = DemandFilter
    select_related = LIST_JOINS
    template_name = "assistance/queue.html"
    required_roles = TRIAGERS

    def get_queryset(self):
        # The queue is the demands of the desk's own county: narrowing by area first lets the index do the work.
        qs = within_granted_areas(super().get_queryset(), self.request.user)
        if not self.request.GET.getlist("status"):
            qs = qs.filter(status__in=OPEN_STATES)
        return qs.order_by(F("due_at").asc(nulls_last=True), "submitted_at", "pk")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "now": timezone.now()}


class ExpertInboxView(RoleRequiredMixin, ScopedMixin, ListView):
    """An expert's open assignments: waiting for their answer first, then the demands they serve.

    Personal, like the notification inbox, so not a county list: it shows nothing but the expert's own work.
    """

    model = Demand
    select_related = LIST_JOINS
    template_name = "assistance/inbox.html"
    required_roles = EXPERTS
    paginate_by = 50
    paginator_class = CappedPaginator

    def get_queryset(self):
        mine = Assignment.objects.filter(demand=OuterRef("pk"), expert__user_id=self.request.user.pk)
        return (
            super()
            .get_queryset()
            .annotate(my_status=Subquery(mine.values("status")[:1]))
            .filter(status__in=OPEN_STATES, my_status__in=OPEN_ASSIGNMENTS)
            .order_by("-my_status", F("due_at").asc(nulls_last=True), "pk")
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "now": timezone.now(), "pending": AssignmentStatus.PENDING}


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
        (_("Closed"), demand.closed_at),
        (_("Called back"), demand.called_at),
        (_("Judged"), demand.judged_at),
    ]
    return sorted(((label, at) for label, at in steps if at), key=lambda step: step[1])


def open_actions(user, demand: Demand, may_change: bool) -> set[str]:
    """The actions this user may take on the demand now: the workflow's (role, state) and the service's own rules
    (whose assignment, who speaks for the farmer), so no button leads to a certain refusal."""
    if not may_change:
        return set()
    actions = {t.name for t in Demand.workflow.available(demand, user)}
    mine = None
    if Role.EXPERT in granted_roles(user):
        mine = demand.assignments.filter(expert__user_id=user.pk).values_list("status", flat=True).first()
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
        actions = open_actions(user, demand, context["can_change"])
        photos = Photo.objects.filter(demand=demand)
        context.update(
            actions=actions,
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
            forms={name: ACTIONS[name].form(user=user, instance=demand) for name in actions if name in ACTIONS},
        )
        if "assign" in actions:
            context["recommendations"] = recommend_experts(demand)
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


@dataclass(frozen=True)
class Action:
    """One step of the journey as the page offers it: its form and the one service call it makes."""

    form: type
    call: Callable
    done: object


ACTIONS: dict[str, Action] = {
    "triage": Action(forms.TriageForm, lambda u, d, data: services.triage(u, d, **data), _("Demand classified.")),
    "assign": Action(forms.AssignForm, lambda u, d, data: services.assign(u, d, data["experts"]), _("Assigned.")),
    "merge": Action(forms.MergeForm, lambda u, d, data: services.merge(u, d, data["into"]), _("Merged.")),
    "reject": Action(forms.ReasonForm, lambda u, d, data: services.reject(u, d, data["reason"]), _("Rejected.")),
    "accept": Action(forms.EmptyForm, lambda u, d, data: services.accept(u, d), _("You accepted the demand.")),
    "decline": Action(forms.ReasonForm, lambda u, d, data: services.decline(u, d, data["reason"]), _("Declined.")),
    "reply": Action(forms.ReplyForm, lambda u, d, data: services.reply(u, d, **data), _("Message sent.")),
    "schedule_visit": Action(
        forms.VisitForm, lambda u, d, data: services.schedule_visit(u, d, **data), _("Visit scheduled.")
    ),
    "resolve": Action(
        forms.ResolveForm, lambda u, d, data: services.resolve(u, d, data["solution_summary"]), _("Marked resolved.")
    ),
    "rate": Action(forms.RateForm, lambda u, d, data: services.rate(u, d, **data), _("Thank you for rating.")),
    "close": Action(forms.EmptyForm, lambda u, d, data: services.close(u, d), _("Demand closed.")),
    "callback": Action(
        forms.CallbackForm, lambda u, d, data: services.callback(u, d, **data), _("Call-back recorded.")
    ),
    "judge": Action(forms.JudgeForm, lambda u, d, data: services.judge(u, d, **data), _("Judgement recorded.")),
}


class ObjectActionView(ServiceFormView):
    """POST one action on an object (`actions[name]`: its form and the one service call it makes); a refusal is
    shown as a message on the object's page and changes nothing."""

    http_method_names = ["post"]
    actions: dict[str, Action] = {}

    def dispatch(self, request, *args, **kwargs):
        self.step = self.actions.get(kwargs["action"])
        if self.step is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return self.step.form

    def perform(self, form):
        try:
            self.step.call(self.request.user, self.object, form.cleaned_data)
        except (PermissionDenied, TransitionRefused) as exc:
            raise ValidationError(str(exc) or _("You may not do this.")) from exc
        self.success_message = self.step.done
        return self.object

    def form_invalid(self, form):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(self.request, f"{label}: {error}" if label else error)
        return redirect(self.get_success_url())


class DemandActionView(ObjectActionView):
    """POST one action on a demand; a refusal is shown as a message on the demand's page and changes nothing."""

    model = Demand
    select_related = ("village",)
    actions = ACTIONS

    def get_success_url(self, saved=None):
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


# --- knowledge from solutions -----------------------------------------------------------------------------------


class KnowledgeListView(ScopedListView):
    """Published solutions every role of the province may read (and, for the county desk, its own entries in
    review); searchable by words of the title or solution."""

    model = KnowledgeEntry
    filterset_class = KnowledgeFilter
    select_related = ("specialty",)
    template_name = "assistance/knowledge_list.html"
    paginate_by = 25


class KnowledgeReviewView(RoleRequiredMixin, ScopedListView):
    """The county desk's review queue: solution summaries waiting to be published or dismissed, oldest first."""

    model = KnowledgeEntry
    filterset_class = KnowledgeFilter
    select_related = ("specialty", "village")
    template_name = "assistance/knowledge_review.html"
    required_roles = KNOWLEDGE_REVIEWERS
    action = CHANGE

    def get_queryset(self):
        qs = super().get_queryset()
        if not self.request.GET.get("status"):
            qs = qs.filter(status=KnowledgeStatus.PENDING)
        return qs.order_by("created_at", "pk")


class KnowledgeDetailView(ScopedDetailView):
    """One entry; a reviewer of its county edits and publishes it, or dismisses it, here."""

    model = KnowledgeEntry
    template_name = "assistance/knowledge_detail.html"
    select_related = ("specialty", "village", "reviewed_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, entry = self.request.user, self.object
        available = {t.name for t in KnowledgeEntry.workflow.available(entry, user)} if context["can_change"] else set()
        context["knowledge_forms"] = {
            name: KNOWLEDGE_ACTIONS[name].form(user=user, instance=entry) for name in available
        }
        return context


KNOWLEDGE_ACTIONS: dict[str, Action] = {
    "publish": Action(
        forms.PublishForm, lambda u, e, data: services.publish_knowledge(u, e, **data), _("Published as knowledge.")
    ),
    "dismiss": Action(
        forms.DismissForm, lambda u, e, data: services.dismiss_knowledge(u, e, data["reason"]), _("Dismissed.")
    ),
}


class KnowledgeActionView(ObjectActionView):
    model = KnowledgeEntry
    actions = KNOWLEDGE_ACTIONS

    def get_success_url(self, saved=None):
        return reverse("assistance:knowledge-detail", args=[self.object.pk])


# --- subsidy statements -----------------------------------------------------------------------------------------

STATEMENT_VIEWERS = JUDGES | {Role.SUPERVISOR}


class StatementListView(RoleRequiredMixin, ScopedListView):
    """The subsidy statements of the user's counties (a city or province admin sees every county under them), with
    the form to compute a county's statement for a year."""

    model = SubsidyStatement
    filterset_class = StatementFilter
    select_related = ("county",)
    template_name = "assistance/statement_list.html"
    required_roles = STATEMENT_VIEWERS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        prepares = services.prepares_statements(user)
        context["compute_form"] = (
            forms.StatementForm(user=user, initial={"year": timezone.localdate().year - 1}) if prepares else None
        )
        return context


class StatementComputeView(RoleRequiredMixin, ServiceFormView):
    """POST county and year: freeze that county's subsidies into a draft statement (or recompute it)."""

    model = SubsidyStatement
    form_class = forms.StatementForm
    template_name = "assistance/statement_compute.html"
    required_roles = JUDGES
    edits_object = False
    success_message = _("The statement is computed.")

    def perform(self, form):
        return services.compute_statement(self.request.user, form.cleaned_data["county"], form.cleaned_data["year"])

    def get_success_url(self, saved=None):
        return services.statement_url(saved)


class StatementDetailView(ScopedDetailView):
    """A statement: its rows and totals per role, its review trail, and the buttons the user's level allows."""

    model = SubsidyStatement
    template_name = "assistance/statement_detail.html"
    select_related = ("county", "submitted_by", "city_approved_by", "approved_by", "returned_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = self.object
        rows = list(statement.rows.all())
        totals = {
            kind: (
                label,
                sum(row.services for row in rows if row.kind == kind),
                sum((row.amount for row in rows if row.kind == kind), Decimal("0.00")),
            )
            for kind, label in RecipientKind.choices
        }
        actions = services.statement_actions(self.request.user, statement) if context["can_change"] else set()
        context.update(
            rows=rows,
            totals=totals.values(),
            statement_forms={name: STATEMENT_ACTIONS[name].form(user=self.request.user) for name in sorted(actions)},
        )
        return context


STATEMENT_ACTIONS: dict[str, Action] = {
    "recompute": Action(
        forms.EmptyForm,
        lambda u, s, data: services.compute_statement(u, s.county, s.year),
        _("The statement is recomputed."),
    ),
    "submit": Action(forms.EmptyForm, lambda u, s, data: services.submit_statement(u, s), _("Submitted to the city.")),
    "approve": Action(forms.EmptyForm, lambda u, s, data: services.approve_statement(u, s), _("Approved.")),
    "return": Action(
        forms.ReasonForm, lambda u, s, data: services.return_statement(u, s, data["reason"]), _("Returned.")
    ),
}


class StatementActionView(ObjectActionView):
    model = SubsidyStatement
    select_related = ("county",)
    actions = STATEMENT_ACTIONS

    def get_success_url(self, saved=None):
        return services.statement_url(self.object)
