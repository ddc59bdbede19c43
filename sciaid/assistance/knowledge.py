"""Knowledge from solutions: scrubbing personal data out of a demand's text, and searching published entries.

An expert's solution summary becomes a `KnowledgeEntry` proposed for county review (services.propose_knowledge);
before anyone reviews it, `scrub` removes what identifies the farmer: mobile and landline numbers, 18-digit citizen
ID numbers, the names of the household head, the farmer and the requester, and the village's name. Reviewers may
edit the text; it is scrubbed again when published, so an edit cannot bring a phone number back.

`search_knowledge` ranks published entries by BM25 over their stored jieba words (sciaid.core.text), narrowed
first by the database to entries containing one of the query's longest words; `knowledge_suggestions` offers them
to the demand form through `sciaid.core.suggestions`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils.text import capfirst

from sciaid.assistance.choices import KnowledgeStatus
from sciaid.assistance.models import Demand, KnowledgeEntry
from sciaid.core.suggestions import Suggestion
from sciaid.core.text import bm25_scores, tokens

#: What replaces each kind of personal data (Chinese conventions: 某某 for a person, 某村 for a village).
ID_MARK = "*" * 18
PHONE_MARK = "1" + "*" * 10
LANDLINE_MARK = "****-*******"
NAME_MARK = "某某"
PLACE_MARK = "某村"

#: 17 digits and a check digit (0–9 or X), anywhere: a longer run of digits loses its first 18.
ID_NUMBER = re.compile(r"\d{17}[\dXx]")
#: A mainland mobile number, possibly written 139-1234-5678 or 139 1234 5678.
MOBILE = re.compile(r"1[3-9]\d(?:[-\s]?\d{4}){2}")
#: A landline with its area code: 0554-6621234, (0554)6621234.
LANDLINE = re.compile(r"\(?0\d{2,3}\)?[-\s]?\d{7,8}")
#: Names shorter than this are not scrubbed: a lone surname (王) would wipe every 王 out of the text.
MIN_NAME_LENGTH = 2

#: Published entries fetched by the database before BM25 ranks them exactly.
SEARCH_CANDIDATES = 200


def scrub(text: str, names: Iterable[str] = (), places: Iterable[str] = ()) -> str:
    """`text` without ID numbers, phone numbers, the given person names and place names.

    Longest names first, so "张三丰" is not left as "某某丰" by "张三"; ID numbers before phone numbers, which an ID
    number may contain.
    """
    text = ID_NUMBER.sub(ID_MARK, text or "")
    text = MOBILE.sub(PHONE_MARK, text)
    text = LANDLINE.sub(LANDLINE_MARK, text)
    for words, mark in ((names, NAME_MARK), (places, PLACE_MARK)):
        cleaned = sorted({w.strip() for w in words if w and len(w.strip()) >= MIN_NAME_LENGTH}, key=len, reverse=True)
        if cleaned:
            text = re.sub("|".join(re.escape(word) for word in cleaned), mark, text)
    return text


def personal_names(demand: Demand) -> list[str]:
    """The people a demand names: the farmer, the household head, the requester (their full name and login)."""
    names = [demand.farmer_name, demand.requester.full_name]
    if demand.household_id:
        names.append(demand.household.head_name)
    return [name for name in names if name]


def place_names(demand: Demand) -> list[str]:
    """The village's name, and without its suffix (姚祠村 → 姚祠) when that still reads as a name."""
    name = demand.village.name
    for suffix in ("居委会", "社区", "村"):
        if name.endswith(suffix):
            return [name, name[: -len(suffix)]]
    return [name]


def scrub_for(demand: Demand, text: str) -> str:
    """A text about `demand` without the personal data the demand carries or any text may carry."""
    return scrub(text, personal_names(demand), place_names(demand))


def knowledge_url(entry: KnowledgeEntry) -> str:
    return reverse("assistance:knowledge-detail", args=[entry.pk])


def search_knowledge(text: str, user, limit: int = 5) -> list[tuple[KnowledgeEntry, float]]:
    """Published entries the user may read that resemble `text`, best first, with their BM25 scores."""
    query = list(dict.fromkeys(tokens(text)))
    if not query:
        return []
    matches = Q()
    for word in sorted(query, key=len, reverse=True)[:8]:
        matches |= Q(search_tokens__contains=word)
    candidates = list(
        KnowledgeEntry.objects.for_user(user)
        .filter(status=KnowledgeStatus.PUBLISHED)
        .filter(matches)
        .select_related("specialty")
        .order_by("-published_at", "-pk")[:SEARCH_CANDIDATES]
    )
    scores = bm25_scores(query, {entry.pk: entry.search_tokens.split() for entry in candidates})
    ranked = sorted((e for e in candidates if scores.get(e.pk, 0) > 0), key=lambda e: (-scores[e.pk], -e.pk))
    return [(entry, round(scores[entry.pk], 3)) for entry in ranked[:limit]]


def knowledge_suggestions(user, text: str, limit: int) -> list[Suggestion]:
    """The suggester assistance registers (apps.py): published knowledge entries matching the farmer's words."""
    return [
        Suggestion(
            title=entry.title,
            url=knowledge_url(entry),
            snippet=entry.body[:120],
            source=capfirst(KnowledgeEntry._meta.verbose_name),
            score=score,
        )
        for entry, score in search_knowledge(text, user, limit)
    ]
