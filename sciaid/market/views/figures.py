"""The market figures of an area and year: the page twin of `GET /api/v1/reports/market/`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.market.models import Order
from sciaid.market.reports import FIGURE_READERS, figure_areas, resolve_area_year
from sciaid.market.services import market_figures
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.models import Area
from sciaid.regions.reports import AreaYearReportView


class FiguresForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), to_field_name="code")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = figure_areas(user)
        fit_area_widget(self.fields["area"])


class FiguresView(AreaYearReportView):
    """Purchases by buyer (against quota), supplier, county and month, category, and the households' income;
    `?export=xlsx|csv` downloads the table by buyer."""

    model = Order
    template_name = "market/figures.html"
    required_roles = FIGURE_READERS
    form_class = FiguresForm
    export_name = "market-buyers"

    def resolve(self, user, area_code, year_text):
        return resolve_area_year(user, area_code, year_text)

    def report(self) -> dict:
        return {"figures": market_figures(self.area, self.year)}

    def export_rows(self) -> list[list]:
        header = [_("Buyer institution"), _("Purchased (yuan)"), _("Reserved amount (yuan)"), _("Progress (%)")]
        rows = market_figures(self.area, self.year)["by_buyer"]
        return [header, *[[r["name"], r["purchased"], r["quota"], r["percent"]] for r in rows]]
