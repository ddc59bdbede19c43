"""Base classes for HTML views: each names its model (and filterset, export columns, form and service) and gets
jurisdiction scoping, pagination, filtering, spreadsheet export and clean error handling for free.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from sciaid.core import audit
from sciaid.core.calendar import delete_calendar_day, fill_calendar_year, save_calendar_day
from sciaid.core.files import StoredFileMixin
from sciaid.core.filters import NotificationFilter, ObjectChangeFilter, checked, refused, refused_filters
from sciaid.core.forms import ActingUserForm, CalendarDayForm, CalendarYearForm, ImportForm, list_selects
from sciaid.core.homepage import home_sections
from sciaid.core.jobs import EXPORT_JOB, enqueue, export_params
from sciaid.core.links import openable_ids
from sciaid.core.models import CalendarDay, Job, Notification, ObjectChange
from sciaid.core.notifications import mark_read
from sciaid.core.pagination import CappedPaginator
from sciaid.core.protection import STILL_REFERRED, still_referred
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, PUBLIC, SCOPED, VIEW, granted_roles, is_unrestricted, may, may_act_on_some
from sciaid.core.spreadsheets import FORMATS, export_response


class PageAccessMixin:
    """One answer to "may this user open this page?", used both to serve it and to show links to it.

    Subclasses refine the classmethod `may_open(user, obj=None)` and call `super()`; `sciaid.core.links` asks the
    same classmethod before it renders a menu item, tab, button or link, so a link is never shown to a user its page
    would refuse. Anonymous users are sent to the login page by `LoginRequiredMixin`, not refused here.
    """

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_open(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedMixin(PageAccessMixin, LoginRequiredMixin):
    """Restricts a view's objects to the user's jurisdiction; a view without a scoped model refuses to serve.

    The page opens for users holding a role that may `action` the model somewhere (or who own such objects); with an
    object, for users who may `action` that very object.
    """

    scoping = SCOPED
    model: type[models.Model] | None = None
    #: Joins to load with the objects (keeps the query count flat).
    select_related: tuple[str, ...] = ()
    action = VIEW

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        if not super().may_open(user, obj):
            return False
        if obj is not None:
            return may(user, obj, cls.action)
        return cls.model is None or may_act_on_some(user, cls.model, cls.action)

    def get_queryset(self):
        if self.model is None or getattr(self.model, "scope", None) is None:
            raise PermissionDenied
        qs = self.unscoped_queryset().for_user(self.request.user, self.action)
        return qs.select_related(*self.select_related) if self.select_related else qs

    def unscoped_queryset(self):
        """The rows before the user's jurisdiction applies; narrowing here (a desk's open demands) narrows every
        branch of the scope's union too (`ScopedQuerySet.for_user`)."""
        return self.model._default_manager.all()


