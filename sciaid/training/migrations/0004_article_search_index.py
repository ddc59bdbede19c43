"""GIN indexes for the knowledge-base search on PostgreSQL (see sciaid.core.search): full-text over the stored
jieba words and over the title's pinyin. Their expressions are exactly what the search filters on, so the planner
uses them. They cover every row, not only published ones: ANALYZE then keeps the expression's word statistics, which
the planner ignores on a partial index, and without them it reads a word in 94 % of the articles from the index
instead of scanning until it has enough. SQLite (the embedded default) has no GIN and searches with LIKE."""

from django.db import migrations

from sciaid.core.search import gin_indexes


class Migration(migrations.Migration):
    dependencies = [("training", "0003_figures")]

    operations = [
        gin_indexes(
            "training_article", {"training_article_words_fts": "words", "training_article_pinyin_fts": "title_pinyin"}
        )
    ]
