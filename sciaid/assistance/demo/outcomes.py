"""What the demo's served demands led to: knowledge entries from their solutions and the counties' subsidy
statements."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sciaid.accounts.models import User
from sciaid.assistance import services
from sciaid.assistance.choices import SERVED_STATES, KnowledgeStatus
from sciaid.assistance.demo.planner import FENGTAI, SHOUXIAN, YEAR
from sciaid.assistance.knowledge import scrub_for
from sciaid.assistance.models import Demand, KnowledgeEntry
from sciaid.core import audit
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

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
