"""The hook through which commissioners' workstations and poverty-alleviation projects show on a site's page.

Those apps sit in the same layer as this one (DESIGN.md §4) and link to sites (`Workstation.demo_site`,
`Project.demo_sites`), so this app never imports them: each registers a provider here from its `AppConfig.ready`
(`commissioners.workstations.involvement`, `projects.involvement`), and the site's page lists what the providers
return for the reader — only the records they may open. The public page lists none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

#: provider(user, site) -> [(kind, label, url)] of the records the user may open that involve the site.
Provider = Callable[[object, object], Iterable[tuple[str, str, str]]]
_providers: list[Provider] = []


def register_involvement(provider: Provider) -> Provider:
    """Let an app list its records involved in a site (called from its AppConfig.ready, once however often)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def involved(user, site) -> list[tuple[str, str, str]]:
    """(kind, label, url) of every registered record involving `site` that `user` may open."""
    return [entry for provider in _providers for entry in provider(user, site)]
