"""Plausible Chinese names for generated people, villages and places, drawn from a caller's seeded Random.

The demo county and the province-scale benchmark both draw from here, so their data looks alike and two runs with
the same seed produce the same names.
"""

from __future__ import annotations

import random

#: Common surnames of rural Anhui, most frequent first (weights fall off with rank).
SURNAMES = (
    "王张李刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏"
    "钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_MALE = "国建文明华志强永海春德新保成林平军金玉秀学庆福山利中兴家伟东杰"
GIVEN_FEMALE = "秀英兰芳玉梅桂珍凤霞红丽萍娟琴云美翠花敏燕"
#: Words put before a lineage surname in village names: 大王庄, 新张湾, 后李郢.
LANDMARKS = "大小新东西南北前后上中下高双三古老"
#: The last character before 村: the landform or settlement the village grew from.
VILLAGE_TAILS = "庄店湾岗圩集桥塘郢楼台寺湖沟营"
PLACE_TAILS = "安丰兴阳和平宁城泉山河源川江"


def person_name(rng: random.Random, female: bool = False) -> str:
    """A two- or three-character name; the surname drawn with a bias towards the common ones."""
    surname = SURNAMES[min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)]
    given = GIVEN_FEMALE if female else GIVEN_MALE
    length = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(given) for _ in range(length))


def village_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """`count` village names (X庄村, X店村, X湾村 …) not yet in `taken`, which is updated."""
    names = []
    while len(names) < count:
        draw = rng.random()
        surname = SURNAMES[rng.randrange(60)]
        if draw < 0.5:
            middle = surname
        elif draw < 0.8:
            middle = rng.choice(LANDMARKS) + surname
        else:
            middle = surname + SURNAMES[rng.randrange(60)]
        name = f"{middle}{rng.choice(VILLAGE_TAILS)}村"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def place_name(rng: random.Random, suffix: str, taken: set[str]) -> str:
    """A two-character place name with its level's suffix (市, 县, 镇, 乡), unique within `taken`."""
    while True:
        name = rng.choice(LANDMARKS + SURNAMES[:40]) + rng.choice(PLACE_TAILS) + suffix
        if name not in taken:
            taken.add(name)
            return name


def mobile_phone(rng: random.Random) -> str:
    """An 11-digit mainland mobile number on a China Mobile/Unicom/Telecom prefix."""
    return rng.choice(("139", "138", "137", "135", "158", "187", "155", "186", "133", "153", "180")) + (
        f"{rng.randrange(10**8):08d}"
    )
