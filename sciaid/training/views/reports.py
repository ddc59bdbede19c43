"""A trainee's and a trainer's own trainings, and the training statistics of an area and year (the page twin of
`GET /api/v1/reports/training/`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from sciaid.core.views import ScopedMixin
from sciaid.experts.models import Expert
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.models import Area
from sciaid.regions.reports import AreaYearReportView
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


class StatisticsView(AreaYearReportView):
    """Events, trainees, distinct and poor-household trainees, satisfaction, by kind, and the trainers' table
    (`?export=xlsx|csv` downloads it) of `?area=<code>&year=<yyyy>`."""

    model = TrainingEvent
    template_name = "training/statistics.html"
    required_roles = STATISTICS_READERS
    form_class = StatisticsForm
    export_name = "trainers"

    def resolve(self, user, area_code, year_text):
        return resolve_area_year(user, area_code, year_text)

    def report(self) -> dict:
        return {
            "stats": area_statistics(self.area, self.year),
            "trainers": trainer_statistics(self.area, self.year),
        }

    def export_rows(self) -> list[list]:
        header = [_("Trainer"), _("Organisation"), _("Events"), _("Trainees"), _("Mean rating"), _("Ratings")]
        rows = trainer_statistics(self.area, self.year)
        return [
            header,
            *[[r["name"], r["organisation"], r["events"], r["trainees"], r["mean_rating"], r["ratings"]] for r in rows],
        ]
