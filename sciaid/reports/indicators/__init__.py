"""The indicators of every domain, one module each, registered in `registry.REGISTRY` when imported here."""

from sciaid.reports.indicators import (  # noqa: F401  (importing a module registers its indicators)
    achievements,
    assistance,
    commissioners,
    demonstration,
    funds,
    market,
    projects,
    regions,
    training,
)
from sciaid.reports.indicators.registry import REGISTRY, SOURCES, Indicator, Source, Unit

__all__ = ["REGISTRY", "SOURCES", "Indicator", "Source", "Unit"]
