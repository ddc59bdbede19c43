"""Demo demands for 寿县 (and a few for 凤台县): a year of served demands in 2020, and open ones of the last days.

`DemoBuilder` calls `build_demands(self.rng, admin, areas, users, self.save)` after `build_experts`. Every draw comes
from the caller's Random, so two builds give the same demands; only the open demands' times follow the clock (they
are placed in the working days before the build, so some are within their SLA and some overdue, as on a real desk,
and the resolved ones still wait for their rating instead of being closed by the next sweep).

Rows are bulk-inserted with exactly the fields the services set at each step (sciaid.assistance.services): a demand
in state X carries the timestamps, deadline, escalation level and assignments that submit → triage → assign → accept
→ reply → resolve → rate/close → call back → judge would have left. The demo personas always find work: the triage
officer a submitted demand of 姚祠村, the `expert` login an assignment to accept, the `info_officer` a resolved demand
to rate.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from sciaid.accounts.models import RoleGrant, User
from sciaid.assistance import services
from sciaid.assistance.choices import (
    SERVED_STATES,
    AssignmentStatus,
    DemandStatus,
    KnowledgeStatus,
    ServiceMode,
    SlaStage,
    Urgency,
)
from sciaid.assistance.knowledge import scrub_for
from sciaid.assistance.models import JUDGEMENT_CRITERIA, Assignment, Demand, KnowledgeEntry, Message
from sciaid.assistance.services import due, rebuild_records
from sciaid.core import audit
from sciaid.core.calendar import WorkCalendar
from sciaid.core.names import person_name
from sciaid.core.roles import Role
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.experts.text import joined_tokens
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

YEAR = 2020
SHOUXIAN = "340422"
FENGTAI = "340421"
YAOCI = "340422105201"
OFFICERS_PER_TOWNSHIP = 2
#: How many demands end in each state: 2020's history first, then the open desk of the last days.
HISTORY = {"rated": 150, "desk_closed": 12, "auto_closed": 16, "merged": 8, "rejected": 8}
OPEN = {
    DemandStatus.SUBMITTED: 18,
    DemandStatus.TRIAGED: 8,
    DemandStatus.DECLINED: 4,
    DemandStatus.ASSIGNED: 14,
    DemandStatus.ACCEPTED: 10,
    DemandStatus.IN_SERVICE: 14,
    DemandStatus.RESOLVED: 10,
}
FENGTAI_SHARE = 0.07

#: (specialty code, title, description, solution summary) — the farmers' own words.
TEMPLATES = (
    (
        "crayfish",
        "小龙虾养殖水质发黑怎么办",
        "稻虾田{n}亩，最近几天水发黑发臭，小龙虾爬边上草，吃食明显减少。",
        "换水三分之一，泼洒底改和益生菌，减少投喂，暂停施肥，一周后水色转好。",
    ),
    (
        "crayfish",
        "小龙虾软壳不长个",
        "今年投苗{n}斤，虾壳软、个头小，一直长不大。",
        "补钙调水，每亩放养密度降到合理范围，增投动物性饲料，软壳明显减少。",
    ),
    (
        "crayfish",
        "稻虾共作田间管理",
        "第一年搞稻虾共作，{n}亩田，不知道环沟怎么挖、什么时候投苗。",
        "讲解环沟宽深比例、防逃设施和3月投苗时间，提供稻虾共作技术规程。",
    ),
    (
        "river-crabs",
        "河蟹蜕壳期管理",
        "蟹塘{n}亩，正值第三次蜕壳，死蟹增多，不知道怎么管。",
        "蜕壳前加注新水、补钙，保持水草覆盖率六成，蜕壳期间减少干扰，死蟹减少。",
    ),
    (
        "river-crabs",
        "蟹塘水草腐烂",
        "高温天气蟹塘伊乐藻大片腐烂上浮，水质变坏，担心河蟹缺氧。",
        "及时捞出腐草，割茬降低草头，开增氧机，泼洒解毒剂，两天后水质稳定。",
    ),
    (
        "river-crabs",
        "河蟹抖抖病防治",
        "{n}亩蟹塘，部分河蟹步足抖动、不吃食，陆续死亡。",
        "诊断为抖抖病，隔离病蟹，内服中草药制剂，改善底质，控制住了死亡。",
    ),
    (
        "aquaculture",
        "鱼塘浮头严重",
        "凌晨鱼大量浮头，{n}亩塘，怕泛塘。",
        "夜间开增氧机，泼洒增氧剂，减少投喂，降低密度，浮头消失。",
    ),
    (
        "aquaculture",
        "草鱼烂鳃病",
        "草鱼鳃丝发白腐烂，每天死十几条。",
        "确诊细菌性烂鳃，全池泼洒消毒剂，内服药饵五天，死亡停止。",
    ),
    (
        "grain",
        "水稻纹枯病防治",
        "中稻{n}亩，稻株基部出现云纹状病斑，往上蔓延。",
        "分蘖末期到孕穗期用井冈霉素或噻呋酰胺喷施两次，注意打到植株中下部。",
    ),
    (
        "grain",
        "水稻稻飞虱暴发",
        "晚稻田里稻飞虱很多，稻丛基部发黑，有的已经倒伏。",
        "用吡蚜酮对准基部喷雾，田间保持浅水，一周后复查虫量下降。",
    ),
    (
        "grain",
        "小麦赤霉病预防",
        "小麦{n}亩正在扬花，连续阴雨，怕得赤霉病。",
        "扬花初期用氰烯菌酯预防，5到7天后再喷一次，抢晴天作业。",
    ),
    (
        "grain",
        "小麦冻害补救",
        "寒潮后小麦叶片发黄干枯，不知道还能不能救。",
        "及时追施速效氮肥，叶面喷施磷酸二氢钾，促进分蘖恢复生长。",
    ),
    (
        "fruit-trees",
        "葡萄霜霉病",
        "葡萄园{n}亩，叶片背面长白霉，正面黄斑，落叶严重。",
        "剪除病叶，雨前喷保护性杀菌剂，发病后用烯酰吗啉交替用药，控制了蔓延。",
    ),
    (
        "fruit-trees",
        "梨树黑星病",
        "梨叶和果子上出现黑色霉斑，果子裂口。",
        "清园，花后到幼果期喷苯醚甲环唑等药剂三次，套袋保护果实。",
    ),
    (
        "fruit-trees",
        "桃树流胶怎么治",
        "桃树枝干流胶，树势越来越弱。",
        "刮除胶块涂药保护伤口，增施有机肥，控制负载量，树势恢复。",
    ),
    (
        "vegetables",
        "大棚蔬菜低温冻害",
        "大棚辣椒{n}亩，前几天降温，叶片发蔫发白。",
        "夜间加盖草帘保温，白天适当通风，喷施叶面肥和抗寒剂，植株恢复。",
    ),
    (
        "vegetables",
        "西红柿脐腐病",
        "大棚番茄果实底部发黑凹陷，坏果很多。",
        "属缺钙生理病，均匀浇水，叶面喷钙肥，坏果减少。",
    ),
    (
        "vegetables",
        "黄瓜霜霉病",
        "黄瓜叶片出现多角形黄斑，背面有黑霉。",
        "控湿降湿，喷施霜脲·锰锌，7天一次连喷三次。",
    ),
    (
        "edible-fungi",
        "食用菌菇房杂菌",
        "平菇菌袋长出绿色霉菌，已经坏了{n}袋。",
        "清除污染菌袋，菇房消毒，降低温湿度，加强通风，后续污染率下降。",
    ),
    (
        "edible-fungi",
        "香菇出菇少",
        "香菇菌棒转色后迟迟不出菇。",
        "拉大温差刺激出菇，注水补水，调节光照，一周后大量现蕾。",
    ),
    (
        "chinese-herbs",
        "白芍根腐病",
        "白芍地里有的植株萎蔫，挖出来根部腐烂。",
        "开沟排水，病株拔除，穴施石灰，用多菌灵灌根。",
    ),
    (
        "tea",
        "茶园小绿叶蝉",
        "夏茶嫩叶卷曲发黄，叶蝉很多。",
        "修剪清园，挂黄板诱杀，必要时用低毒药剂，注意采茶安全间隔期。",
    ),
    (
        "oil-crops",
        "油菜菌核病",
        "油菜{n}亩，茎秆上出现白色病斑，有的折断。",
        "初花期喷菌核净或咪鲜胺，清沟排渍，下季轮作。",
    ),
    (
        "pigs",
        "仔猪腹泻",
        "刚出生一周的仔猪拉黄稀粪，死了{n}头。",
        "诊断为仔猪黄痢，母猪产前免疫，仔猪口服抗菌药并补液，圈舍保温消毒。",
    ),
    (
        "pigs",
        "母猪产后不吃食",
        "母猪产后三天不吃食，奶水少。",
        "注射缩宫素排净恶露，补液消炎，喂易消化饲料，食欲恢复。",
    ),
    (
        "cattle",
        "肉牛育肥长得慢",
        "养了{n}头肉牛，喂了三个月膘情一般。",
        "驱虫健胃，调整精粗比例，增加青贮和能量饲料，日增重提高。",
    ),
    (
        "sheep",
        "湖羊腹泻",
        "湖羊圈里{n}只羊拉稀，精神不好，吃草少。",
        "检查为饲料突变加寄生虫，停喂霉变饲料，驱虫，口服补液盐，基本痊愈。",
    ),
    (
        "sheep",
        "羊口疮",
        "小羊嘴唇上长疮，结痂，吃奶困难。",
        "隔离病羊，清洗患处涂碘甘油，全群接种疫苗。",
    ),
    (
        "poultry",
        "鸡群产蛋下降",
        "蛋鸡{n}只，一周内产蛋率从九成降到七成。",
        "排查为热应激和饲料钙不足，加强通风降温，调整饲料，产蛋率回升。",
    ),
    (
        "poultry",
        "鸭子瘫痪站不起来",
        "肉鸭20日龄，有的腿软瘫痪。",
        "补充维生素和微量元素，治疗浆膜炎，改善垫料卫生。",
    ),
    (
        "veterinary",
        "养殖场消毒怎么做",
        "新建猪场，不知道消毒和免疫程序怎么安排。",
        "制定进出消毒、分区管理和免疫程序，提供消毒剂轮换使用表。",
    ),
    (
        "machinery",
        "植保无人机喷洒不均匀",
        "新买的植保无人机喷洒时有的地方打不到。",
        "校准流量和喷幅，调低飞行高度和速度，重新规划航线。",
    ),
    (
        "machinery",
        "插秧机漏插严重",
        "插秧机作业漏插多，秧苗栽不稳。",
        "调整取秧量和插深，检查秧苗盘根质量，漏插率降到正常。",
    ),
    (
        "processing",
        "大米加工碎米多",
        "小型碾米机碎米率高，卖不上价。",
        "调整砻谷机胶辊间隙，稻谷含水量控制在14%左右，碎米明显减少。",
    ),
    (
        "e-commerce",
        "农产品网上怎么卖",
        "家里有{n}斤土鸡蛋和大米，想在网上卖，不知道怎么开店。",
        "指导开通网店和短视频账号，拍摄产品图片，对接县电商服务中心物流。",
    ),
    (
        "soil-fertiliser",
        "秸秆还田后出苗差",
        "小麦秸秆还田后水稻出苗不齐，秧苗发黄。",
        "秸秆粉碎后深翻，配施腐熟剂和氮肥，泡田时间延长。",
    ),
    (
        "plant-protection",
        "除草剂药害",
        "打了除草剂后水稻叶片发黄卷曲。",
        "大水洗田，喷施芸苔素内酯等调节剂，追施速效肥，逐步恢复。",
    ),
)
#: The river-crab village's own demands, for the personas (姚祠村 hosts the river-crab workstation).
PERSONA_TEMPLATES = tuple(t for t in TEMPLATES if t[0] in {"river-crabs", "crayfish", "aquaculture"})
#: Demands that are not technical needs: the desk rejects them (title, description, reason).
NOT_TECHNICAL = (
    ("申请低保补助", "家里困难，想申请低保。", "属民政事项，请向乡镇民政办申请。"),
    ("村道路灯坏了", "村口路灯坏了好几天。", "不属于技术需求，已转村委会处理。"),
    ("想贷款买农机", "想贷款买一台收割机，找谁办。", "属金融政策咨询，请联系农商银行扶贫小额信贷。"),
    ("孩子上学补助", "孩子上高中，有什么补助。", "属教育资助事项，请咨询县教育局。"),
)
COMMENTS = ("专家很耐心，问题解决了", "指导及时，效果很好", "方法管用", "来得很快，谢谢专家", "还可以", "")
CALLBACK_ANSWERS = {
    True: ("专家指导有效，问题已解决", "很满意，专家还留了电话", "按专家说的做了，效果好"),
    False: ("问题没有完全解决", "专家回复太慢", "方法不太适合我家的情况"),
}
EXPERT_QUESTIONS = ("请拍几张照片发过来看看。", "发病多少天了？用过什么药？", "水温和pH值测了吗？")
REQUESTER_ANSWERS = ("照片已经发了，麻烦专家看看。", "发现三天了，还没用药。", "水温28度，pH没测。")
EXPERT_ADVICE = ("先按我说的处理，三天后反馈情况。", "明天上午我到现场看看。", "注意观察，有变化随时联系。")
INVALID_NOTES = ("常识性问题，不属于有效服务。", "回访未核实到服务内容。", "需求描述不完整。")


@dataclass
class Journey:
    """One demand on its way: the demand row, its assignments and messages, and the clock it is on."""

    demand: Demand
    assignments: list[Assignment] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


def build_demands(
    rng: random.Random,
    admin: User,
    areas: dict[str, Area],
    users: dict[str, User],
    save: Callable[[type, list, str], None],
) -> Counter:
    """Create the demo demands (and the township info officers who submit most of them), the knowledge their
    solutions became and the counties' subsidy statements; returns what was made."""
    counts = DemandPlanner(rng, admin, areas, users, save).build()
    counts.update(build_knowledge(users))
    counts.update(build_statements(areas, users))
    return counts


