"""Achievement transformation in the demo: 寿县's catalogue of rice varieties and farming techniques (with a few of
the province's), the technology needs of its villages and cooperatives, and the transfers of 2020 in every state.

Everything goes through `sciaid.achievements.services` as the county admin and the province would do it, so the
search columns, the review trail and the audit log are those of real use.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from sciaid.accounts.models import User
from sciaid.achievements import services
from sciaid.achievements.choices import AchievementKind as K
from sciaid.achievements.choices import Maturity as M
from sciaid.achievements.choices import NeedStatus, RequesterKind, TransferMode
from sciaid.achievements.models import Achievement
from sciaid.experts.models import Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

YEAR = 2020
PROVINCE = "340000000000"
SHOUXIAN = "340422000000"
AHAU = "安徽农业大学"
AAAS = "安徽省农业科学院"
LIC, ASSIGN, COOP, FREE = (TransferMode.LICENCE, TransferMode.ASSIGNMENT, TransferMode.COOPERATION,
                           TransferMode.FREE_EXTENSION)  # fmt: skip

#: (title, kind, owner, maturity, industry codes, modes, price guide, description); the province's entries first.
PROVINCE_CATALOGUE = (
    ("皖垦糯1116", K.VARIETY, "安徽皖垦种业股份有限公司", M.MATURE, ("grain",), (LIC,), "面议",
     "优质糯稻品种，米质达部标二级，抗倒伏，适宜沿淮及江淮地区种植。"),
    ("测土配方施肥技术", K.TECHNIQUE, AAAS, M.MATURE, ("soil-fertiliser", "grain"), (FREE,), "免费推广",
     "依据土壤养分检测结果和作物需肥规律，提出氮磷钾及中微量元素的施用数量、时期和方法，节肥增效。"),
    ("农作物病虫害绿色防控技术", K.TECHNIQUE, AAAS, M.MATURE, ("plant-protection",), (FREE,), "免费推广",
     "集成理化诱控、生物防治和科学用药，减少化学农药使用量20%以上。"),
)  # fmt: skip
COUNTY_CATALOGUE = (
    ("皖稻68", K.VARIETY, AAAS, M.MATURE, ("grain",), (LIC,), "种子按市场价供应",
     "中籼迟熟水稻品种，株型紧凑，分蘖力强，亩产600公斤左右，抗稻瘟病。"),
    ("徽两优898", K.VARIETY, "安徽荃银高科种业股份有限公司", M.MATURE, ("grain",), (LIC,), "面议",
     "两系杂交中籼稻，高产稳产，耐高温，适宜安徽沿淮、江淮稻区作一季稻种植。"),
    ("徽两优996", K.VARIETY, "安徽荃银高科种业股份有限公司", M.DEMONSTRATED, ("grain",), (LIC,), "面议",
     "两系杂交中籼稻，米质优，抗倒性强，亩产可达650公斤。"),
    ("皖麦52", K.VARIETY, AAAS, M.MATURE, ("grain",), (LIC, COOP), "面议",
     "半冬性中熟小麦品种，抗赤霉病，籽粒饱满，适宜淮北及沿淮麦区种植。"),
    ("皖豆37", K.VARIETY, AAAS, M.DEMONSTRATED, ("oil-crops",), (LIC,), "面议",
     "夏大豆品种，蛋白质含量高，抗花叶病毒病，适宜沿淮地区麦茬夏播。"),
    ("皖杂油8号", K.VARIETY, AAAS, M.PILOT, ("oil-crops",), (COOP,), "合作开发",
     "双低杂交油菜品种，含油量高，抗菌核病，适宜稻油轮作。"),
    ("河蟹生态养殖技术", K.TECHNIQUE, "淮南市水产技术推广站", M.MATURE, ("river-crabs",), (FREE, COOP), "免费推广",
     "种草投螺、稀放精养、科学投喂和水质调控相结合，规格蟹比例提高，亩效益增加1500元以上。"),
    ("稻虾共作技术", K.TECHNIQUE, AHAU, M.MATURE, ("crayfish", "grain"), (FREE, COOP), "免费推广",
     "稻田开挖环沟，一季水稻两季小龙虾，减少化肥农药用量，亩均增收2000元。"),
    ("稻蟹综合种养技术", K.TECHNIQUE, AHAU, M.DEMONSTRATED, ("river-crabs", "grain"), (COOP,), "技术服务费面议",
     "水稻与河蟹共生，以蟹控草、以稻净水，生产优质稻米和生态河蟹。"),
    ("大棚蔬菜水肥一体化技术", K.TECHNIQUE, AAAS, M.MATURE, ("vegetables", "soil-fertiliser"), (COOP, LIC), "3万元/套",
     "滴灌与施肥结合，按作物需水需肥规律精准供给，节水40%、节肥30%，适用于设施蔬菜。"),
    ("设施蔬菜连作障碍综合治理技术", K.TECHNIQUE, AHAU, M.DEMONSTRATED, ("vegetables",), (COOP,), "面议",
     "土壤消毒、生物有机肥和轮作换茬结合，缓解大棚土壤盐渍化和土传病害。"),
    ("瓜蒌高产栽培技术", K.TECHNIQUE, "安徽省农业科学院园艺研究所", M.MATURE, ("chinese-herbs",), (FREE,), "免费推广",
     "选用皖蒌系列品种，搭架栽培、科学修剪和病虫害综合防治，亩产瓜蒌籽150公斤。"),
    ("食用菌袋料栽培技术", K.TECHNIQUE, AHAU, M.MATURE, ("edible-fungi",), (FREE, COOP), "免费推广",
     "利用秸秆、木屑等农业废弃物袋料栽培香菇、平菇，投入小、见效快，适合贫困户发展。"),
    ("黄桃优质丰产栽培技术", K.TECHNIQUE, AHAU, M.DEMONSTRATED, ("fruit-trees",), (COOP,), "面议",
     "开心形整形修剪、疏花疏果和套袋技术，提高果品商品率。"),
    ("生猪健康养殖与粪污资源化利用技术", K.TECHNIQUE, AHAU, M.MATURE, ("pigs", "soil-fertiliser"), (COOP,), "面议",
     "标准化猪舍、分阶段饲养和粪污发酵还田，实现种养结合。"),
    ("林下养鸡技术", K.TECHNIQUE, "寿县畜牧兽医水产服务中心", M.MATURE, ("poultry",), (FREE,), "免费推广",
     "利用林地放养土鸡，配套防疫程序和补饲方案，鸡肉品质好，售价高。"),
    ("肉牛秸秆青贮饲喂技术", K.TECHNIQUE, AAAS, M.MATURE, ("cattle",), (FREE,), "免费推广",
     "玉米秸秆全株青贮，配合精料科学饲喂，降低养殖成本，提高日增重。"),
    ("中华蜜蜂规模化饲养技术", K.TECHNIQUE, AHAU, M.PILOT, ("bees",), (COOP,), "面议",
     "活框饲养、分蜂控制和病敌害防治，提高蜂蜜产量和品质。"),
    ("稻麦秸秆机械化还田装备", K.EQUIPMENT, "安徽省农业机械化技术推广总站", M.MATURE, ("machinery",), (ASSIGN, LIC),
     "8万元/台", "一次作业完成秸秆粉碎、灭茬和旋耕，秸秆还田率90%以上。"),
    ("水稻精量穴直播机", K.EQUIPMENT, AHAU, M.DEMONSTRATED, ("machinery", "grain"), (LIC, ASSIGN), "5万元/台",
     "成穴成行精量播种，省去育秧移栽，每亩节本100元以上。"),
    ("小龙虾分级捕捞装置", K.PATENT, AHAU, M.PILOT, ("crayfish", "machinery"), (ASSIGN, LIC), "专利转让费面议",
     "实用新型专利，地笼分级出口，减少幼虾误捕。"),
    ("一种河蟹蜕壳期水质调控方法", K.PATENT, "淮南市水产技术推广站", M.PILOT, ("river-crabs",), (LIC,),
     "许可费2万元", "发明专利，通过增氧和微生物制剂调控蜕壳期水质，提高成活率。"),
    ("稻虾共作生产技术规程", K.STANDARD, "安徽省市场监督管理局", M.MATURE, ("crayfish", "grain"), (FREE,), "公开标准",
     "安徽省地方标准，规定稻虾共作的田间工程、苗种投放、饲养管理和捕捞要求。"),
    ("寿县瓜蒌生产技术规程", K.STANDARD, "寿县市场监督管理局", M.MATURE, ("chinese-herbs",), (FREE,), "公开标准",
     "县级地方标准，规定瓜蒌产地环境、栽培管理和采收贮藏要求。"),
)  # fmt: skip
#: Entries left unpublished: one waits for review, one is a draft, one was withdrawn.
IN_REVIEW, DRAFT, WITHDRAWN = "中华蜜蜂规模化饲养技术", "皖杂油8号", "一种河蟹蜕壳期水质调控方法"

#: (title, description, village index in the county, industry, requester kind, requester name)
NEEDS = (
    ("稻田综合种养技术需求", "村里低洼稻田多，想发展稻虾或稻蟹综合种养，缺少技术。", 0, "crayfish",
     RequesterKind.COOPERATIVE, "寿县姚祠水产养殖专业合作社"),
    ("河蟹养殖成活率低", "河蟹养殖蜕壳期死亡多，规格小，需要生态养殖技术指导。", 0, "river-crabs",
     RequesterKind.COOPERATIVE, "隐贤镇河蟹养殖合作社"),
    ("大棚蔬菜节水节肥", "蔬菜大棚浇水施肥靠人工，用工多、成本高，希望引进水肥一体化设备。", 5, "vegetables",
     RequesterKind.ENTERPRISE, "寿县绿源蔬菜种植有限公司"),
    ("优质水稻品种引进", "全乡水稻品种老化，米质一般，希望引进高产优质新品种。", 12, "grain",
     RequesterKind.COUNTY, "寿县农业农村局"),
    ("秸秆还田机械", "秸秆焚烧禁令下，需要秸秆粉碎还田机械。", 20, "machinery", RequesterKind.COOPERATIVE,
     "安丰镇农机专业合作社"),
    ("瓜蒌病害防治", "瓜蒌种植面积扩大后根腐病多发，需要栽培和病害防治技术。", 30, "chinese-herbs",
     RequesterKind.ENTERPRISE, "寿县蒌香农业发展有限公司"),
)  # fmt: skip

#: (achievement, recipient, village index, mode, value, signed, state, applied, households, registered picked)
TRANSFERS = (
    ("稻虾共作技术", "寿县姚祠水产养殖专业合作社", 0, FREE, "0", (3, 2), "evaluated", (4, 10), 36, 4),
    ("河蟹生态养殖技术", "隐贤镇河蟹养殖合作社", 0, FREE, "0", (3, 15), "applied", (4, 8), 30, 3),
    ("皖稻68", "寿县丰庄镇种粮大户联合体", 40, LIC, "12000", (4, 1), "evaluated", (5, 20), 58, 0),
    ("徽两优898", "寿县正阳关镇水稻种植合作社", 130, LIC, "15000", (4, 10), "applied", (5, 25), 42, 2),
    ("大棚蔬菜水肥一体化技术", "寿县绿源蔬菜种植有限公司", 5, COOP, "30000", (3, 20), "applied", (5, 5), 25, 2),
    ("食用菌袋料栽培技术", "安丰镇塘湾村", 20, FREE, "0", (2, 25), "evaluated", (3, 30), 18, 3),
    ("瓜蒌高产栽培技术", "寿县蒌香农业发展有限公司", 30, FREE, "0", (3, 5), "applied", (4, 2), 40, 0),
    ("稻麦秸秆机械化还田装备", "安丰镇农机专业合作社", 20, ASSIGN, "80000", (5, 18), "signed", None, 0, 0),
    ("水稻精量穴直播机", "寿县迎河镇农机合作社", 150, LIC, "50000", (6, 1), "negotiating", None, 0, 0),
    ("生猪健康养殖与粪污资源化利用技术", "联众畜牧养殖公司", 60, COOP, "20000", (6, 12), "applied", (8, 1), 15, 0),
    ("林下养鸡技术", "双桥镇林下养殖合作社", 25, FREE, "0", (4, 18), "applied", (5, 10), 22, 2),
    ("皖麦52", "寿县涧沟镇小麦种植合作社", 35, LIC, "8000", (9, 20), "applied", (10, 15), 35, 0),
    ("小龙虾分级捕捞装置", "寿县隐贤镇虾稻共作基地", 0, ASSIGN, "30000", (7, 1), "cancelled", None, 0, 0),
    ("肉牛秸秆青贮饲喂技术", "寿县堰口镇肉牛养殖合作社", 110, FREE, "0", (8, 5), "signed", None, 12, 0),
)  # fmt: skip
EVALUATION = "应用效果良好：亩均增收明显，带动贫困户稳定增收，农户满意度高。"


def build_achievements(admin: User, areas: dict[str, Area], users: dict[str, User]) -> Counter:
    """Enter, review and publish the catalogue, record the needs and the year's transfers; returns the counts."""
    county_admin = users["county_admin"]
    specialties = {s.code: s for s in Specialty.objects.all()}
    catalogue = {}
    for user, area, rows in ((admin, PROVINCE, PROVINCE_CATALOGUE), (county_admin, SHOUXIAN, COUNTY_CATALOGUE)):
        for index, row in enumerate(rows):
            catalogue[row[0]] = enter(
                user, areas[area], specialties, row, date(YEAR, 1, 10) + timedelta(days=3 * index)
            )
    villages = sorted(
        (area for code, area in areas.items() if code.startswith("340422") and area.level == AreaLevel.VILLAGE),
        key=lambda area: area.code,
    )
    needs = [
        services.save_need(
            county_admin,
            title=title,
            description=text,
            area=villages[index % len(villages)],
            industry=specialties[industry],
            requester_kind=kind,
            requester_name=name,
        )
        for title, text, index, industry, kind, name in NEEDS
    ]
    by_industry = {need.industry.code: need for need in needs}
    for row in TRANSFERS:
        record_transfer(county_admin, catalogue[row[0]], villages, by_industry, row)
    services.close_need(county_admin, needs[-1], "已对接瓜蒌高产栽培技术，需求关闭。")
    return Counter({"achievements": len(catalogue), "technology needs": len(needs), "transfers": len(TRANSFERS)})


