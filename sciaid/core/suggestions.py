"""Answers offered while a farmer types a demand, from whichever apps have some: one small plug-in point.

The demand form (assistance) must not import the apps that hold knowledge (training's knowledge base, assistance's
own published solutions): DESIGN §4 forbids sideways imports. Instead each app registers a suggester when it starts
(`AppConfig.ready()`), and the form asks `suggestions()`:

    def knowledge_suggestions(user, text: str, limit: int) -> list[Suggestion]: ...
    register_suggester(knowledge_suggestions)

A suggester returns at most `limit` suggestions the user may read, best first. Scores of different suggesters are
not comparable (each ranks its own texts), so the lists are interleaved by rank: every source's best answer comes
before any source's second, and one large corpus cannot crowd the others out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    #: The beginning of the answer, shown under the title.
    snippet: str = ""
    #: Where it comes from, for the reader ("Knowledge entry", "Training article").
    source: str = ""
    score: float = 0.0


Suggester = Callable[[object, str, int], list[Suggestion]]

_suggesters: list[Suggester] = []


def register_suggester(suggester: Suggester) -> Suggester:
    """Add a source of suggestions (once, however often an app's ready() runs); usable as a decorator."""
    if suggester not in _suggesters:
        _suggesters.append(suggester)
    return suggester


def unregister_suggester(suggester: Suggester) -> None:
    if suggester in _suggesters:
        _suggesters.remove(suggester)


def suggestions(user, text: str, limit: int = 5) -> list[Suggestion]:
    """Up to `limit` suggestions for `text`, interleaved by rank across the registered suggesters.

    A suggester that fails is logged and skipped: a broken source must not break the demand form.
    """
    text = (text or "").strip()
    if not text or limit <= 0:
        return []
    lists = []
    for suggester in list(_suggesters):
        try:
            lists.append(list(suggester(user, text, limit))[:limit])
        except Exception:
            logger.exception("suggester %r failed", suggester)
    merged = [item for rank in zip_longest(*lists) for item in rank if item is not None]
    seen, unique = set(), []
    for item in merged:
        if item.url not in seen:
            seen.add(item.url)
            unique.append(item)
    return unique[:limit]


__all__ = ["Suggester", "Suggestion", "register_suggester", "suggestions", "unregister_suggester"]
