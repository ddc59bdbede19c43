"""GIN indexes for the knowledge-base search on PostgreSQL (see sciaid.training.search): full-text over the stored
jieba words and over the title's pinyin. Their expressions are exactly what the search filters on, so the planner
uses them. They cover every row, not only published ones: ANALYZE then keeps the expression's word statistics, which
the planner ignores on a partial index, and without them it reads a word in 94 % of the articles from the index
instead of scanning until it has enough. SQLite (the embedded default) has no GIN and searches with LIKE."""

from django.db import migrations

INDEXES = {
    "training_article_words_fts": "words",
    "training_article_pinyin_fts": "title_pinyin",
}


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON training_article "
            f"USING gin (to_tsvector('simple'::regconfig, COALESCE({column}, '')))"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("training", "0003_figures")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
