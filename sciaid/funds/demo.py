"""The funds of the demo: 寿县's 2020 platform-operation budget exactly as the seeds' self-inspection report gives it,
and a smaller ledger for 凤台县 with an allocation, spending and one correction by reversal.

Everything is posted through `sciaid.funds.services` by the counties' admins, like any posting, so the demo ledger
reconciles and its audit log reads like a real year. The budgets the other apps allocate from (the province's
transfer payment for the four demonstration projects, the commissioners' working funds, the workstations') are
recorded by those apps' demos, which post the allocations too.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from sciaid.accounts.models import User
from sciaid.funds import services
from sciaid.funds.choices import ExpenditureCategory, RecipientKind
from sciaid.funds.models import FundSource
from sciaid.regions.models import Area

YEAR = 2020
SHOUXIAN = "340422000000"
FENGTAI = "340421000000"
PLATFORM_PURPOSE = "科技扶贫在线平台运行经费"
#: The seeds' worked example: ¥300,000, of which ¥287,606 spent, ¥12,394 left.
PLATFORM_BUDGET = Decimal("300000")
PLATFORM_SPENDING = (
    (ExpenditureCategory.SUBSIDY, "210000", date(YEAR, 4, 30), "寿县科技扶贫在线平台运营中心", "平台运行补助"),
    (ExpenditureCategory.STAFF, "37500", date(YEAR, 12, 25), "平台临时聘用人员（5人）", "临时聘用人员工资"),
    (ExpenditureCategory.EQUIPMENT, "7650", date(YEAR, 5, 18), "寿县华信办公设备有限公司", "投影仪"),
    (ExpenditureCategory.TRAINING, "31960", date(YEAR, 8, 12), "寿县职业教育中心", "新型职业农民培训"),
    (ExpenditureCategory.TRAVEL, "496", date(YEAR, 9, 3), "寿县科学技术局", "赴合肥对接专家差旅"),
)
#: A one-page PDF standing in for the scanned projector invoice.
VOUCHER = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def build_funds(admin: User, areas: dict[str, Area], users: dict[str, User]) -> Counter:
    """Post the demo ledger; returns how many budgets, allocations and expenditures were made."""
    counts: Counter[str] = Counter()
    sources = {source.code: source for source in FundSource.objects.all()}
    shouxian_admin, fengtai_admin = users["county_admin"], users["county_admin_b"]

    platform = services.create_budget(
        shouxian_admin,
        year=YEAR,
        area=areas[SHOUXIAN],
        source=sources["county"],
        amount=PLATFORM_BUDGET,
        purpose=PLATFORM_PURPOSE,
    )
    for category, amount, spent_on, payee, description in PLATFORM_SPENDING:
        voucher = ContentFile(VOUCHER, name="invoice.pdf") if category == ExpenditureCategory.EQUIPMENT else None
        services.spend(
            shouxian_admin,
            platform,
            category=category,
            amount=amount,
            spent_on=spent_on,
            payee=payee,
            description=description,
            voucher=voucher,
        )
    counts.update(budgets=1, allocations=1, expenditures=len(PLATFORM_SPENDING))
    counts += build_fengtai(fengtai_admin, areas[FENGTAI], sources)
    return counts


def build_fengtai(user: User, county: Area, sources: dict[str, FundSource]) -> Counter:
    """凤台县: a platform budget partly spent, and a county-funds budget for a cooperative, with one expenditure
    posted twice by mistake and reversed."""
    platform = services.create_budget(
        user, year=YEAR, area=county, source=sources["county"], amount="120000", purpose=PLATFORM_PURPOSE
    )
    services.spend(
        user,
        platform,
        category=ExpenditureCategory.SUBSIDY,
        amount="80000",
        spent_on=date(YEAR, 5, 6),
        payee="凤台县科技扶贫在线平台运营中心",
        description="平台运行补助",
    )
    services.spend(
        user,
        platform,
        category=ExpenditureCategory.TRAINING,
        amount="12800",
        spent_on=date(YEAR, 7, 21),
        payee="凤台县农业技术推广中心",
        description="稻虾共养技术培训",
    )
    special = services.create_budget(
        user, year=YEAR, area=county, source=sources["special"], amount="80000", purpose="稻虾共养科技示范专项"
    )
    allocation = services.allocate(
        user,
        special,
        recipient_kind=RecipientKind.ORGANISATION,
        recipient_name="凤台县岳张集稻虾共养专业合作社",
        amount="50000",
        purpose="稻虾共养示范基地建设",
        allocated_on=date(YEAR, 4, 15),
    )
    seedlings = {
        "category": ExpenditureCategory.MATERIALS,
        "amount": "18600",
        "spent_on": date(YEAR, 5, 10),
        "payee": "安徽淮河水产苗种有限公司",
        "description": "小龙虾种苗",
    }
    services.spend(user, allocation, **seedlings)
    duplicate = services.spend(user, allocation, **seedlings)
    services.reverse_expenditure(user, duplicate, reason="同一张发票重复录入", reversed_on=date(YEAR, 5, 12))
    return Counter(budgets=2, allocations=2, expenditures=5)
