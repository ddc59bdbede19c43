"""The managers' pages of achievement transformation: the catalogue with its review, technology needs with their
matches, and transfers with the figures of varieties and techniques introduced. The public catalogue is in
`sciaid.achievements.public`.

Every button is one POST calling one service function; a refusal comes back as a message and changes nothing.
"""

from __future__ import annotations

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from sciaid.achievements import services
from sciaid.achievements.choices import NeedStatus
from sciaid.achievements.filters import AchievementFilter, NeedFilter, TransferFilter
from sciaid.achievements.forms import AchievementForm, ApplyForm, MatchForm, NeedForm, NoteForm, TransferForm
from sciaid.achievements.matching import match_achievements
from sciaid.achievements.models import NEED_WRITERS, WRITERS, Achievement, TechnologyNeed, Transfer
from sciaid.achievements.statistics import introduced
from sciaid.core.actions import ButtonView, Step, StepView, open_steps, refusals_as_errors, step_cards
from sciaid.core.forms import ActingUserForm
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView

# --- the catalogue -----------------------------------------------------------------------------------------------


class AchievementListView(ScopedListView):
    """The catalogue entries of the user's areas in every state (for managers) and the published ones."""

    model = Achievement
    filterset_class = AchievementFilter
    select_related = ("area",)
    template_name = "achievements/achievement_list.html"
    paginate_by = 25
    export_name = "achievements"
    export_columns = [
        (_("Title"), lambda item, view: item.title),
        (_("Kind"), lambda item, view: item.get_kind_display()),
        (_("Owner institution"), lambda item, view: item.owner),
        (_("Maturity"), lambda item, view: item.get_maturity_display()),
        (_("Catalogue of"), lambda item, view: item.area.name),
        (_("Status"), lambda item, view: item.get_status_display()),
    ]


ACHIEVEMENT_STEPS: dict[str, Step] = {
    "submit": Step(
        ActingUserForm,
        lambda user, item, data: services.submit_achievement(user, item),
        _("Submitted for review."),
        button=_("Submit for review"),
    ),
    "publish": Step(
        ActingUserForm,
        lambda user, item, data: services.publish_achievement(user, item),
        _("Published: it is in the public catalogue now."),
        button=_("Publish"),
    ),
    "return": Step(
        NoteForm,
        lambda user, item, data: services.return_achievement(user, item, data["note"]),
        _("Returned to draft."),
        button=_("Return to draft"),
        style="secondary",
    ),
    "withdraw": Step(
        NoteForm,
        lambda user, item, data: services.withdraw_achievement(user, item, data["note"]),
        _("Withdrawn from the public catalogue."),
        button=_("Withdraw"),
        style="secondary",
    ),
    "redraft": Step(
        ActingUserForm,
        lambda user, item, data: services.redraft_achievement(user, item),
        _("A draft again."),
        button=_("Edit again"),
    ),
}


class AchievementDetailView(ScopedDetailView):
    """An entry with everything, contact included (for logged-in users), and the review steps open to the user."""

    model = Achievement
    select_related = ("area", "published_by")
    template_name = "achievements/achievement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        context.update(
            steps=step_cards(user, item, ACHIEVEMENT_STEPS, open_steps(item, user, context["can_change"])),
            editable=context["can_change"] and item.status in services.EDITABLE,
            industries=item.industries.all(),
            regions=item.regions.all(),
            transfer_query=f"achievement={item.pk}",
        )
        return context


class AchievementFormView(RoleRequiredMixin, ServiceFormView):
    """Enter an achievement (no pk) or correct a draft."""

    model = Achievement
    form_class = AchievementForm
    template_name = "regions/form.html"
    required_roles = WRITERS

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or obj.status in services.EDITABLE)

    def perform(self, form):
        with refusals_as_errors():
            return services.save_achievement(self.request.user, instance=self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit achievement") if self.object else _("Enter an achievement"),
            "cancel_url": self.object.get_absolute_url() if self.object else reverse("achievements:achievement-list"),
        }


class AchievementActionView(StepView):
    model = Achievement
    steps = ACHIEVEMENT_STEPS


class AchievementDeleteView(ButtonView):
    """POST: remove a draft never published."""

    model = Achievement
    form_class = ActingUserForm
    success_message = _("Deleted.")

    def perform(self, form):
        with refusals_as_errors():
            services.delete_achievement(self.request.user, self.object)
        return None

    def get_success_url(self, saved=None):
        return str(reverse_lazy("achievements:achievement-list"))


# --- technology needs --------------------------------------------------------------------------------------------


class NeedListView(ScopedListView):
    model = TechnologyNeed
    filterset_class = NeedFilter
    select_related = ("area", "industry")
    template_name = "achievements/need_list.html"
    paginate_by = 25
    export_name = "technology-needs"
    export_columns = [
        (_("Title"), lambda need, view: need.title),
        (_("Area"), lambda need, view: need.area.name),
        (_("Industry"), lambda need, view: need.industry.name),
        (_("Requester kind"), lambda need, view: need.get_requester_kind_display()),
        (_("Requester"), lambda need, view: need.requester_name),
        (_("Status"), lambda need, view: need.get_status_display()),
    ]


