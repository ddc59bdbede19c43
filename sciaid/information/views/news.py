"""The managers' news pages: the list of their areas' items in every state (and, for everyone else logged in, the
published items meant for them), an item's page with its workflow buttons, the editor, and attachments.

Every button is one POST calling one service function; a refusal comes back as a message and changes nothing.
"""

from __future__ import annotations

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from sciaid.core.actions import ButtonView, Step, StepView, open_steps, refusals_as_errors, step_cards
from sciaid.core.forms import ActingUserForm
from sciaid.core.views import ProtectedFileView, RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from sciaid.information import services
from sciaid.information.filters import NewsFilter
from sciaid.information.forms import AttachmentForm, NewsForm, NoteForm
from sciaid.information.models import WRITERS, NewsAttachment, NewsItem
from sciaid.information.services import EDITABLE


class NewsListView(ScopedListView):
    """Items of the user's areas, newest first: managers see every state, other roles the published ones."""

    model = NewsItem
    filterset_class = NewsFilter
    select_related = ("area",)
    template_name = "information/item_list.html"
    paginate_by = 25
    export_name = "news"
    export_columns = [
        (_("Publish date"), lambda item, view: item.published_on.isoformat() if item.published_on else ""),
        (_("Title"), lambda item, view: item.title),
        (_("Category"), lambda item, view: item.get_category_display()),
        (_("Published for"), lambda item, view: item.area.name),
        (_("Status"), lambda item, view: item.get_status_display()),
    ]

    def get_queryset(self):
        return super().get_queryset().order_by("-published_on", "-updated_at", "-id")


class NewsDetailView(ScopedDetailView):
    """An item as its readers will see it, with its attachments and the steps open to the user."""

    model = NewsItem
    select_related = ("area", "published_by")
    template_name = "information/item_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        context.update(
            steps=step_cards(user, item, STEPS, open_steps(item, user, context["can_change"])),
            editable=context["can_change"] and item.status in EDITABLE,
            attachments=item.attachments.order_by("id"),
        )
        return context


class NewsFormView(RoleRequiredMixin, ServiceFormView):
    """Draft an item (no pk) or correct a draft."""

    model = NewsItem
    form_class = NewsForm
    template_name = "regions/form.html"
    required_roles = WRITERS

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or obj.status in EDITABLE)

    def perform(self, form):
        with refusals_as_errors():
            return services.save_item(self.request.user, instance=self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit news item") if self.object else _("Write a news item"),
            "cancel_url": self.object.get_absolute_url() if self.object else reverse("information:item-list"),
        }


STEPS: dict[str, Step] = {
    "submit": Step(
        ActingUserForm,
        lambda user, item, data: services.submit_item(user, item),
        _("Submitted for review."),
        button=_("Submit for review"),
    ),
    "publish": Step(
        ActingUserForm,
        lambda user, item, data: services.publish_item(user, item),
        _("Published: it is on the public pages and in the feed now."),
        button=_("Publish"),
    ),
    "return": Step(
        NoteForm,
        lambda user, item, data: services.return_item(user, item, data["note"]),
        _("Returned to draft."),
        button=_("Return to draft"),
        style="secondary",
    ),
    "withdraw": Step(
        NoteForm,
        lambda user, item, data: services.withdraw_item(user, item, data["note"]),
        _("Withdrawn from the public pages."),
        button=_("Withdraw"),
        style="secondary",
    ),
    "redraft": Step(
        ActingUserForm,
        lambda user, item, data: services.redraft_item(user, item),
        _("A draft again."),
        button=_("Edit again"),
    ),
}


class NewsActionView(StepView):
    """POST one step of an item's workflow; a refusal is shown on the item's page and changes nothing."""

    model = NewsItem
    steps = STEPS


class NewsDeleteView(ButtonView):
    """POST: remove a draft."""

    model = NewsItem
    form_class = ActingUserForm
    success_message = _("Deleted.")
    success_url = reverse_lazy("information:item-list")

    def perform(self, form):
        with refusals_as_errors():
            services.delete_item(self.request.user, self.object)
        return None

    def get_success_url(self, saved=None):
        return str(self.success_url)


# --- attachments -------------------------------------------------------------------------------------------------


class AttachmentFormView(RoleRequiredMixin, ServiceFormView):
    model = NewsItem
    form_class = AttachmentForm
    template_name = "information/form.html"
    required_roles = WRITERS
    success_message = _("Attachment added.")

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or obj.status in EDITABLE)

    def perform(self, form):
        data = form.cleaned_data
        with refusals_as_errors():
            services.add_attachment(self.request.user, self.object, title=data["title"], upload=data["file"])
        return self.object

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Add an attachment"),
            "cancel_url": self.object.get_absolute_url(),
        }


class AttachmentDeleteView(ButtonView):
    model = NewsAttachment
    form_class = ActingUserForm
    success_message = _("Attachment removed.")

    def perform(self, form):
        with refusals_as_errors():
            services.delete_attachment(self.request.user, self.object)
        return self.object.item

    def back_url(self) -> str:
        return self.object.item.get_absolute_url()


class AttachmentFileView(ProtectedFileView):
    """An attachment of an item in any state, for those who may see the item (the public one serves published
    items' attachments only)."""

    model = NewsAttachment
    file_field = "file"
