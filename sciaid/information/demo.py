"""The information service of the demo: 寿县's 2020 in news, policy notices, training notices and its publicity
briefings (寿县科技扶贫工作简报), a few of the province's notices, one draft and one item waiting for review; and the
weekly prices of common products at three of the county's markets through 2020.

News goes through `sciaid.information.services` as the county admin and the province would do it; the year's 1,248
prices are one bulk insert with their audit entries, as an import of the county's sheet would leave them. Prices follow
a seasonal curve with a little noise from a Random of this module's own, so the demo stays the same whatever the other
builders draw.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from sciaid.accounts.models import User
from sciaid.core import audit
from sciaid.information import services
from sciaid.information.choices import NewsCategory
from sciaid.information.models import MarketPrice, Product
from sciaid.regions.models import Area

SEED = 20201
YEAR = 2020
PROVINCE = "340000000000"
SHOUXIAN = "340422000000"
SHOUCHUN = "340422100000"
ZHENGYANGGUAN = "340422112000"
YINXIAN = "340422105000"

#: (publish date, category, title, text) of 寿县's items, in the order the year brought them.
COUNTY_ITEMS = (
    (
        (1, 15),
        NewsCategory.BRIEFING,
        "寿县科技扶贫工作简报（2020年第1期）",
        "全县选派科技特派员覆盖72个贫困村，冬季农业技术培训已举办12期。",
    ),
    (
        (2, 20),
        NewsCategory.NOTICE,
        "关于做好疫情防控期间春耕生产科技服务工作的通知",
        "各乡镇科技特派员通过电话、微信为农户开展线上技术指导，确保春耕不误农时。",
    ),
    (
        (3, 10),
        NewsCategory.POLICY,
        "寿县2020年科技特派员选派工作实施方案",
        "明确科技特派员选派条件、服务内容、考核办法和补助标准，实行一村一特派员全覆盖。",
    ),
    (
        (4, 8),
        NewsCategory.NEWS,
        "隐贤镇姚祠村河蟹生态养殖基地开塘投苗",
        "在科技特派员指导下，基地采用稻蟹共作模式，带动贫困户30户。",
    ),
    (
        (4, 28),
        NewsCategory.BRIEFING,
        "寿县科技扶贫工作简报（2020年第2期）",
        "一季度全县受理农户技术需求186件，办结率96%。",
    ),
    (
        (5, 12),
        NewsCategory.NOTICE,
        "关于举办科技特派员创新能力与现代农业发展培训班的通知",
        "定于5月22日至24日举办培训班，请各乡镇组织科技特派员按时参加。",
    ),
    (
        (6, 5),
        NewsCategory.NEWS,
        "寿县小麦机收进度过半 科技特派员田间指导抢收",
        "科技特派员深入田间地头，指导农户适时收获、科学晾晒。",
    ),
    (
        (6, 30),
        NewsCategory.POLICY,
        "寿县科技特派员工作站建设管理办法",
        "规范工作站申报、评审、备案和考核，鼓励企业和合作社建站带动贫困户。",
    ),
    (
        (7, 22),
        NewsCategory.NOTICE,
        "关于防汛救灾期间做好农业生产技术指导的通知",
        "各科技特派员要深入受灾村组，指导农户开展灾后生产自救。",
    ),
    (
        (8, 18),
        NewsCategory.BRIEFING,
        "寿县科技扶贫工作简报（2020年第3期）",
        "汛后补种改种技术指导覆盖受灾村41个，发放技术资料3000余份。",
    ),
    (
        (9, 9),
        NewsCategory.NOTICE,
        "关于举办致富带头人创业培训班的通知",
        "面向贫困村致富带头人开展为期三天的创业培训，名额有限，请各村信息员报名。",
    ),
    ((10, 16), NewsCategory.NEWS, "寿县稻虾共作示范面积达3万亩", "示范基地亩均增收1500元，带动贫困户稳定增收。"),
    (
        (11, 20),
        NewsCategory.BRIEFING,
        "寿县科技扶贫工作简报（2020年第4期）",
        "全年累计开展科技培训48期，培训农民2600余人次。",
    ),
    (
        (12, 10),
        NewsCategory.NOTICE,
        "关于开展2020年度科技特派员绩效考核的通知",
        "请各科技特派员于12月25日前提交年度服务总结和服务记录。",
    ),
)
#: The province's items, read in every county.
PROVINCE_ITEMS = (
    (
        (3, 2),
        NewsCategory.POLICY,
        "安徽省科技扶贫专项行动方案（2020年）",
        "聚焦贫困村产业发展，推进科技特派员、科技成果和科技服务进村入户。",
    ),
    (
        (9, 1),
        NewsCategory.NOTICE,
        "关于征集2021年度科技扶贫项目的通知",
        "请各县科技主管部门组织申报，申报截止日期为10月31日。",
    ),
)

#: Products, their unit and their price at the start of the year (yuan) and seasonal swing (share of the price).
PRODUCTS = (
    ("水稻", "元/公斤", Decimal("2.60"), 0.05),
    ("小麦", "元/公斤", Decimal("2.30"), 0.04),
    ("河蟹", "元/公斤", Decimal("96.00"), 0.25),
    ("小龙虾", "元/公斤", Decimal("36.00"), 0.35),
    ("生猪", "元/公斤", Decimal("36.00"), 0.12),
    ("鸡蛋", "元/公斤", Decimal("8.60"), 0.10),
    ("青菜", "元/公斤", Decimal("3.20"), 0.30),
    ("西瓜", "元/公斤", Decimal("3.00"), 0.40),
)
#: (name, area code, address) of the markets the county collects prices at.
MARKETS = (
    ("寿县城区农贸市场", SHOUCHUN, "寿春镇"),
    ("正阳关农产品批发市场", ZHENGYANGGUAN, "正阳关镇"),
    ("隐贤镇集贸市场", YINXIAN, "隐贤镇"),
)


def build_information(admin: User, areas: dict[str, Area], users: dict[str, User]) -> Counter:
    """Publish the year's news and collect the year's prices; returns how many of each were made."""
    counts: Counter[str] = Counter()
    county_admin = users["county_admin"]
    for (month, day), category, title, text in COUNTY_ITEMS:
        publish(county_admin, areas[SHOUXIAN], date(YEAR, month, day), category, title, text)
    for (month, day), category, title, text in PROVINCE_ITEMS:
        publish(admin, areas[PROVINCE], date(YEAR, month, day), category, title, text)
    counts["news items"] = len(COUNTY_ITEMS) + len(PROVINCE_ITEMS) + 2
    body = "<p>全县科技扶贫工作总结，待审核。</p>"
    waiting = services.save_item(county_admin, title="寿县2020年科技扶贫工作总结", area=areas[SHOUXIAN], body=body)
    services.submit_item(county_admin, waiting)
    services.save_item(county_admin, title="关于2021年春季农业技术培训的安排（草稿）", area=areas[SHOUXIAN], body=body)
    counts["market prices"] = collect_prices(county_admin, areas)
    return counts


def publish(user: User, area: Area, day: date, category: str, title: str, text: str) -> None:
    item = services.save_item(user, title=title, category=category, area=area, body=f"<p>{text}</p>")
    services.submit_item(user, item)
    services.publish_item(user, item, on=day)


def collect_prices(user: User, areas: dict[str, Area]) -> int:
    """Every Monday of the year, each product at each market: a seasonal curve, a market's margin, some noise."""
    rng = random.Random(SEED)
    products = [
        (Product.objects.get_or_create(name=name, defaults={"unit": unit})[0], start, swing)
        for name, unit, start, swing in PRODUCTS
    ]
    markets = [
        services.save_market(user, name=name, area=areas[code], address=address) for name, code, address in MARKETS
    ]
    first = date(YEAR, 1, 6)
    rows = []
    for week in range(52):
        day = first + timedelta(weeks=week)
        season = math.sin(2 * math.pi * week / 52)
        for index, market in enumerate(markets):
            for product, start, swing in products:
                factor = 1 + swing * season + 0.03 * index + rng.uniform(-0.02, 0.02)
                price = (start * Decimal(str(round(factor, 4)))).quantize(Decimal("0.01"))
                rows.append(MarketPrice(product=product, market=market, date=day, price=price, unit=product.unit))
    MarketPrice.objects.bulk_create(rows, batch_size=1000)
    audit.record_created(rows, note="seed_demo")
    return len(rows)
