"""A trainee's and a trainer's own trainings, and the training statistics of an area and year (the page twin of
`GET /api/v1/reports/training/`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from sciaid.core.spreadsheets import FORMATS, export_response
from sciaid.core.views import RoleRequiredMixin, ScopedMixin
from sciaid.experts.models import Expert
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.models import Area
from sciaid.training.models import Registration, TrainingEvent
from sciaid.training.statistics import (
    STATISTICS_READERS,
    area_statistics,
    resolve_area_year,
    statistics_areas,
    trainer_statistics,
)
from sciaid.training.views.events import own_registrations


class MyTrainingsView(ScopedMixin, ListView):
    """What a farmer's household attended (and may still rate); for an expert, also the trainings they teach."""

    model = Registration
    template_name = "training/mine.html"
    paginate_by = 50

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        if not super().may_open(user, obj):
            return False
        return bool(getattr(user, "household_id", None)) or Expert.objects.filter(user_id=user.pk).exists()

    def get_queryset(self):
        return own_registrations(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["teaching"] = (
            TrainingEvent.objects.for_user(self.request.user)
            .filter(trainers__user=self.request.user)
            .with_figures()
            .select_related("area")
            .order_by("-starts_on", "-pk")[:50]
        )
        return context


class StatisticsForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), to_field_name="code")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = statistics_areas(user)
        fit_area_widget(self.fields["area"])


class StatisticsView(RoleRequiredMixin, ScopedMixin, TemplateView):
    """Events, trainees, distinct and poor-household trainees, satisfaction, by kind, and the trainers' table
    (`?export=xlsx|csv` downloads it) of `?area=<code>&year=<yyyy>`."""

    model = TrainingEvent
    template_name = "training/statistics.html"
    required_roles = STATISTICS_READERS
    #: The jurisdiction test checks every view reporting on an `?area=` (sciaid/tests/test_jurisdiction.py).
    reports_on_area = True

    def get(self, request, *args, **kwargs):
        try:
            self.area, self.year = resolve_area_year(request.user, request.GET.get("area"), request.GET.get("year"))
            self.errors = {}
        except ValidationError as exc:
            self.area, self.year, self.errors = None, None, exc.message_dict
        fmt = request.GET.get("export")
        if fmt:
            if fmt not in FORMATS or self.area is None:
                raise Http404
            return export_response(self.trainer_rows(), fmt, f"trainers-{self.area.code}-{self.year}")
        return super().get(request, *args, **kwargs)

    def trainer_rows(self) -> list[list]:
        header = [_("Trainer"), _("Organisation"), _("Events"), _("Trainees"), _("Mean rating"), _("Ratings")]
        rows = trainer_statistics(self.area, self.year)
        return [
            header,
            *[[r["name"], r["organisation"], r["events"], r["trainees"], r["mean_rating"], r["ratings"]] for r in rows],
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        initial = {"area": self.area.code if self.area else "", "year": self.year or ""}
        # What the address leaves out is the default the figures were computed for, so the form shows no error.
        form = StatisticsForm({**initial, **self.request.GET.dict()}, user=user)
        for field, errors in self.errors.items():
            form.add_error(field if field in form.fields else None, errors)
        context.update(form=form, area=self.area, year=self.year)
        if self.area is not None:
            context.update(
                stats=area_statistics(self.area, self.year),
                trainers=trainer_statistics(self.area, self.year),
                query_string=f"area={self.area.code}&year={self.year}",
            )
        return context