NEED_STEPS: dict[str, Step] = {
    "match": Step(
        MatchForm,
        lambda user, need, data: services.match_need(user, need, data["achievement"]),
        _("Matched."),
        button=_("Choose this achievement"),
    ),
    "close": Step(
        NoteForm,
        lambda user, need, data: services.close_need(user, need, data["note"]),
        _("Closed."),
        button=_("Close"),
        style="secondary",
    ),
    "reopen": Step(
        ActingUserForm,
        lambda user, need, data: services.reopen_need(user, need),
        _("Open again."),
        button=_("Reopen"),
    ),
}


class NeedDetailView(ScopedDetailView):
    """A need with the published achievements ranked for it and the reasons, while it is open."""

    model = TechnologyNeed
    select_related = ("area", "industry", "matched_achievement")
    template_name = "achievements/need_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        need, user = self.object, self.request.user
        available = open_steps(need, user, context["can_change"])
        context.update(
            matches=match_achievements(need),
            # Matching is offered on each suitable achievement below, not as a button of its own.
            can_match="match" in available,
            steps=step_cards(user, need, NEED_STEPS, available - {"match"}),
            editable=context["can_change"] and need.status == NeedStatus.OPEN,
            transfers=need.transfers.select_related("achievement").order_by("-signed_on"),
            transfer_query=f"achievement={need.matched_achievement_id}&need={need.pk}",
        )
        return context


class NeedFormView(RoleRequiredMixin, ServiceFormView):
    model = TechnologyNeed
    form_class = NeedForm
    template_name = "regions/form.html"
    required_roles = NEED_WRITERS

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or obj.status == NeedStatus.OPEN)

    def perform(self, form):
        with refusals_as_errors():
            return services.save_need(self.request.user, instance=self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit technology need") if self.object else _("Record a technology need"),
            "cancel_url": self.object.get_absolute_url() if self.object else reverse("achievements:need-list"),
        }


class NeedActionView(StepView):
    model = TechnologyNeed
    steps = NEED_STEPS


# --- transfers ---------------------------------------------------------------------------------------------------


class TransferListView(ScopedListView):
    """Transfers of the user's areas, and above them the new varieties and techniques they introduced per county
    and year (the same rows, before the list's filters)."""

    model = Transfer
    filterset_class = TransferFilter
    select_related = ("achievement", "area")
    template_name = "achievements/transfer_list.html"
    paginate_by = 25
    export_name = "transfers"
    export_columns = [
        (_("Date"), lambda t, view: t.signed_on.isoformat()),
        (_("Achievement"), lambda t, view: t.achievement.title),
        (_("Kind"), lambda t, view: t.achievement.get_kind_display()),
        (_("Recipient"), lambda t, view: t.recipient),
        (_("Area"), lambda t, view: t.area.name),
        (_("Transfer mode"), lambda t, view: t.get_mode_display()),
        (_("Contract value (yuan)"), lambda t, view: t.contract_value),
        (_("Households benefiting"), lambda t, view: t.households_count),
        (_("Status"), lambda t, view: t.get_status_display()),
        (_("Applied on"), lambda t, view: t.applied_on.isoformat() if t.applied_on else ""),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["introduced"] = introduced(Transfer.objects.for_user(self.request.user))
        return context


TRANSFER_STEPS: dict[str, Step] = {
    "sign": Step(
        ActingUserForm, lambda user, t, data: services.sign_transfer(user, t), _("Signed."), button=_("Signed")
    ),
    "apply": Step(
        ApplyForm,
        lambda user, t, data: services.apply_transfer(user, t, on=data["on"]),
        _("Applied: it counts as introduced now."),
        button=_("Applied"),
    ),
    "evaluate": Step(
        NoteForm,
        lambda user, t, data: services.evaluate_transfer(user, t, data["note"]),
        _("Evaluation recorded."),
        button=_("Evaluate"),
        style="secondary",
    ),
    "cancel": Step(
        NoteForm,
        lambda user, t, data: services.cancel_transfer(user, t, data["note"]),
        _("Cancelled."),
        button=_("Cancel"),
        style="secondary",
    ),
}


class TransferDetailView(ScopedDetailView):
    model = Transfer
    select_related = ("achievement", "area", "need")
    template_name = "achievements/transfer_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        transfer, user = self.object, self.request.user
        context.update(
            steps=step_cards(user, transfer, TRANSFER_STEPS, open_steps(transfer, user, context["can_change"])),
            editable=context["can_change"] and transfer.status in services.TRANSFER_EDITABLE,
            households=transfer.households.select_related("village").order_by("number"),
        )
        return context


class TransferFormView(RoleRequiredMixin, ServiceFormView):
    """Record a transfer (no pk; `?achievement=` and `?need=` fill the form) or correct one not yet applied."""

    model = Transfer
    form_class = TransferForm
    template_name = "regions/form.html"
    required_roles = WRITERS

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or obj.status in services.TRANSFER_EDITABLE)

    def get_initial(self):
        initial = super().get_initial()
        for name in ("achievement", "need"):
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = int(value)
        return initial

    def perform(self, form):
        with refusals_as_errors():
            return services.save_transfer(self.request.user, instance=self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit transfer") if self.object else _("Record a transfer"),
            "cancel_url": self.object.get_absolute_url() if self.object else reverse("achievements:transfer-list"),
        }


class TransferActionView(StepView):
    model = Transfer
    steps = TRANSFER_STEPS
