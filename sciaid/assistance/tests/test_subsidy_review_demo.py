"""The demo's knowledge and subsidy statements: every review state has content, and the statements are what the
services compute from the demo's valid services."""

from sciaid.accounts.models import User
from sciaid.assistance import services
from sciaid.assistance.choices import KnowledgeStatus, StatementStatus
from sciaid.assistance.knowledge import search_knowledge
from sciaid.assistance.models import Demand, KnowledgeEntry, SubsidyStatement


def test_the_demo_has_knowledge_in_every_state_and_a_statement_per_county(small_demo):
    states = {status: KnowledgeEntry.objects.filter(status=status).count() for status in KnowledgeStatus.values}
    assert all(states.values()), states
    assert KnowledgeEntry.objects.count() == Demand.objects.exclude(solution_summary="").count()
    farmer = User.objects.get(username="farmer")
    assert search_knowledge("小龙虾水质发黑", farmer), "the farmer finds published knowledge"
    assert not KnowledgeEntry.objects.filter(body__regex=r"1[3-9]\d{9}").exists()

    statements = {s.county.code[:6]: s for s in SubsidyStatement.objects.select_related("county")}
    assert statements["340422"].status == StatementStatus.APPROVED
    assert statements["340421"].status == StatementStatus.SUBMITTED
    for statement in statements.values():
        rows = services.subsidies(statement.county, statement.year)
        assert statement.total == sum(row.amount for row in rows)
        assert statement.rows.count() == len(rows)
    city_admin = User.objects.get(username="city_admin")
    assert services.statement_actions(city_admin, statements["340421"]) == {"approve", "return"}
