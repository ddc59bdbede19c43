"""Samples of the knowledge base for the generic jurisdiction tests (imported by sciaid/training/tests/samples.py).

Article samples are drafts of each county's admin: a published article is read across the province on purpose, so
only an unpublished one shows that another county's work stays out of sight."""

from __future__ import annotations

from sciaid.tests.samples import COUNTY_ADMINS, URL_KWARGS, sample
from sciaid.training.articles import services
from sciaid.training.articles.models import Article

#: An article's review steps are one URL each.
URL_KWARGS["training:article-action"] = lambda article: {"pk": article.pk, "action": "publish"}


@sample(Article, fingerprints=lambda article: [article.title])
def article(world, county):
    title = f"Sample article {county.upper()}"
    found = Article.objects.filter(title=title).first()
    if found is not None:
        return found
    return services.save_article(
        world.users[COUNTY_ADMINS[county]],
        title=title,
        body="<p>Sample body</p>",
        area=world.areas[f"county_{county}"],
    )