class ScopedListView(ScopedMixin, ListView):
    """A filtered, paginated list of what the user may see; `?export=xlsx|csv` downloads the same rows."""

    filterset_class = None
    paginate_by = 50
    paginator_class = CappedPaginator
    #: [(header, function(obj, view) -> value)] for exports; None means the list cannot be exported.
    export_columns: list[tuple[Any, Any]] | None = None
    export_name = "export"

    def get_queryset(self):
        qs = super().get_queryset()
        if self.filterset_class:
            self.filterset = checked(self.filterset_class(self.request.GET or None, queryset=qs, request=self.request))
            list_selects(self.filterset.form)
            # A filter that does not validate (an out-of-range year, a village outside the user's areas) shows its
            # error over an empty list, as the API answers 400: ignoring it would list and export everything.
            qs = qs.none() if refused(self.filterset) else self.filterset.qs
        else:
            self.filterset = None
        return qs

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt and self.export_columns is not None:
            if fmt not in FORMATS:
                raise Http404
            queryset = self.get_queryset()
            filterset = getattr(self, "filterset", None)
            if filterset is not None and refused(filterset):
                return HttpResponseBadRequest(refused_filters(filterset), content_type="text/plain; charset=utf-8")
            return self.export(queryset, fmt)
        return super().get(request, *args, **kwargs)

    def export(self, queryset, fmt: str):
        """Stream the rows at once, or, past EXPORT_JOB_THRESHOLD rows, hand them to a job with a progress bar.

        The job serves this same page again for the same user and query string (`sciaid.core.jobs.export_list`)
        and lands here with `request.export_job` set: it then writes the file for the job.
        """
        job = getattr(self.request, "export_job", None)
        if job is not None:
            job.save_export(self.export_rows(queryset), queryset.count(), fmt, self.export_name)
            return HttpResponse(status=204)
        threshold = settings.EXPORT_JOB_THRESHOLD
        # Counting stops just past the threshold: the question is only "more than that?".
        if queryset[: threshold + 1].count() > threshold:
            job = enqueue(EXPORT_JOB, self.request.user, export_params(self.request))
            return redirect("core:job-detail", pk=job.pk)
        return export_response(self.export_rows(queryset), fmt, self.export_name)

    def export_rows(self, queryset) -> Iterator[list]:
        """The header row, then one row per object, in the user's language."""
        yield [str(header) for header, _ in self.export_columns]
        for obj in queryset.iterator(chunk_size=2000):
            yield [value(obj, self) for _, value in self.export_columns]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        context["can_export"] = self.export_columns is not None
        return context


class ScopedDetailView(ScopedMixin, DetailView):
    """One object the user may see; anything outside their jurisdiction is a 404, as if it did not exist."""

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        """Without the object, only the object can answer: a user who may see none gets the same 404 as for an
        object that does not exist, so neither the role nor the object's existence shows."""
        return obj is None or super().may_open(user, obj)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Asked (one query) only when the page or the view reads it: many detail pages never do.
        user, obj = self.request.user, self.object
        context["can_change"] = SimpleLazyObject(lambda: may(user, obj, CHANGE))
        return context


class ProtectedFileView(StoredFileMixin, ScopedDetailView):
    """An uploaded file served only to those who may see its object, never from a public media URL (uploads may hold
    personal data); 404 when the object is out of sight, has no file, or the file is gone. Subclasses name the model
    and its `file_field` (vouchers, declaration documents, agreement scans, service-log photos). Range requests are
    answered (`sciaid.core.files`), so a phone can seek in a video or resume a download."""


class PublicFileView(StoredFileMixin, DetailView):
    """A file served without a login: the view's queryset holds only what its reader may have (an attachment of a
    published item; an article readable by the user), anything else is a 404. Range requests are answered."""

    scoping = PUBLIC


class ServiceFormView(ScopedMixin, FormView):
    """A form whose valid data goes to a service function; a refusal from the service becomes a form error.

    Subclasses set `form_class` and implement `perform(form)` (calling services) returning the object to show.
    For edits, `object` is looked up within the user's *change* scope, so editing outside it is a 404.
    """

    action = CHANGE
    success_message = _("Saved.")
    edits_object = True

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        user = request.user
        if user.is_authenticated:
            # Refuse by role before looking the object up, so a refusal says nothing about whether it exists.
            if not self.may_open(user):
                raise PermissionDenied
            if self.edits_object and self.kwargs.get("pk"):
                self.object = self._get_object_or_deny()
                if not self.may_open(user, self.object):
                    raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _get_object_or_deny(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except self.model.DoesNotExist:
            # Visible but not changeable is a refusal; invisible is a 404.
            if self.model._default_manager.for_user(self.request.user, VIEW).filter(pk=self.kwargs["pk"]).exists():
                raise PermissionDenied from None
            raise Http404 from None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form):
        try:
            saved = self.perform(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        except STILL_REFERRED as exc:
            return self.refused_deletion(form, still_referred(exc))
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url(saved))

    def perform(self, form):
        raise NotImplementedError

    def refused_deletion(self, form, reason: str):
        """A deletion the database refused (other records still refer to the object): a form shows the reason as
        its error; a button without a page of its own goes back to the object with the reason as a message."""
        if self.template_name is None:
            messages.error(self.request, reason)
            return HttpResponseRedirect(self.object.get_absolute_url() if self.object else reverse("home"))
        form.add_error(None, reason)
        return self.form_invalid(form)

    def get_success_url(self, saved=None):
        return saved.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context


