"""Hand-made knowledge for the search and portal tests: articles with their stored words and pinyin computed by the
same functions the article services use, and published Q&A entries of a demand of village A1."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.html import strip_tags

from sciaid.assistance import services as assistance
from sciaid.assistance.choices import KnowledgeStatus
from sciaid.assistance.models import KnowledgeEntry
from sciaid.core.publishing import PublicationStatus
from sciaid.core.text import joined_tokens
from sciaid.experts.models import Specialty
from sciaid.regions.services import pinyin_of
from sciaid.training.articles.models import Article


def make_article(
    world, title: str, body: str = "", *, status=PublicationStatus.PUBLISHED, area="county_a", days_ago=0, summary=""
) -> Article:
    published = status == PublicationStatus.PUBLISHED
    # bulk_create: test data, written without the audit log (which is not what these tests are about).
    (article,) = Article.objects.bulk_create(
        [
            Article(
                title=title,
                summary=summary,
                body=body,
                area=world.areas[area],
                author=world.county_admin,
                status=status,
                published_at=timezone.now() - timedelta(days=days_ago) if published else None,
                words=joined_tokens(" ".join((title, summary, strip_tags(body)))),
                title_pinyin=" ".join(pinyin_of(title)),
            )
        ]
    )
    return article


def make_knowledge(world, title: str, body: str, *, status=KnowledgeStatus.PUBLISHED) -> KnowledgeEntry:
    demand = assistance.submit_demand(
        world.info_officer,
        title=title,
        description=body,
        specialty=Specialty.objects.get(code="river-crabs"),
        village=world.village_a1,
    )
    return KnowledgeEntry.objects.create(
        demand=demand,
        village=demand.village,
        specialty=demand.specialty,
        title=title,
        body=body,
        status=status,
        published_at=timezone.now() if status == KnowledgeStatus.PUBLISHED else None,
        search_tokens=joined_tokens(f"{title} {body}"),
    )
