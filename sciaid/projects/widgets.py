"""The declaration's village picker: a county has ~200 villages, too many for a multi-select on a phone.

They come grouped by township, each group folded (`<details>`) unless a village in it is chosen, as checkboxes a
thumb can hit; a small script (no external request) adds a text box that filters by Chinese name or pinyin as you
type (姚祠, yaoci or yc all find 姚祠村). Without the script it is the same grouped list.
"""

from __future__ import annotations

from django import forms

from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


class VillagePicker(forms.CheckboxSelectMultiple):
    template_name = "projects/widgets/village_picker.html"
    option_template_name = "projects/widgets/village_option.html"

    class Media:
        css = {"all": ["projects/village_picker.css"]}
        js = ["projects/village_picker.js"]

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        #: {village id (text): its pinyin and initials}, matched by the filter besides the name.
        self.search: dict[str, str] = {}

    def offer(self, county: Area) -> None:
        """Offer the villages of `county`, grouped by township in division-code order: two queries."""
        townships = dict(county.descendants(level=AreaLevel.TOWNSHIP).values_list("code", "name"))
        groups: dict[str, list[tuple[int, str]]] = {}
        for pk, code, name, pinyin, initials in (
            county.descendants(level=AreaLevel.VILLAGE)
            .order_by("code")
            .values_list("pk", "code", "name", "pinyin", "initials")
        ):
            groups.setdefault(townships.get(code[:9].ljust(12, "0"), ""), []).append((pk, name))
            self.search[str(pk)] = f"{pinyin} {initials}"
        self.choices = list(groups.items())

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["search"] = self.search.get(str(value), "")
        return option

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        townships = [
            (township, options, sum(option["selected"] for option in options))
            for township, options, _index in context["widget"]["optgroups"]
        ]
        context["widget"]["townships"] = townships
        context["widget"]["chosen"] = sum(chosen for _township, _options, chosen in townships)
        return context
