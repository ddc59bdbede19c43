"""GIN indexes of the catalogue search on PostgreSQL (`sciaid.core.search`): stored words, title pinyin, initials."""

from django.db import migrations

from sciaid.core.search import gin_indexes

INDEXES = {"achv_words_fts": "words", "achv_pinyin_fts": "title_pinyin", "achv_initials_fts": "title_initials"}


class Migration(migrations.Migration):
    dependencies = [("achievements", "0002_need_source_demand")]

    operations = [gin_indexes("achievements_achievement", INDEXES)]
