"""The demo's yearly appraisal of 寿县's 59 commissioners for 2020, published with 33 excellent and 26 qualified.

The rubric weighs the county's own assessment most (manual 60, village opinion 20, service volume 10, effect 10):
the seeds print only the outcome. The 33 commissioners with the most confirmed services and the best effect get the
county's top marks; the quota (56 %: 33 of 59) and the thresholds (excellent from 80, qualified from 60) then rate
them whatever the other figures are.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from sciaid.accounts.models import User
from sciaid.commissioners.appraisals import services
from sciaid.commissioners.appraisals.models import AppraisalRubric
from sciaid.experts.demo import YEAR
from sciaid.regions.models import Area

EXCELLENT = 33


RUBRIC = {
    "weight_volume": 10,
    "weight_effect": 10,
    "weight_opinion": 20,
    "weight_manual": 60,
    "volume_target": 5,
    "excellent_from": Decimal("80.00"),
    "qualified_from": Decimal("60.00"),
    "excellent_quota": 56,
}


#: (opinion, manual) scores the county gives its best commissioners and the others.
TOP_SCORES = (Decimal("100.00"), Decimal("100.00"))


OTHER_SCORES = (Decimal("75.00"), Decimal("75.00"))


def publish_appraisal(county_admin: User, county: Area) -> int:
    rubric = services.save_appraisal_rubric(county_admin, county=county, year=YEAR, **RUBRIC)
    services.compute_appraisal(county_admin, rubric)
    sheets = list(rubric.sheets.select_related("expert"))
    # The county's best: most confirmed services, then the best effect, then by name (reproducible).
    sheets.sort(key=lambda s: (-s.services, -s.effect_score, s.expert.name))
    for index, sheet in enumerate(sheets):
        opinion, manual = TOP_SCORES if index < EXCELLENT else OTHER_SCORES
        services.score_appraisal(county_admin, sheet, opinion_score=opinion, manual_score=manual)
    services.review_appraisal(county_admin, rubric)
    services.publish_appraisal(county_admin, rubric)
    AppraisalRubric.objects.filter(pk=rubric.pk).update(published_at=aware(date(YEAR, 12, 28)))
    return len(sheets)


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))
