"""Money as county staff write it, ¥12,394.00: one formatter for pages (the `yuan` template filter), messages and
the names of ledger entries, so an amount never appears as ¥30000.00 in one place and ¥30,000.00 in another."""

from __future__ import annotations

from decimal import Decimal


def yuan(value) -> str:
    """¥ with thousands separators and two decimals, from a Decimal, int or text (never through float); — for none."""
    if value is None or value == "":
        return "—"
    amount = Decimal(str(value))
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"
