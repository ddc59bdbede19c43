"""GIN indexes of the product catalogue search on PostgreSQL (`sciaid.core.search`): stored words, pinyin, initials."""

from django.db import migrations

from sciaid.core.search import gin_indexes

INDEXES = {
    "market_product_words_fts": "words",
    "market_product_pinyin_fts": "pinyin",
    "market_product_initials_fts": "initials",
}


class Migration(migrations.Migration):
    dependencies = [("market", "0001_suppliers_products_orders")]

    operations = [gin_indexes("market_product", INDEXES)]
