"""The managers' and commissioners' pages of industrial demonstration: sites with their steps, yearly figures
(typed in or imported), photos. The public pages are in `sciaid.demonstration.public`.

Every button is one POST calling one service function; a refusal comes back as a message and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.achievements.forms import NoteForm
from sciaid.core.actions import ButtonView, Step, StepView, open_steps, refusals_as_errors, step_cards
from sciaid.core.forms import ActingUserForm
from sciaid.core.roles import Role
from sciaid.core.scoping import VIEW
from sciaid.core.views import (
    ImportView,
    ProtectedFileView,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
)
from sciaid.demonstration import services
from sciaid.demonstration.filters import SiteFilter
from sciaid.demonstration.forms import FiguresForm, PhotoForm, SiteForm
from sciaid.demonstration.importers import FiguresImporter
from sciaid.demonstration.involvement import involved
from sciaid.demonstration.models import MANAGERS, DemoSite, SiteFigures, SitePhoto
from sciaid.regions.models import Household

SITE_JOINS = ("village", "village__parent", "industry")


class SiteListView(ScopedListView):
    """The sites of the user's areas (and those they serve), in every state."""

    model = DemoSite
    filterset_class = SiteFilter
    select_related = SITE_JOINS
    template_name = "demonstration/site_list.html"
    paginate_by = 25
    export_name = "demo-sites"
    export_columns = [
        (_("Name"), lambda site, view: site.name),
        (_("Kind"), lambda site, view: site.get_kind_display()),
        (_("Operator kind"), lambda site, view: site.get_operator_kind_display()),
        (_("Operator"), lambda site, view: site.operator_name),
        (_("Township"), lambda site, view: site.village.parent.name if site.village.parent else ""),
        (_("Village"), lambda site, view: site.village.name),
        (_("Industry"), lambda site, view: site.industry.name),
        (_("Area (mu)"), lambda site, view: site.area_mu),
        (_("Households driven"), lambda site, view: site.households_driven),
        (_("Of them poor households"), lambda site, view: site.poor_households_driven),
        (_("Status"), lambda site, view: site.get_status_display()),
    ]


SITE_STEPS: dict[str, Step] = {
    "publish": Step(
        ActingUserForm,
        lambda user, site, data: services.publish_site(user, site),
        _("Published: the site's public page is open."),
        button=_("Publish"),
    ),
    "close": Step(
        NoteForm,
        lambda user, site, data: services.close_site(user, site, data["note"]),
        _("Closed; its page and history stay public."),
        button=_("Close the site"),
        style="secondary",
    ),
    "reopen": Step(
        ActingUserForm,
        lambda user, site, data: services.reopen_site(user, site),
        _("Demonstrating again."),
        button=_("Reopen"),
    ),
}


class SiteDetailView(ScopedDetailView):
    """A site with everything: its demonstrations, commissioners, households, photos, yearly figures with a chart,
    the trainings held there, and the steps open to the user."""

    model = DemoSite
    select_related = SITE_JOINS
    template_name = "demonstration/site_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site, user = self.object, self.request.user
        figures = list(SiteFigures.objects.for_user(user, VIEW).filter(site=site).order_by("year"))
        context.update(
            steps=step_cards(user, site, SITE_STEPS, open_steps(site, user, context["can_change"])),
            achievements=site.achievements.all(),
            commissioners=site.commissioners.all(),
            households=Household.objects.for_user(user, VIEW)
            .filter(pk__in=site.poor_households.values("pk"))
            .select_related("village"),
            photos=SitePhoto.objects.for_user(user, VIEW).filter(site=site),
            figures=figures,
            charts=services.figures_chart(figures),
            events=services.visible_events(user, site).select_related("area")[:20],
            training=services.training_figures(site),
            involved=involved(user, site),
        )
        return context


class SiteFormView(RoleRequiredMixin, ServiceFormView):
    """Enter a site (no pk) or correct one."""

    model = DemoSite
    form_class = SiteForm
    template_name = "regions/form.html"
    required_roles = MANAGERS

    def perform(self, form):
        with refusals_as_errors():
            return services.save_site(self.request.user, instance=self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit site") if self.object else _("Enter a demonstration site"),
            "cancel_url": self.object.get_absolute_url() if self.object else reverse("demonstration:site-list"),
        }


class SiteActionView(StepView):
    model = DemoSite
    steps = SITE_STEPS


class SiteDeleteView(ButtonView):
    """POST: remove a site still being entered."""

    model = DemoSite
    form_class = ActingUserForm
    success_message = _("Deleted.")

    def perform(self, form):
        with refusals_as_errors():
            services.delete_site(self.request.user, self.object)
        return None

    def get_success_url(self, saved=None):
        return reverse("demonstration:site-list")


# --- yearly figures ----------------------------------------------------------------------------------------------


class FiguresFormView(ServiceFormView):
    """Enter one year's figures of the site `pk` (a year already entered is corrected): for the site's
    commissioners and its county. A site out of sight is a 404, one the user only reads a 403."""

    model = SiteFigures
    form_class = FiguresForm
    template_name = "regions/form.html"
    edits_object = False

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        if obj is None:
            return super().may_open(user)
        return services.sites_for_figures(user).filter(pk=obj.pk).exists()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not self.may_open(request.user):
                raise PermissionDenied
            self.site = get_object_or_404(DemoSite.objects.for_user(request.user, VIEW), pk=kwargs["pk"])
            if not self.may_open(request.user, self.site):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        with refusals_as_errors():
            services.record_figures(self.request.user, self.site, **form.service_fields())
        return self.site

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Enter yearly figures"),
            "object": self.site,
            "cancel_url": self.site.get_absolute_url(),
        }


class FiguresDeleteView(ButtonView):
    """POST: remove a year entered by mistake."""

    model = SiteFigures
    form_class = ActingUserForm
    success_message = _("Deleted.")

    def perform(self, form):
        with refusals_as_errors():
            services.delete_figures(self.request.user, self.object)
        return None

    def get_success_url(self, saved=None):
        return self.back_url()


class FiguresImportView(ImportView):
    model = SiteFigures
    importer_class = FiguresImporter
    job_kind = "demonstration.import_figures"
    required_roles = MANAGERS | {Role.EXPERT}
    heading = _("Import yearly figures of demonstration sites")


# --- photos ------------------------------------------------------------------------------------------------------


class PhotoFormView(RoleRequiredMixin, ServiceFormView):
    """Add photos to the site `pk`."""

    model = DemoSite
    form_class = PhotoForm
    template_name = "demonstration/upload.html"
    required_roles = MANAGERS
    success_message = _("Photos added.")

    def perform(self, form):
        data = form.cleaned_data
        services.add_photos(self.request.user, self.object, data["photos"], data["caption"])
        return self.object

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Add photos"),
            "cancel_url": self.object.get_absolute_url(),
        }


class PhotoFileView(ProtectedFileView):
    model = SitePhoto
    file_field = "image"


class PhotoDeleteView(ButtonView):
    model = SitePhoto
    form_class = ActingUserForm
    success_message = _("Deleted.")

    def perform(self, form):
        with refusals_as_errors():
            services.delete_photo(self.request.user, self.object)
        return None


class PhotoFirstView(ButtonView):
    """Make the photo the site's cover (shown first)."""

    model = SitePhoto
    form_class = ActingUserForm
    success_message = _("This photo now comes first.")

    def perform(self, form):
        with refusals_as_errors():
            services.put_photo_first(self.request.user, self.object)
        return None