# --- the core's own pages: home, audit log, jobs --------------------------------------------------------------


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role's starting page: their areas and the lists their work starts from. Visitors without a login get
    `public_view` instead when one is given (the public portal, wired in sciaid/urls.py: core knows no domain)."""

    scoping = PUBLIC
    template_name = "core/home.html"
    public_view = None

    def dispatch(self, request, *args, **kwargs):
        if self.public_view is not None and not request.user.is_authenticated:
            return self.public_view(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = home_sections(self.request.user)
        return context


class AuditLogView(ScopedListView):
    """Who changed what, when, old → new: supervisors and managers see the changes of their own areas, with phone
    and ID numbers masked unless their role may read them there (`audit.shown_to`)."""

    model = ObjectChange
    filterset_class = ObjectChangeFilter
    template_name = "core/audit_list.html"
    select_related = ("content_type",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for change in context["object_list"]:
            change.shown = audit.shown_to(self.request.user, change)
        return context


class AuditEntryView(ScopedDetailView):
    model = ObjectChange
    template_name = "core/audit_detail.html"
    select_related = ("content_type",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shown"] = audit.shown_to(self.request.user, self.object)
        return context


class JobListView(ScopedListView):
    model = Job
    template_name = "core/job_list.html"
    paginate_by = 25


class JobDetailView(ScopedDetailView):
    """A job's progress; the page polls the progress fragment with htmx until the job is finished."""

    model = Job
    template_name = "core/job_detail.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["core/job_progress.html"]
        return [self.template_name]


class JobResultView(ScopedDetailView):
    """The job's result file, served only to the job's owner (never from a public media URL: it may hold IDs)."""

    model = Job

    def get_queryset(self):
        # The owner only, even for operators whose scope is unrestricted: an export may hold personal data.
        return super().get_queryset().filter(requested_by=self.request.user)

    def render_to_response(self, context, **response_kwargs):
        if not self.object.result_file:
            raise Http404
        name = self.object.result_file.name.rsplit("/", 1)[-1]
        try:
            content = self.object.result_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(content, as_attachment=True, filename=name)


# --- role-gated pages and spreadsheet imports -------------------------------------------------------------------


class RoleRequiredMixin(PageAccessMixin):
    """Refuse (403) a logged-in user none of whose roles may use the page at all; anonymous users go to login."""

    required_roles: frozenset[str] = frozenset()

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        allowed = is_unrestricted(user) or bool(granted_roles(user) & cls.required_roles)
        return allowed and super().may_open(user, obj)


class ImportView(RoleRequiredMixin, ScopedMixin, FormView):
    """Upload a spreadsheet: small files import at once and show the report; large ones run as a job.

    `?template=xlsx|csv` downloads the blank template with an example row.
    """

    form_class = ImportForm
    template_name = "core/import.html"
    importer_class = None
    job_kind = ""
    heading = ""

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("template")
        if fmt in FORMATS:
            return self.importer_class.template(fmt)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = self.request.user
        uploaded = form.cleaned_data["file"]
        # The stored name is ours, never the uploader's; the extension tells the reader the format.
        uploaded.name = f"{self.job_kind.rsplit('.', 1)[-1]}.{form.extension}"
        if form.estimated_rows() > settings.IMPORT_JOB_THRESHOLD:
            job = enqueue(self.job_kind, user, input_file=uploaded)
            return redirect("core:job-detail", pk=job.pk)
        report = self.importer_class(user).run(uploaded)
        return self.render_to_response(self.get_context_data(form=self.form_class(user=user), report=report))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.heading
        context["columns"] = self.importer_class.columns
        return context


# --- the notification inbox ------------------------------------------------------------------------------------


