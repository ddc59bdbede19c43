"""What each role's home page lists. Apps add sections by registering a provider; core knows no domain."""

from __future__ import annotations

from collections.abc import Callable

#: Functions (user) -> list of sections; each section is {"title", "items": [{"label", "url", "count"?}]}.
_providers: list[Callable] = []


def register_home_section(provider: Callable) -> Callable:
    _providers.append(provider)
    return provider


def home_sections(user) -> list[dict]:
    sections = []
    for provider in _providers:
        sections.extend(provider(user) or [])
    return sections