def enter(user: User, area: Area, specialties: dict, row: tuple, day: date) -> Achievement:
    title, kind, owner, maturity, industries, modes, price, text = row
    item = services.save_achievement(
        user,
        title=title,
        kind=kind,
        owner=owner,
        area=area,
        maturity=maturity,
        transfer_modes=list(modes),
        price_guide=price,
        description=text,
        contact=f"{owner}成果转化办公室 0551-6578{len(title):04d}",
        industries=[specialties[code] for code in industries],
        regions=[] if area.code == PROVINCE else [area],
    )
    if title == DRAFT:
        return item
    services.submit_achievement(user, item)
    if title == IN_REVIEW:
        return item
    services.publish_achievement(user, item, on=day)
    if title == WITHDRAWN:
        services.withdraw_achievement(user, item, "专利权属变更，暂停转化。")
    return item


def record_transfer(user: User, item: Achievement, villages: list[Area], needs: dict, row: tuple) -> None:
    _title, recipient, index, mode, value, signed, state, applied, count, picked = row
    village = villages[index % len(villages)]
    households = list(Household.objects.filter(village=village).order_by("number")[:picked])
    codes = set(item.industries.values_list("code", flat=True))
    need = next(
        (n for code, n in needs.items() if code in codes and n.status == NeedStatus.OPEN and n.area.covers(village)),
        None,
    )
    transfer = services.save_transfer(
        user,
        achievement=item,
        need=need,
        recipient=recipient,
        area=village,
        mode=mode,
        contract_value=Decimal(value),
        signed_on=date(YEAR, *signed),
        households_count=max(count, len(households)),
        households=households,
    )
    if state in ("negotiating", "cancelled"):
        if state == "cancelled":
            services.cancel_transfer(user, transfer, "双方未就转让价格达成一致。")
        return
    services.sign_transfer(user, transfer)
    if state == "signed":
        return
    services.apply_transfer(user, transfer, on=date(YEAR, *applied))
    if state == "evaluated":
        services.evaluate_transfer(user, transfer, EVALUATION)
