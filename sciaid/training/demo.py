"""The trainings of the demo, as the seeds tell 寿县's 2020: the course for its S&T commissioners (May 22–24, 54
trainees: "a training course on science and technology commissioners' innovative ability and modern agricultural
development was held, training 54 people"), practical-technology trainings for the farmers of its poor villages
through the year, a training for entrepreneur leaders in late July, an on-site demonstration at 姚祠村's crab ponds
and an online course; two trainings in 凤台县; and, relative to today, one training coming up in 姚祠村 (the demo
info officer's village) open for registration, and one draft for the county to publish.

Everything goes through `sciaid.training.services`, as the county admin and the demo info officer would do it, so
the audit log, the inboxes and every figure read like a real year. Draws come from a Random of this module's own,
so the demo stays the same whatever the other builders draw.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from sciaid.accounts.models import User
from sciaid.core.names import mobile_phone, person_name
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household
from sciaid.training import services
from sciaid.training.articles.demo import build_articles
from sciaid.training.choices import OrganiserKind, ParticipantKind, TrainingKind
from sciaid.training.models import TrainingEvent
from sciaid.training.services import Person
from sciaid.training.services.figures import refreshing_once

SEED = 20200522
YEAR = 2020
SHOUXIAN = "340422000000"
FENGTAI = "340421000000"
YAOCI = "340422105201"
YINXIAN = "340422105000"
BUREAU = "寿县科学技术局"
#: The seeds' course: three days, 54 of the county's commissioners.
COURSE_DAYS = (date(YEAR, 5, 22), date(YEAR, 5, 24))
COURSE_TRAINEES = 54
#: Farmer trainings: (topic specialty, title) — what the county's commissioners taught in 2020.
PRACTICAL = (
    ("crayfish", "稻虾共作技术培训"),
    ("river-crabs", "河蟹生态养殖技术培训"),
    ("grain", "水稻绿色高产栽培技术培训"),
    ("vegetables", "设施蔬菜栽培技术培训"),
    ("fruit-trees", "果树整形修剪技术培训"),
    ("pigs", "生猪健康养殖与非洲猪瘟防控培训"),
    ("poultry", "林下土鸡养殖技术培训"),
    ("edible-fungi", "食用菌代料栽培技术培训"),
    ("chinese-herbs", "中药材规范化种植培训"),
    ("plant-protection", "农药科学安全使用培训"),
    ("machinery", "植保无人机使用与维护培训"),
    ("cattle", "肉牛育肥与青贮饲料制作培训"),
)
FARMER_TRAININGS = 16
COMMENTS = ("讲得很实用，回去就能用", "老师讲得通俗易懂", "希望多来村里培训", "现场示范很直观", "资料发得及时", "")
RATING_WEIGHTS = {5: 62, 4: 28, 3: 8, 2: 2}
#: A one-page PDF standing in for the handout of the commissioners' course.
HANDOUT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def build_training(admin: User, areas: dict[str, Area], users: dict[str, User]) -> Counter:
    """Hold the demo's trainings; returns how many events, registrations and sign-ins were made. The stored figures
    are refreshed once at the end, for every area-year touched, not after each of the ~1,000 sign-ins and ratings."""
    with refreshing_once():
        counts = TrainingPlanner(areas, users).build()
    counts.update(build_articles(areas, users))
    return counts


class TrainingPlanner:
    def __init__(self, areas: dict[str, Area], users: dict[str, User]) -> None:
        self.rng = random.Random(SEED)
        self.areas, self.users = areas, users
        self.county_admin = users["county_admin"]
        self.officer = users["info_officer"]
        self.expert = Expert.objects.get(user=users["expert"])
        #: The demo farmer's household: at 姚祠村's trainings; rated one, has the demonstration still to rate.
        self.farmer_household = users["farmer"].household
        self.topics = {s.code: s for s in Specialty.objects.all()}
        self.counts: Counter[str] = Counter()

    def build(self) -> Counter:
        self.commissioner_course()
        self.farmer_trainings()
        self.leader_training()
        self.demonstration()
        self.online_course()
        self.fengtai()
        self.coming_up()
        return self.counts

    # --- helpers ---------------------------------------------------------------------------------------------------

    def plan(self, by: User, area: Area, first: date, last: date | None = None, **fields) -> TrainingEvent:
        topics = [self.topics[code] for code in fields.pop("topics", ()) if code in self.topics]
        event = services.save_event(
            by,
            area=area,
            starts_on=first,
            ends_on=last or first,
            organiser_kind=fields.pop("organiser_kind", OrganiserKind.BUREAU),
            organiser_name=fields.pop("organiser_name", BUREAU),
            topics=topics,
            **fields,
        )
        services.publish_event(by, event)
        self.counts["training_events"] += 1
        return event

    def villagers(self, village: Area, count: int) -> list[Person]:
        """Household members of the village: heads, and a spouse or grown child of some households; in 姚祠村 the
        demo farmer's household first."""
        households = list(Household.objects.filter(village=village).order_by("number"))
        chosen = self.rng.sample(households, min(count, len(households)))
        if self.farmer_household in households:
            chosen = [self.farmer_household, *(h for h in chosen if h != self.farmer_household)][:count]
        people = []
        for household in chosen:
            people.append(Person(ParticipantKind.HOUSEHOLD, household=household))
            if self.rng.random() < 0.25 and len(people) < count:
                name = person_name(self.rng, female=self.rng.random() < 0.5)
                people.append(Person(ParticipantKind.HOUSEHOLD, name, household=household))
        return people[:count]

    def guests(self, village: Area, count: int) -> list[Person]:
        return [
            Person(
                ParticipantKind.GUEST,
                person_name(self.rng, self.rng.random() < 0.4),
                phone=mobile_phone(self.rng),
                village=village,
            )
            for _ in range(count)
        ]

    def run(
        self,
        event: TrainingEvent,
        people: list[Person],
        *,
        by: User,
        walk_ins: list[Person] = (),
        attend: float = 0.9,
        rated: float = 0.6,
        farmer_rates: bool = False,
        manager: User | None = None,
    ) -> None:
        """Register people, sign most of them in on every day, add the walk-ins, hold, report, collect ratings.

        The demo farmer always comes; they rate the training themselves (`farmer_rates`) or leave it to rate. The
        county's admin (`manager`) marks it held and reports it.
        """
        signed = []
        for person in people:
            registration, _created = services.register(by, event, person)
            self.counts["training_registrations"] += 1
            if self.rng.random() < attend or self.is_farmers(registration):
                signed.append(registration)
        for registration in signed:
            for day in event.days:
                if day == event.starts_on or self.rng.random() < 0.95:
                    services.sign_in(by, registration, day)
                    self.counts["training_sign_ins"] += 1
        for person in walk_ins:
            attendance, _created = services.sign_in_walk_in(by, event, person, event.starts_on)
            signed.append(attendance.registration)
            self.counts["training_sign_ins"] += 1
        manager = manager or self.county_admin
        services.hold_event(manager, event)
        services.report_event(manager, event)
        for registration in signed:
            if self.is_farmers(registration):
                if farmer_rates:
                    services.give_feedback(self.users["farmer"], registration, rating=5, comment=COMMENTS[0])
                    self.counts["training_ratings"] += 1
            elif self.rng.random() < rated:
                rating = self.rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]
                services.give_feedback(by, registration, rating=rating, comment=self.rng.choice(COMMENTS))
                self.counts["training_ratings"] += 1

    def is_farmers(self, registration) -> bool:
        return registration.household_id is not None and registration.household_id == self.farmer_household.pk

    def poor_villages(self, county: str) -> list[Area]:
        return sorted(
            (a for a in self.areas.values() if a.level == AreaLevel.VILLAGE and a.is_poor and a.code[:6] == county[:6]),
            key=lambda a: a.code,
        )

    def paired(self, village: Area) -> list[Expert]:
        return [p.expert for p in Pairing.objects.filter(village=village, year=YEAR).select_related("expert")]

    # --- the year ----------------------------------------------------------------------------------------------------

    def commissioner_course(self) -> None:
        """The seeds' three-day course: 54 of the county's commissioners, taught by province experts."""
        county = self.areas[SHOUXIAN]
        teachers = list(Expert.objects.filter(level=ExpertLevel.PROVINCE, is_commissioner=False).order_by("name")[:3])
        course = self.plan(
            self.county_admin,
            county,
            *COURSE_DAYS,
            kind=TrainingKind.COMMISSIONER,
            title="科技特派员创新能力与现代农业发展培训班",
            address="寿县职业教育中心",
            capacity=60,
            trainers=teachers,
            topics=("grain", "crayfish", "e-commerce"),
            description="围绕现代农业发展、科技特派员服务能力和农村电商开展集中培训，为期三天。",
        )
        services.add_material(
            self.county_admin, course, title="培训班讲义", upload=ContentFile(HANDOUT, name="handout.pdf")
        )
        commissioners = Expert.objects.filter(is_commissioner=True, home_area__code=SHOUXIAN).order_by("name", "pk")
        people = [Person(ParticipantKind.EXPERT, expert=expert) for expert in commissioners[:COURSE_TRAINEES]]
        self.run(course, people, by=self.county_admin, attend=1.0, rated=0.7)

    def farmer_trainings(self) -> None:
        """Practical-technology trainings in the county's poor villages, March to November; 姚祠村 has its own."""
        others = [v for v in self.poor_villages(SHOUXIAN) if v.code != YAOCI]
        villages = [self.areas[YAOCI], *self.rng.sample(others, min(FARMER_TRAININGS - 1, len(others)))]
        for index, village in enumerate(villages):
            topic, title = PRACTICAL[0] if village.code == YAOCI else self.rng.choice(PRACTICAL)
            first = date(YEAR, 3, 10) + timedelta(days=index * 15 + self.rng.randrange(10))
            trainers = [self.expert] if village.code == YAOCI else self.paired(village)
            by = self.officer if village.code == YAOCI else self.county_admin
            event = self.plan(
                self.county_admin,
                village,
                first,
                kind=TrainingKind.PRACTICAL,
                title=title,
                address=f"{village.name}村委会",
                organiser_kind=OrganiserKind.COMMISSIONER if trainers else OrganiserKind.BUREAU,
                organiser_name=trainers[0].name if trainers else BUREAU,
                trainers=trainers,
                topics=(topic,),
            )
            people = self.villagers(village, self.rng.randint(18, 40))
            walk_ins = self.guests(village, self.rng.randint(0, 4))
            self.run(event, people, by=by, walk_ins=walk_ins, farmer_rates=True)

    def leader_training(self) -> None:
        """Late July: the entrepreneur leaders of 隐贤镇's villages, one day in the township."""
        township = self.areas[YINXIAN]
        event = self.plan(
            self.county_admin,
            township,
            date(YEAR, 7, 28),
            kind=TrainingKind.LEADER,
            title="贫困村致富带头人创业培训",
            address="隐贤镇人民政府会议室",
            trainers=[self.expert],
            topics=("e-commerce", "processing"),
        )
        villages = [v for v in self.poor_villages(SHOUXIAN) if v.code.startswith(township.prefix)]
        people = [person for village in villages for person in self.villagers(village, 4)]
        self.run(event, people, by=self.county_admin, rated=0.5)

    def demonstration(self) -> None:
        """September: farmers watch crab ponds being managed at 姚祠村's demonstration base."""
        village = self.areas[YAOCI]
        event = self.plan(
            self.county_admin,
            village,
            date(YEAR, 9, 16),
            kind=TrainingKind.DEMONSTRATION,
            title="河蟹生态养殖现场观摩会",
            address="姚祠村河蟹养殖示范基地",
            organiser_kind=OrganiserKind.WORKSTATION,
            organiser_name="寿县隐贤镇河蟹产业科技特派员工作站",
            trainers=[self.expert],
            topics=("river-crabs",),
        )
        self.run(event, self.villagers(village, 20), by=self.officer, walk_ins=self.guests(village, 3))

    def online_course(self) -> None:
        event = self.plan(
            self.county_admin,
            self.areas[SHOUXIAN],
            date(YEAR, 11, 12),
            kind=TrainingKind.ONLINE,
            title="农产品网店运营与直播带货线上课程",
            address="科技扶贫在线直播间",
            topics=("e-commerce",),
        )
        poor = self.poor_villages(SHOUXIAN)
        villages = self.rng.sample(poor, min(6, len(poor)))
        people = [person for village in villages for person in self.villagers(village, 4)]
        self.run(event, people, by=self.county_admin, attend=0.8, rated=0.4)

    def fengtai(self) -> None:
        admin = self.users["county_admin_b"]
        for index, village in enumerate(self.poor_villages(FENGTAI)[:2]):
            event = self.plan(
                admin,
                village,
                date(YEAR, 4 + index * 3, 18),
                kind=TrainingKind.PRACTICAL,
                title="稻虾共养技术培训" if index == 0 else "蔬菜病虫害绿色防控培训",
                organiser_name="凤台县科学技术局",
                address=f"{village.name}村委会",
                trainers=self.paired(village),
                topics=("crayfish",) if index == 0 else ("vegetables",),
            )
            self.run(event, self.villagers(village, self.rng.randint(15, 25)), by=admin, manager=admin)

    def coming_up(self) -> None:
        """In twelve days, in 姚祠村: open, the info officer has registered a few; and a draft elsewhere."""
        village, today = self.areas[YAOCI], timezone.localdate()
        event = self.plan(
            self.county_admin,
            village,
            today + timedelta(days=12),
            kind=TrainingKind.PRACTICAL,
            title="稻虾综合种养春季管理技术培训",
            address="姚祠村村委会",
            organiser_kind=OrganiserKind.COMMISSIONER,
            organiser_name=self.expert.name,
            capacity=50,
            trainers=[self.expert],
            topics=("crayfish", "river-crabs"),
        )
        for person in self.villagers(village, 8):
            services.register(self.officer, event, person)
            self.counts["training_registrations"] += 1
        other = self.rng.choice([v for v in self.poor_villages(SHOUXIAN) if v.code != YAOCI])
        services.save_event(
            self.county_admin,
            kind=TrainingKind.PRACTICAL,
            title="果园夏季病虫害绿色防控培训",
            organiser_name=BUREAU,
            area=other,
            address=f"{other.name}村委会",
            starts_on=today + timedelta(days=30),
            ends_on=today + timedelta(days=30),
            trainers=self.paired(other),
            topics=[self.topics["fruit-trees"]],
        )
        self.counts["training_events"] += 1
