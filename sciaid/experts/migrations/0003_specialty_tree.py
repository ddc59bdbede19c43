"""Seed the specialty tree of issue 3 (planting, breeding, machinery, processing, e-commerce, other).

The tree is data that platform admins edit afterwards; this migration only plants the first version, and leaves any
node that already exists (same code) as the admins left it.
"""

from django.db import migrations

#: (code, Chinese name, English name, children)
TREE = [
    (
        "planting",
        "种植业",
        "Planting",
        [
            ("grain", "粮食作物", "Grain crops"),
            ("vegetables", "蔬菜", "Vegetables"),
            ("fruit-trees", "果树", "Fruit trees"),
            ("tea", "茶叶", "Tea"),
            ("edible-fungi", "食用菌", "Edible fungi"),
            ("chinese-herbs", "中药材", "Chinese herbs"),
            ("oil-crops", "油料作物", "Oil crops"),
            ("flowers-seedlings", "花卉苗木", "Flowers and seedlings"),
            ("soil-fertiliser", "土壤肥料", "Soil and fertiliser"),
            ("plant-protection", "植物保护", "Plant protection"),
        ],
    ),
    (
        "breeding",
        "养殖业",
        "Breeding",
        [
            ("pigs", "生猪", "Pigs"),
            ("cattle", "牛", "Cattle"),
            ("sheep", "羊", "Sheep and goats"),
            ("poultry", "家禽", "Poultry"),
            ("aquaculture", "水产", "Aquaculture"),
            ("river-crabs", "河蟹", "River crabs", "aquaculture"),
            ("crayfish", "小龙虾", "Crayfish", "aquaculture"),
            ("bees", "蜜蜂", "Bees"),
            ("veterinary", "动物防疫", "Animal disease control"),
        ],
    ),
    ("machinery", "农业机械", "Agricultural machinery", []),
    ("processing", "农产品加工", "Processing of farm products", []),
    ("e-commerce", "电子商务", "E-commerce", []),
    ("other", "其他", "Other", []),
]


def plant(apps, schema_editor):
    Specialty = apps.get_model("experts", "Specialty")
    existing = set(Specialty.objects.values_list("code", flat=True))

    def add(code, name_zh, name_en, parent, position):
        if code in existing:
            return Specialty.objects.get(code=code)
        return Specialty.objects.create(code=code, name_zh=name_zh, name_en=name_en, parent=parent, position=position)

    for position, (code, name_zh, name_en, children) in enumerate(TREE, start=1):
        root = add(code, name_zh, name_en, None, position)
        nodes = {code: root}
        for child_position, child in enumerate(children, start=1):
            child_code, child_zh, child_en, *under = child
            nodes[child_code] = add(child_code, child_zh, child_en, nodes[under[0]] if under else root, child_position)


class Migration(migrations.Migration):
    dependencies = [("experts", "0002_expertise_tokens")]

    operations = [migrations.RunPython(plant, migrations.RunPython.noop)]
