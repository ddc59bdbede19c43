"""`{{ amount|yuan }}` → ¥12,394.00: money as county staff write it, from Decimal (never float); `{% totals_cells t %}`
→ the five cells budget, allocated, unallocated, spent, balance of a ledger row (a tag, not an include: the province
ledger renders hundreds of rows)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sciaid.funds.money import yuan

register = template.Library()
register.filter("yuan", yuan)


COLUMNS = (
    ("amount", _("Budget")),
    ("allocated", _("Allocated")),
    ("unallocated", _("Unallocated")),
    ("spent", _("Spent")),
    ("balance", _("Balance")),
)


def labels() -> list[tuple[str, str]]:
    """(attribute, escaped label) in the active language; built per call, not per cell."""
    return [(key, escape(label)) for key, label in COLUMNS]


@register.simple_tag
def totals_cells(totals) -> str:
    # Plain string building: this tag renders a province's hundreds of rows, and yuan() output needs no escaping.
    return mark_safe(
        "".join(f'<td class="num" data-label="{label}">{yuan(getattr(totals, key))}</td>' for key, label in labels())
    )


@register.simple_tag
def totals_headers() -> str:
    return mark_safe("".join(f'<th class="num">{label}</th>' for _key, label in labels()))