class DemandPlanner:
    def __init__(self, rng, admin, areas, users, save) -> None:
        self.rng, self.admin, self.areas, self.users, self.save = rng, admin, areas, users, save
        self.now = timezone.now().replace(microsecond=0)
        self.calendar = WorkCalendar(date(YEAR, 1, 1), timezone.localdate(self.now))
        self.step = settings.ASSISTANCE_ESCALATION_STEP_HOURS
        self.specialties = {s.code: s for s in Specialty.objects.all()}
        self.villages = sorted((a for a in areas.values() if a.level == AreaLevel.VILLAGE), key=lambda a: a.code)
        self.households: dict[int, list[Household]] = {}
        for household in Household.objects.filter(village__in=self.villages).order_by("number"):
            self.households.setdefault(household.village_id, []).append(household)
        self.used_households: set[int] = set()
        self.experts = list(Expert.objects.select_related("user", "home_area").order_by("pk"))
        self.expert_specialties: dict[int, set[str]] = {}
        for expert_id, code in Expert.specialties.through.objects.values_list("expert_id", "specialty__code"):
            self.expert_specialties.setdefault(expert_id, set()).add(code)
        self.paired: dict[int, list[Expert]] = {}
        by_id = {e.pk: e for e in self.experts}
        for expert_id, village_id in Pairing.objects.filter(year=YEAR).values_list("expert_id", "village_id"):
            self.paired.setdefault(village_id, []).append(by_id[expert_id])
        self.counts: Counter[str] = Counter()
        self.journeys: list[Journey] = []

    # --- people -----------------------------------------------------------------------------------------------

    def create_officers(self) -> dict[int, list[User]]:
        """Info officers for each township's villages (no usable password: they set theirs by the reset link); the
        personas keep their own villages. Returns the officers of each village."""
        officers: dict[int, list[User]] = {}
        for login in ("info_officer", "info_officer_b"):
            user = self.users.get(login)
            if user is not None:
                for grant in RoleGrant.objects.filter(user=user, role=Role.INFO_OFFICER).select_related("area"):
                    officers.setdefault(grant.area_id, []).append(user)
        townships = sorted((a for a in self.areas.values() if a.level == AreaLevel.TOWNSHIP), key=lambda a: a.code)
        password = make_password(None)
        plans: list[tuple[User, list[Area]]] = []
        for township in townships:
            villages = [v for v in self.villages if v.parent_id == township.pk and v.pk not in officers]
            for index in range(min(OFFICERS_PER_TOWNSHIP, len(villages))):
                own = villages[index::OFFICERS_PER_TOWNSHIP]
                user = User(
                    username=f"officer{len(plans) + 1:03d}",
                    password=password,
                    full_name=person_name(self.rng, female=self.rng.random() < 0.4),
                    organisation=f"{township.name}{own[0].name}村民委员会",
                )
                plans.append((user, own))
        User.objects.bulk_create([user for user, _ in plans])
        grants = [
            RoleGrant(user=user, role=Role.INFO_OFFICER, area=village, created_by=self.admin, updated_by=self.admin)
            for user, own in plans
            for village in own
        ]
        self.save(RoleGrant, grants, "info_officer_grants")
        for user, own in plans:
            for village in own:
                officers.setdefault(village.pk, []).append(user)
        self.counts["info_officers"] = len(plans)
        return officers

    def pick_expert(self, village: Area, specialty: str, avoid: Expert | None = None) -> Expert:
        """An expert who can reach the village: its paired commissioner when they know the field (or half the time
        anyway), else one of its county, city or province sharing the specialty, else any of them."""
        ancestors = set(village.ancestor_codes())
        reach = [e for e in self.experts if e.home_area.code in ancestors and e != avoid]
        paired = [e for e in self.paired.get(village.pk, []) if e != avoid]
        knowing = [e for e in paired if specialty in self.expert_specialties.get(e.pk, set())]
        if knowing or (paired and self.rng.random() < 0.5):
            return self.rng.choice(knowing or paired)
        matching = [e for e in reach if specialty in self.expert_specialties.get(e.pk, set())]
        return self.rng.choice(matching or reach or paired)

    # --- time -------------------------------------------------------------------------------------------------

    def after(self, moment: datetime, low_hours: float, high_hours: float) -> datetime:
        return moment + timedelta(seconds=round(self.rng.uniform(low_hours, high_hours) * 3600))

    def workday_moment(self, day: date) -> datetime:
        """A moment within office hours of a working day on or after `day`."""
        while not self.calendar.is_workday(day):
            day += timedelta(days=1)
        start = timezone.make_aware(datetime(day.year, day.month, day.day, 8))
        return start + timedelta(minutes=self.rng.randrange(9 * 60))

    def level(self, due_at: datetime | None, moment: datetime) -> int:
        """The escalation level the SLA sweep had raised a demand to by `moment` (0 while it is on time)."""
        if due_at is None or moment <= due_at:
            return 0
        late = self.calendar.work_hours_between(due_at, moment)
        return min(3, 1 + int(late // self.step))

    # --- demands ----------------------------------------------------------------------------------------------

    def build(self) -> Counter:
        officers = self.create_officers()
        self.officers = officers
        self.desk = self.users.get("triage") or self.admin
        shouxian = [v for v in self.villages if v.code.startswith(SHOUXIAN) and v.pk in officers]
        fengtai = [v for v in self.villages if v.code.startswith(FENGTAI) and v.pk in officers]
        self.persona_demands()
        for outcome, count in HISTORY.items():
            for _ in range(count):
                village = self.rng.choice(fengtai if fengtai and self.rng.random() < FENGTAI_SHARE else shouxian)
                self.history(outcome, village)
        for status, count in OPEN.items():
            for _ in range(count):
                village = self.rng.choice(fengtai if fengtai and self.rng.random() < FENGTAI_SHARE else shouxian)
                self.open_demand(status, village, self.rng.choice(officers[village.pk]))
        self.write()
        return self.counts

    def persona_demands(self) -> None:
        """The personas' work: in 姚祠村, a demand to triage, one waiting for the demo expert, one to rate; the
        farmer's own history and an open demand in service."""
        yaoci = self.areas.get(YAOCI)
        officer, expert_user, farmer = (self.users.get(k) for k in ("info_officer", "expert", "farmer"))
        if yaoci is None or officer is None:
            return
        expert = next((e for e in self.experts if expert_user and e.user_id == expert_user.pk), None)
        self.open_demand(DemandStatus.SUBMITTED, yaoci, officer, templates=PERSONA_TEMPLATES)
        for status in (DemandStatus.ASSIGNED, DemandStatus.RESOLVED, DemandStatus.IN_SERVICE):
            self.open_demand(status, yaoci, officer, expert=expert, templates=PERSONA_TEMPLATES)
        household = getattr(farmer, "household", None)
        if household is None:
            return
        self.used_households.add(household.pk)
        start = date(YEAR, 3, 2)
        for _ in range(3):
            journey = self.history("rated", yaoci, requester=farmer, household=household, start=start, expert=expert)
            start = timezone.localdate(journey.demand.closed_at) + timedelta(days=self.rng.randint(20, 60))
        self.open_demand(DemandStatus.ACCEPTED, yaoci, farmer, household=household, expert=expert)

    def new_demand(self, village, requester, submitted_at, *, household=None, templates=TEMPLATES) -> Journey:
        """A submitted demand, as `submit_demand` records it."""
        rng = self.rng
        code, title, description, _ = rng.choice(templates)
        description = description.format(n=rng.choice((3, 5, 8, 10, 12, 15, 20, 30, 50, 100)))
        is_farmer = requester.household_id is not None and household is not None
        if household is None and rng.random() < 0.6:
            free = [h for h in self.households.get(village.pk, []) if h.pk not in self.used_households]
            household = rng.choice(free) if free else None
        if household is not None:
            self.used_households.add(household.pk)
        demand = Demand(
            title=title,
            description=description,
            specialty=self.specialties[code],
            village=village,
            household=household,
            requester=requester,
            requester_role=Role.FARMER if is_farmer else Role.INFO_OFFICER,
            farmer_name=household.head_name if household else person_name(rng, rng.random() < 0.3),
            farmer_phone=household.phone if household else "",
            urgency=Urgency.URGENT if rng.random() < 0.2 else Urgency.NORMAL,
            preferred_mode=ServiceMode.ON_SITE if rng.random() < 0.35 else ServiceMode.ONLINE,
            status=DemandStatus.SUBMITTED,
            submitted_at=submitted_at,
            due_at=due(SlaStage.TRIAGE, submitted_at, self.calendar),
            created_by=requester,
            updated_by=requester,
        )
        demand.search_tokens = joined_tokens(f"{demand.title} {demand.description}")
        journey = Journey(demand)
        self.journeys.append(journey)
        return journey

    def triage(self, journey: Journey, at: datetime) -> None:
        journey.demand.status, journey.demand.triaged_at = DemandStatus.TRIAGED, at

    def assign(self, journey: Journey, at: datetime, expert: Expert) -> Assignment:
        demand = journey.demand
        demand.status = DemandStatus.ASSIGNED
        demand.triaged_at = demand.triaged_at or at
        demand.assigned_at, demand.due_at, demand.escalation_level = at, due(SlaStage.ACCEPT, at, self.calendar), 0
        assignment = Assignment(
            expert=expert, assigned_by=self.desk, assigned_at=at, created_by=self.desk, updated_by=self.desk
        )
        journey.assignments.append(assignment)
        return assignment

    def answer(self, assignment: Assignment, at: datetime, status: str, reason: str = "") -> None:
        assignment.status, assignment.decline_reason, assignment.responded_at = status, reason, at
        assignment.response_seconds = max(int((at - assignment.assigned_at).total_seconds()), 0)

    def accept(self, journey: Journey, at: datetime) -> None:
        demand = journey.demand
        self.answer(journey.assignments[-1], at, AssignmentStatus.ACCEPTED)
        demand.status, demand.accepted_at = DemandStatus.ACCEPTED, at
        demand.due_at, demand.escalation_level = due(SlaStage.RESOLVE, at, self.calendar), 0

    def decline(self, journey: Journey, at: datetime) -> None:
        demand = journey.demand
        self.answer(journey.assignments[-1], at, AssignmentStatus.DECLINED, "该问题不在我的专业范围，请改派其他专家。")
        demand.status, demand.due_at, demand.escalation_level = (
            DemandStatus.DECLINED,
            due(SlaStage.TRIAGE, at, self.calendar),
            0,
        )

    def message(self, journey: Journey, author: User, text: str, at: datetime, asks: bool = False) -> None:
        journey.messages.append(
            Message(author=author, text=text, asks_requester=asks, created_at=at, created_by=author, updated_by=author)
        )

    def serve(self, journey: Journey, at: datetime) -> datetime:
        """The expert's first reply puts the demand in service; sometimes the farmer is asked and answers."""
        demand, expert_user = journey.demand, journey.assignments[-1].expert.user
        demand.status = DemandStatus.IN_SERVICE
        if self.rng.random() < 0.5:
            self.message(journey, expert_user, self.rng.choice(EXPERT_ADVICE), at)
            return at
        index = self.rng.randrange(len(EXPERT_QUESTIONS))
        self.message(journey, expert_user, EXPERT_QUESTIONS[index], at, asks=True)
        answered = self.after(at, 1, 20)
        self.message(journey, demand.requester, REQUESTER_ANSWERS[index], answered)
        waited = max(self.calendar.work_hours_between(at, answered), 0.0)
        demand.paused_hours += waited
        demand.due_at = self.calendar.add_work_hours(demand.due_at, waited)
        return answered

    def resolve(self, journey: Journey, at: datetime) -> None:
        demand = journey.demand
        summary = next(t[3] for t in TEMPLATES if t[1] == demand.title)
        demand.escalation_level = max(demand.escalation_level, self.level(demand.due_at, at))
        demand.status, demand.solution_summary = DemandStatus.RESOLVED, summary
        demand.resolved_by, demand.resolved_at, demand.due_at, demand.paused_since = (
            journey.assignments[-1].expert,
            at,
            None,
            None,
        )

    def route(self, journey: Journey, start: datetime, expert: Expert | None = None) -> datetime:
        """Triage, assign (sometimes declined once and assigned again) and accept; returns the acceptance time."""
        rng, demand = self.rng, journey.demand
        at = self.after(start, 0.5, 30 if rng.random() < 0.1 else 8)
        if rng.random() < 0.3:
            self.triage(journey, at)
            at = self.after(at, 0.1, 3)
        code = demand.specialty.code
        if expert is None and rng.random() < 0.1:
            first = self.pick_expert(demand.village, code)
            self.assign(journey, at, first)
            at = self.after(at, 1, 20)
            self.decline(journey, at)
            at = self.after(at, 0.5, 6)
            expert = self.pick_expert(demand.village, code, avoid=first)
        self.assign(journey, at, expert or self.pick_expert(demand.village, code))
        at = self.after(at, 0.3, 60 if rng.random() < 0.1 else 24)
        self.accept(journey, at)
        return at

    def history(self, outcome, village, *, requester=None, household=None, start=None, expert=None) -> Journey:
        """A 2020 demand that ended as `outcome`: rated, closed by the desk or the sweep, merged or rejected."""
        rng = self.rng
        requester = requester or rng.choice(self.officers[village.pk])
        submitted = self.workday_moment(start or date(YEAR, 1, 2) + timedelta(days=rng.randrange(350)))
        if outcome == "rejected":
            title, description, reason = rng.choice(NOT_TECHNICAL)
            journey = self.new_demand(village, requester, submitted, household=household)
            demand = journey.demand
            demand.title, demand.description, demand.specialty = title, description, self.specialties["other"]
            demand.search_tokens = joined_tokens(f"{title} {description}")
            at = self.after(submitted, 1, 30)
            demand.status, demand.reject_reason = DemandStatus.REJECTED, reason
            demand.escalation_level, demand.due_at = self.level(demand.due_at, at), None
            return journey
        if outcome == "merged":
            original = self.history("rated", village)
            first = original.demand
            journey = self.new_demand(village, requester, self.after(first.submitted_at, 0.5, 4))
            demand = journey.demand
            demand.title, demand.specialty, demand.household = first.title, first.specialty, first.household
            demand.farmer_name, demand.farmer_phone = first.farmer_name, first.farmer_phone
            demand.search_tokens = joined_tokens(f"{demand.title} {demand.description}")
            demand.possible_duplicate_of = first if first.household_id else None
            demand.status, demand.merged_into, demand.due_at = DemandStatus.MERGED, first, None
            return journey
        journey = self.new_demand(village, requester, submitted, household=household)
        demand = journey.demand
        at = self.route(journey, submitted, expert)
        if rng.random() < 0.6:
            at = self.serve(journey, self.after(at, 0.2, 8))
        self.resolve(journey, self.after(at, 3, 150))
        if outcome == "rated":
            demand.rating = rng.choices((5, 4, 3, 2, 1), (55, 28, 10, 4, 3))[0]
            demand.rating_comment = rng.choice(COMMENTS)
            demand.rated_at = demand.closed_at = self.after(demand.resolved_at, 0.5, 100)
            for assignment in journey.assignments:
                if assignment.status == AssignmentStatus.ACCEPTED:
                    assignment.rating = demand.rating
        elif outcome == "desk_closed":
            demand.closed_at = self.after(demand.resolved_at, 30, 150)
        else:
            auto_close = settings.ASSISTANCE_AUTO_CLOSE_DAYS * 24
            demand.closed_at = self.after(demand.resolved_at, auto_close, auto_close + 1)
        demand.status = DemandStatus.CLOSED
        if rng.random() < 0.6:
            self.call_back(journey, self.after(demand.resolved_at, 20, 200))
        if rng.random() < 0.7:
            self.judge(journey, self.after(max(demand.closed_at, demand.called_at or demand.closed_at), 24, 300))
        return journey

    def call_back(self, journey: Journey, at: datetime) -> None:
        demand = journey.demand
        satisfied = demand.rating is None or demand.rating >= 3
        if self.rng.random() < 0.1:
            satisfied = not satisfied
        caller = self.rng.choice([self.desk, *self.officers.get(demand.village_id, [])])
        demand.called_at, demand.called_by = at, caller
        demand.callback_answer, demand.callback_satisfied = self.rng.choice(CALLBACK_ANSWERS[satisfied]), satisfied

    def judge(self, journey: Journey, at: datetime) -> None:
        """Valid when all five criteria hold; an invalid service misses one or two of them."""
        demand = journey.demand
        valid = self.rng.random() < 0.8 and demand.callback_satisfied is not False
        values = dict.fromkeys(JUDGEMENT_CRITERIA, True)
        if not valid:
            for name in self.rng.sample(JUDGEMENT_CRITERIA, self.rng.randint(1, 2)):
                values[name] = False
            demand.judgement_note = self.rng.choice(INVALID_NOTES)
        for name, value in values.items():
            setattr(demand, name, value)
        county = "county_admin" if demand.village.code.startswith(SHOUXIAN) else "county_admin_b"
        demand.valid, demand.judged_at, demand.judged_by = valid, at, self.users.get(county) or self.admin

    def open_demand(self, status, village, requester, *, household=None, expert=None, templates=TEMPLATES) -> None:
        """A demand of the last working days now in `status`; older ones may be overdue (escalated as the sweep
        would have done by now)."""
        rng = self.rng
        age_hours = rng.uniform(2, 60) if rng.random() < 0.7 else rng.uniform(80, 300)
        if status == DemandStatus.RESOLVED:
            age_hours = rng.uniform(30, 120)
        submitted = self.now - timedelta(seconds=round(age_hours * 3600))
        journey = self.new_demand(village, requester, submitted, household=household, templates=templates)
        demand = journey.demand
        span = (self.now - submitted).total_seconds() / 3600
        # Each step happens within the time left, so nothing lies in the future.
        marks = sorted(submitted + timedelta(hours=rng.uniform(0, span)) for _ in range(5))
        if status == DemandStatus.TRIAGED:
            self.triage(journey, marks[0])
        elif status == DemandStatus.DECLINED:
            self.assign(journey, marks[0], self.pick_expert(village, demand.specialty.code))
            self.decline(journey, marks[1])
        elif status != DemandStatus.SUBMITTED:
            self.assign(journey, marks[0], expert or self.pick_expert(village, demand.specialty.code))
            if status != DemandStatus.ASSIGNED:
                self.accept(journey, marks[1])
            if status in (DemandStatus.IN_SERVICE, DemandStatus.RESOLVED):
                expert_user = journey.assignments[-1].expert.user
                asks = status == DemandStatus.IN_SERVICE and rng.random() < 0.3
                demand.status = DemandStatus.IN_SERVICE
                self.message(
                    journey, expert_user, rng.choice(EXPERT_QUESTIONS if asks else EXPERT_ADVICE), marks[2], asks
                )
                demand.paused_since = marks[2] if asks else None
            if status == DemandStatus.RESOLVED:
                self.resolve(journey, marks[3])
                return
        if demand.due_at is not None:
            demand.escalation_level = self.level(demand.due_at, demand.paused_since or self.now)

    # --- writing ----------------------------------------------------------------------------------------------

    def write(self) -> None:
        """Insert the demands (duplicates after their originals), their assignments and messages, and audit them."""
        journeys = sorted(self.journeys, key=lambda j: j.demand.merged_into is not None)
        demands = [j.demand for j in journeys]
        for demand in demands:
            demand.created_at, demand.updated_at = demand.submitted_at, last_change(demand)
        originals = [d for d in demands if d.merged_into is None]
        insert(Demand, originals, ("submitted_at", "created_at", "updated_at"))
        insert(Demand, demands[len(originals) :], ("submitted_at", "created_at", "updated_at"))
        assignments = [a for j in journeys for a in j.assignments]
        messages = [m for j in journeys for m in j.messages]
        for journey in journeys:
            for row in (*journey.assignments, *journey.messages):
                row.demand = journey.demand
        for assignment in assignments:
            assignment.created_at = assignment.assigned_at
            assignment.updated_at = assignment.responded_at or assignment.assigned_at
        for message in messages:
            message.updated_at = message.created_at
        insert(Assignment, assignments, ("assigned_at", "created_at", "updated_at"))
        insert(Message, messages, ("created_at", "updated_at"))
        rebuild_records()  # the experts' service records, as the services would have kept them
        for objs, key in ((demands, "demands"), (assignments, "assignments"), (messages, "demand_messages")):
            audit.record_created(objs, note="seed_demo")
            self.counts[key] += len(objs)
        self.counts.update(f"demands_{d.status}" for d in demands)


def last_change(demand: Demand) -> datetime:
    moments = (
        demand.submitted_at,
        demand.triaged_at,
        demand.assigned_at,
        demand.accepted_at,
        demand.resolved_at,
        demand.closed_at,
        demand.called_at,
        demand.judged_at,
    )
    return max(m for m in moments if m is not None)


def insert(model, objs: list, stamps: tuple[str, ...]) -> None:
    """Bulk insert rows whose times are the journey's: the insert stamps `auto_now(_add)` fields with the present,
    so the planned times are written back in one bulk update."""
    planned = [tuple(getattr(obj, name) for name in stamps) for obj in objs]
    model.objects.bulk_create(objs, batch_size=500)
    for obj, values in zip(objs, planned, strict=True):
        for name, value in zip(stamps, values, strict=True):
            setattr(obj, name, value)
    model.objects.bulk_update(objs, list(stamps), batch_size=500)


# --- knowledge and subsidy statements ------------------------------------------------------------------------

#: Why the county desk dismissed the later solutions of a problem already published.
DUPLICATE_KNOWLEDGE = "与已发布的知识重复。"


def build_knowledge(users: dict[str, User]) -> Counter:
    """The knowledge entries resolving each served demand proposed (scrubbed as `services.propose_knowledge` does):
    the desk published the first solution of each kind of problem, keeps the second in its review queue, and
    dismissed the later ones as repeats. Returns how many of each."""
    reviewer = users.get("triage")
    served = (
        Demand.objects.filter(status__in=SERVED_STATES)
        .exclude(solution_summary="")
        .select_related("village", "household", "requester")
        .order_by("resolved_at", "pk")
    )
    seen: Counter[str] = Counter()
    entries = []
    for demand in served:
        seen[demand.title] += 1
        status = {1: KnowledgeStatus.PUBLISHED, 2: KnowledgeStatus.PENDING}.get(
            seen[demand.title], KnowledgeStatus.DISMISSED
        )
        entry = KnowledgeEntry(
            demand=demand,
            village_id=demand.village_id,
            specialty_id=demand.specialty_id,
            title=scrub_for(demand, demand.title)[:200],
            question=scrub_for(demand, demand.description),
            body=scrub_for(demand, demand.solution_summary),
            status=status,
        )
        entry.search_tokens = services.knowledge_tokens(entry.title, entry.question, entry.body)
        if status != KnowledgeStatus.PENDING and reviewer is not None:
            entry.reviewed_by, entry.reviewed_at = reviewer, demand.resolved_at + timedelta(days=1)
        if status == KnowledgeStatus.PUBLISHED:
            entry.published_at = entry.reviewed_at or demand.resolved_at
        if status == KnowledgeStatus.DISMISSED:
            entry.dismiss_reason = DUPLICATE_KNOWLEDGE
        entries.append(entry)
    KnowledgeEntry.objects.bulk_create(entries, batch_size=500)
    audit.record_created(entries, note="seed_demo")
    return Counter(f"knowledge_{entry.status}" for entry in entries)


def build_statements(areas: dict[str, Area], users: dict[str, User]) -> Counter:
    """YEAR's subsidy statements, made by the services themselves: 寿县's approved by the city and the province,
    凤台县's submitted and waiting for the city, where the `city_admin` login (a county admin granted on 淮南市)
    reviews it."""
    county_admin, fengtai_admin, province_admin, city_admin = (
        users.get(n) for n in ("county_admin", "county_admin_b", "admin", "city_admin")
    )
    if county_admin is None or province_admin is None or city_admin is None:
        return Counter()
    counties = {a.code[:6]: a for a in areas.values() if a.level == AreaLevel.COUNTY}
    made = Counter()
    for admin, prefix, approve in ((county_admin, SHOUXIAN, True), (fengtai_admin, FENGTAI, False)):
        if admin is None or prefix not in counties:
            continue
        admin.forget_grants()
        statement = services.compute_statement(admin, counties[prefix], YEAR)
        services.submit_statement(admin, statement)
        if approve:
            services.approve_statement(city_admin, statement)
            services.approve_statement(province_admin, statement)
        made[f"subsidy_statements_{statement.status}"] += 1
    return made
