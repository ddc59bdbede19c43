"""The dashboard at /reports/: an area's indicators for a year (and a month for the monthly ones), as tables and
charts of the same numbers, each table downloadable (`?export=xlsx&table=<name>`); experts and info officers get
their own figures on the same page (`personal.py`).

Every number comes from `sciaid.reports.services.indicator_values` (a county live, a city or the province from the
stored county rows). A city or the province also shows its counties side by side, read from the same stored rows
in one grouped query (`county_figures`), and the trend by month of the monthly indicators (`indicator_months`, one
query): the query count does not grow with the number of counties. A county also shows the coverage of its poor
villages township by township.

Above a county the figures change only when the stored rows are refreshed, and are the same for every reader of
the area, so the rendered figures are cached per area, year, month, ranking, language and the year's latest refresh
(`stored_version`): a reader after the first pays for the session, the form and one index lookup, not for
the sums, the 180-row ranking and its rendering.
"""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from sciaid.assistance.statistics import default_period, parse_period
from sciaid.core.views import ScopedMixin
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.models import Area
from sciaid.reports.indicators import REGISTRY
from sciaid.reports.personal import EXPERT, personal_kind
from sciaid.reports.services import (
    MONTHS,
    indicator_areas,
    indicator_values,
    may_read_indicators,
    stored_version,
)
from sciaid.reports.views.exports import export_table
from sciaid.reports.views.personal import expert_table, officer_tables
from sciaid.reports.views.tables import (
    COMPARE_KEYS,
    DEFAULT_RANK,
    SECTIONS,
    ranking_table,
    section_table,
    townships_table,
    trend_table,
    values_by_key,
)

YEARS = (2000, 2100)
#: How long rendered figures above a county are kept at most (a refresh changes their key before that).
CACHE_SECONDS = 24 * 3600


def dashboard_areas(user):
    """The areas a dashboard exists for: the user's indicator areas down to counties."""
    return indicator_areas(user).filter(level__lte=AreaLevel.COUNTY)


def default_area(user) -> Area | None:
    """The user's widest area (the province for operators without a grant)."""
    return dashboard_areas(user).order_by("level", "code").first()