class NotificationListView(ScopedListView):
    """The user's own inbox, newest first; unread messages stand out and can be marked read."""

    model = Notification
    filterset_class = NotificationFilter
    template_name = "core/notification_list.html"
    paginate_by = 25

    def get_queryset(self):
        # Own messages only, even for operators whose scope is unrestricted.
        return super().get_queryset().filter(recipient=self.request.user)


class NotificationReadView(ScopedMixin, View):
    """POST: mark one notification (pk) or all of them read, then go to its link (`open`) or back to the inbox."""

    model = Notification
    action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk: int | None = None):
        if pk is None:
            mark_read(request.user)
            return redirect("core:notification-list")
        notification = get_object_or_404(self.get_queryset().filter(recipient=request.user), pk=pk)
        mark_read(request.user, [notification.pk])
        target = notification.url
        if request.POST.get("open") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
            return HttpResponseRedirect(target)
        return redirect("core:notification-list")


# --- the work calendar -----------------------------------------------------------------------------------------

#: Who reads the calendar's page: county admins see what their SLA clocks run on; platform admins also keep it.
CALENDAR_READERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})


class WorkCalendarView(RoleRequiredMixin, ScopedListView):
    """One year's public holidays and make-up working days (`?year=`), next to the years that have any."""

    model = CalendarDay
    template_name = "core/calendar_list.html"
    required_roles = CALENDAR_READERS
    paginate_by = None

    def get_queryset(self):
        return super().get_queryset().filter(date__year=self.year)

    @property
    def year(self) -> int:
        year = self.request.GET.get("year", "")
        return int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_year = timezone.localdate().year
        kept = {day.year for day in CalendarDay.objects.dates("date", "year")}
        context.update(
            year=self.year,
            # Next year is offered even while empty: its days are entered as soon as they are announced.
            years=sorted(kept | {this_year, this_year + 1, self.year}),
            fill_form=CalendarYearForm(user=self.request.user, initial={"year": self.year}),
            # One query for the rows' edit and delete links (both pages open for the same days), not two a row.
            changeable=openable_ids(self.request.user, CalendarDayFormView, [day.pk for day in context["object_list"]]),
        )
        return context


class CalendarPageMixin(RoleRequiredMixin):
    """The calendar's edit pages: platform admins only; each `perform` returns the year to go back to."""

    model = CalendarDay
    required_roles = frozenset({Role.PLATFORM_ADMIN})

    @staticmethod
    def calendar_url(year: int | None = None) -> str:
        return f"{reverse('core:calendar')}?year={year}" if year else reverse("core:calendar")

    def get_success_url(self, saved=None):
        return self.calendar_url(saved)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.calendar_url(self.object.date.year if self.object else None)
        return context


class CalendarDayFormView(CalendarPageMixin, ServiceFormView):
    """Enter a holiday or make-up working day (no pk), or correct one."""

    form_class = CalendarDayForm
    template_name = "core/calendar_form.html"

    def perform(self, form):
        return save_calendar_day(self.request.user, instance=self.object, **form.service_fields()).date.year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Change a calendar day") if self.object else _("Add a calendar day")
        return context


class CalendarDayDeleteView(CalendarPageMixin, ServiceFormView):
    """Asks, then removes one entry: the date follows the default week again."""

    form_class = ActingUserForm
    template_name = "core/calendar_delete.html"
    success_message = _("Deleted.")

    def perform(self, form):
        year = self.object.date.year
        delete_calendar_day(self.request.user, self.object)
        return year


class CalendarFillView(CalendarPageMixin, ServiceFormView):
    """POST a year: copy the `chinesecalendar` package's days of that year that the calendar lacks."""

    form_class = CalendarYearForm
    edits_object = False
    http_method_names = ["post"]

    def perform(self, form):
        year = form.cleaned_data["year"]
        added = fill_calendar_year(self.request.user, year)
        self.success_message = ngettext(
            "%(count)d day of %(year)d added from the chinesecalendar package.",
            "%(count)d days of %(year)d added from the chinesecalendar package.",
            added,
        ) % {"count": added, "year": year}
        return year

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return redirect("core:calendar")
