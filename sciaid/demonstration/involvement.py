"""The hook through which commissioners' workstations and poverty-alleviation projects show on a site's page.

Those apps sit in the same layer as this one (DESIGN.md §4), so neither imports the other: the app that keeps the
link (a workstation located at a site, a project demonstrated there) registers a provider here once the layers let
it, and the site's page lists what the providers return. Until then no provider is registered and the page shows
nothing of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

#: provider(user, site) -> [(kind, label, url)] of the records the user may open that involve the site.
Provider = Callable[[object, object], Iterable[tuple[str, str, str]]]
_providers: list[Provider] = []


def register_involvement(provider: Provider) -> Provider:
    """Let an app list its records involved in a site (called from its AppConfig.ready)."""
    _providers.append(provider)
    return provider


def involved(user, site) -> list[tuple[str, str, str]]:
    """(kind, label, url) of every registered record involving `site` that `user` may open."""
    return [entry for provider in _providers for entry in provider(user, site)]