class DashboardForm(forms.Form):
    """The area (the user's, down to counties), the year and, for the monthly indicators, a month."""

    area = forms.ModelChoiceField(queryset=Area.objects.none(), to_field_name="code", label=_("Area"))
    year = forms.IntegerField(label=_("Year"), min_value=YEARS[0], max_value=YEARS[1])
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Whole year"))] + [(month, str(month)) for month in MONTHS],
        help_text=_("For the demand funnel, the SLA and satisfaction; the other figures exist per year."),
    )
    rank = forms.ChoiceField(label=_("Rank counties by"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = dashboard_areas(user)
        fit_area_widget(self.fields["area"], example="340422000000")
        self.fields["rank"].choices = [(key, REGISTRY[key].label) for key in COMPARE_KEYS]


class PersonalForm(forms.Form):
    """The year of an expert's or an info officer's own figures."""

    year = forms.IntegerField(label=_("Year"), min_value=YEARS[0], max_value=YEARS[1])


class DashboardView(ScopedMixin, TemplateView):
    """The dashboard of an area (see the module docstring). Roles that read no indicators are refused (403); an area
    outside the jurisdiction is a 404, as if it did not exist."""

    template_name = "reports/dashboard.html"
    #: The figures: rendered apart from the page, so that above a county they can be cached (module docstring).
    figures_template = "reports/dashboard_figures.html"
    #: The jurisdiction test checks every view reporting on an `?area=` (sciaid/tests/test_jurisdiction.py).
    reports_on_area = True

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (may_read_indicators(user) or personal_kind(user) is not None)

    def get(self, request, *args, **kwargs):
        user = request.user
        self.figures = self.figures_html = self.heading = None
        if not may_read_indicators(user):
            return self.get_personal(request, personal_kind(user))
        area = default_area(user)
        initial = {"area": area.code if area else "", "year": "", "rank": DEFAULT_RANK}
        data = {**initial, **request.GET.dict()}
        if not data["year"]:
            data["year"] = str(default_period(user).year)
        code = data["area"]
        # An area outside the jurisdiction is a 404 (the form would only call it an invalid choice).
        if code and Area.objects.filter(code=code).exists() and not indicator_areas(user).filter(code=code).exists():
            raise Http404
        self.form = DashboardForm(data, user=user)
        if not self.form.is_valid():
            return super().get(request, *args, **kwargs)
        if request.GET.get("export"):
            return export_table(self.compute(), request)
        cleaned = self.form.cleaned_data
        self.heading = f"{cleaned['area'].name} · {cleaned['year']}"
        key = self.cache_key()
        self.figures_html = cache.get(key) if key else None
        if self.figures_html is None:
            self.figures = self.compute()
            if self.figures:
                self.figures_html = render_to_string(self.figures_template, {"figures": self.figures})
                if key:
                    cache.set(key, self.figures_html, CACHE_SECONDS)
        return super().get(request, *args, **kwargs)

    def everyone(self) -> bool:
        """Whether the ranking shows every county (`?counties=all`) rather than its two ends."""
        return self.request.GET.get("counties") == "all"

    def cache_key(self) -> str | None:
        """The key of the rendered figures of an area above a county, or None (a county is live; a year never
        refreshed has nothing stored to key on)."""
        cleaned = self.form.cleaned_data
        area, year = cleaned["area"], cleaned["year"]
        if area.level >= AreaLevel.COUNTY:
            return None
        version = stored_version(year)
        if version is None:
            return None
        parts = (area.code, year, cleaned["month"], cleaned["rank"] or DEFAULT_RANK, self.everyone())
        return f"reports:dashboard:{':'.join(map(str, parts))}:{translation.get_language()}:{version.isoformat()}"

    def get_personal(self, request, kind: str):
        """An expert's own work or an info officer's own villages for a year (`sciaid.reports.personal`): the
        same page shell, charts, tables and downloads; no area to choose, the person is the jurisdiction."""
        data = {"year": request.GET.get("year") or str(default_period(request.user).year)}
        self.form = PersonalForm(data)
        if self.form.is_valid():
            year = self.form.cleaned_data["year"]
            tables = [expert_table(request.user, year)] if kind == EXPERT else officer_tables(request.user, year)
            self.figures = {
                "personal": kind,
                "year": year,
                "sections": tables,
                "tables": {table["name"]: table for table in tables},
                "slug": f"{kind}-{year}",
                "query": urlencode({"year": year}),
            }
            self.heading = f"{_('Your work') if kind == EXPERT else _('Your villages')} · {year}"
        if request.GET.get("export"):
            return export_table(self.figures, request)
        if self.figures:
            self.figures_html = render_to_string(self.figures_template, {"figures": self.figures})
        return super().get(request)

    def compute(self) -> dict | None:
        """Every table of the page ({name: table}), or None with the error on the form."""
        user, cleaned = self.request.user, self.form.cleaned_data
        area, year, month = cleaned["area"], cleaned["year"], cleaned["month"]
        year_period = parse_period(str(year))
        month_period = parse_period(f"{year}-{month:02d}") if month else year_period
        monthly_keys = [key for section in SECTIONS if section.monthly for key in section.keys]
        yearly_keys = [key for section in SECTIONS if not section.monthly for key in section.keys]
        try:
            if month:
                results = values_by_key(indicator_values(user, area, month_period, monthly_keys))
                results |= values_by_key(indicator_values(user, area, year_period, yearly_keys))
            else:
                results = values_by_key(indicator_values(user, area, year_period, monthly_keys + yearly_keys))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.form.add_error(field if field in self.form.fields else None, messages)
            return None
        tables = {}
        for section in SECTIONS:
            period = month_period if section.monthly else year_period
            tables[section.name] = section_table(section, period, results)
        refreshed = [result.refreshed_at for result in results.values() if result.refreshed_at]
        figures = {
            "area": area,
            "year": year,
            "month": month,
            "live": area.level == AreaLevel.COUNTY,
            "refreshed_at": min(refreshed) if refreshed else None,
            "sections": [tables[section.name] for section in SECTIONS],
            "slug": f"{area.code}-{month_period.text}",
        }
        if area.level == AreaLevel.COUNTY:
            tables["townships"] = figures["townships"] = townships_table(area, year)
        else:
            rank = cleaned.get("rank") or DEFAULT_RANK
            tables["ranking"] = ranking_table(area, year_period, rank, everyone=self.everyone())
            tables["trend"] = trend_table(user, area, year)
            figures["ranking"], figures["trend"] = tables["ranking"], tables["trend"]
        figures["tables"] = tables
        query = {"area": area.code, "year": year}
        if month:
            query["month"] = month
        if "ranking" in tables:
            query["rank"] = tables["ranking"]["rank"].key
        figures["query"] = urlencode(query)
        return figures

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, figures=self.figures, figures_html=self.figures_html, heading=self.heading)
        cleaned = getattr(self.form, "cleaned_data", {})
        # The ranking's field is for a city or the province (their counties side by side).
        context["ranked"] = "area" in cleaned and cleaned["area"].level < AreaLevel.COUNTY
        return context
