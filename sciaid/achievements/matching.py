"""Which published achievements suit a technology need, best first, with the reasons shown.

The score is a weighted sum, like expert recommendation (`sciaid.assistance.recommend`):

    score = 3.0 · text       BM25 of the need's words over the achievement's stored words, divided by the best score
          + 2.0 · industry   1.0 same industry as the need, 0.5 a related one (same parent, or parent and child)
          + 1.5 · region     1.0 an applicable region covers the need's area, 0.5 applicable anywhere (no regions)
          + 1.0 · maturity   1.0 mature, 0.7 demonstrated, 0.4 pilot tested, 0.1 research stage

Candidates are the published achievements of the need's industry family, and those holding the need's longest
words (`sciaid.core.search.candidates`: all of them first, then each word's own, rarest first), at most
CANDIDATE_LIMIT of each; only the few shown are loaded whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from sciaid.achievements.choices import Maturity
from sciaid.achievements.models import Achievement, TechnologyNeed
from sciaid.core.publishing import PublicationStatus
from sciaid.core.search import candidates
from sciaid.core.text import bm25_scores
from sciaid.experts.models import Specialty
from sciaid.regions.choices import CODE_DIGITS

WEIGHTS = {"text": 3.0, "industry": 2.0, "region": 1.5, "maturity": 1.0}
RELATED_INDUSTRY = 0.5
ANYWHERE = 0.5
MATURITY = {Maturity.MATURE: 1.0, Maturity.DEMONSTRATED: 0.7, Maturity.PILOT: 0.4, Maturity.RESEARCH: 0.1}
CANDIDATE_LIMIT = 300
#: Why an achievement is proposed, translated only for those shown.
REASONS = {
    "text": gettext_lazy("Description matches the need (%(percent)d%%)"),
    "same": gettext_lazy("Same industry"),
    "related": gettext_lazy("Related industry"),
    "region": gettext_lazy("Applicable in the need's area"),
    "anywhere": gettext_lazy("Applicable anywhere"),
    "maturity": gettext_lazy("Maturity: %(maturity)s"),
}


@dataclass
class Match:
    achievement: Achievement
    score: float
    reasons: list[str]


def industry_family(industry: Specialty) -> tuple[set[int], set[int]]:
    """(the industry itself, the related ones: its parent, siblings and children) as primary keys."""
    related = set(Specialty.objects.filter(parent_id=industry.pk).values_list("pk", flat=True))
    if industry.parent_id:
        related |= set(Specialty.objects.filter(parent_id=industry.parent_id).values_list("pk", flat=True))
        related.add(industry.parent_id)
    related.discard(industry.pk)
    return {industry.pk}, related


def match_achievements(need: TechnologyNeed, limit: int = 10) -> list[Match]:
    """The published achievements best suited to `need`, best first, each with its score and reasons."""
    published = Achievement.objects.filter(status=PublicationStatus.PUBLISHED)
    same, related = industry_family(need.industry)
    query = need.words.split()
    in_family = published.filter(industries__in=same | related).order_by("-id").values_list("pk", flat=True)
    by_words = candidates(published, query, limit=CANDIDATE_LIMIT)
    ids = set(in_family.distinct()[:CANDIDATE_LIMIT]) | {pk for pk, _words in by_words}
    if not ids:
        return []
    rows = list(published.filter(pk__in=ids).values_list("pk", "words", "maturity"))
    industries: dict[int, set[int]] = {}
    for pk, specialty in Achievement.industries.through.objects.filter(achievement_id__in=ids).values_list(
        "achievement_id", "specialty_id"
    ):
        industries.setdefault(pk, set()).add(specialty)
    regions: dict[int, list[str]] = {}
    for pk, code, level in Achievement.regions.through.objects.filter(achievement_id__in=ids).values_list(
        "achievement_id", "area__code", "area__level"
    ):
        regions.setdefault(pk, []).append(code[: CODE_DIGITS[level]])
    text = bm25_scores(query, {pk: words.split() for pk, words, _ in rows})
    best_text = max(text.values(), default=0.0) or 1.0
    scored = []
    for pk, _words, maturity in rows:
        score, reasons = 0.0, []
        matched = text.get(pk, 0.0) / best_text
        if matched > 0:
            score += WEIGHTS["text"] * matched
            reasons.append((REASONS["text"], {"percent": round(matched * 100)}))
        owned = industries.get(pk, set())
        if owned & same:
            score += WEIGHTS["industry"]
            reasons.append((REASONS["same"], None))
        elif owned & related:
            score += WEIGHTS["industry"] * RELATED_INDUSTRY
            reasons.append((REASONS["related"], None))
        prefixes = regions.get(pk)
        if prefixes is None:
            score += WEIGHTS["region"] * ANYWHERE
            reasons.append((REASONS["anywhere"], None))
        elif any(need.area.code.startswith(prefix) for prefix in prefixes):
            score += WEIGHTS["region"]
            reasons.append((REASONS["region"], None))
        score += WEIGHTS["maturity"] * MATURITY.get(maturity, 0.0)
        reasons.append((REASONS["maturity"], {"maturity": Maturity(maturity).label}))
        scored.append((round(score, 3), pk, reasons))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    top = scored[:limit]
    loaded = Achievement.objects.select_related("area").in_bulk([pk for _, pk, _ in top])
    return [
        Match(loaded[pk], score, [str(text) % values if values else str(text) for text, values in why])
        for score, pk, why in top
    ]
