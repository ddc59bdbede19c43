"""The news search's stored columns (`sciaid.core.search`): the jieba words of each item and its title's pinyin and
initials, filled for the items already written (as `services.save_item` keeps them from now on), and their GIN
indexes on PostgreSQL (not partial: see sciaid.core.search)."""

from django.db import migrations, models

from sciaid.core.search import gin_indexes
from sciaid.information.services import search_fields

BATCH = 2000


def fill(apps, schema_editor) -> None:
    """Every existing item's search columns, in batches (a province holds ~100,000 items)."""
    items = apps.get_model("information", "NewsItem").objects.using(schema_editor.connection.alias)
    batch = []
    for item in items.only("title", "summary", "body").order_by("pk").iterator(chunk_size=BATCH):
        item.words, item.title_pinyin, item.title_initials = search_fields(item.title, item.summary, item.body)
        batch.append(item)
        if len(batch) == BATCH:
            items.bulk_update(batch, ["words", "title_pinyin", "title_initials"])
            batch = []
    items.bulk_update(batch, ["words", "title_pinyin", "title_initials"])


class Migration(migrations.Migration):
    dependencies = [("information", "0001_information")]

    operations = [
        migrations.AddField(
            model_name="newsitem",
            name="words",
            field=models.TextField(blank=True, editable=False, verbose_name="search words"),
        ),
        migrations.AddField(
            model_name="newsitem",
            name="title_pinyin",
            field=models.CharField(blank=True, editable=False, max_length=600, verbose_name="title pinyin"),
        ),
        migrations.AddField(
            model_name="newsitem",
            name="title_initials",
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name="title initials"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        gin_indexes(
            "information_newsitem",
            {
                "info_news_words_fts": "words",
                "info_news_pinyin_fts": "title_pinyin",
                "info_news_initials_fts": "title_initials",
            },
        ),
    ]
