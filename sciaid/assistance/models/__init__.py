"""Demands for expert assistance (需求) and everything hanging off them, by sub-domain: the journey (`demands`),
knowledge from solutions (`knowledge`) and subsidies for valid services (`subsidies`)."""

from __future__ import annotations

from sciaid.assistance.models.demands import (
    CALLERS,
    DEMAND_ACTORS,
    DEMAND_VIEWERS,
    EXPERTS,
    JUDGEMENT_CRITERIA,
    JUDGES,
    REQUESTERS,
    TRIAGERS,
    Assignment,
    Demand,
    ExpertRecord,
    Message,
    Photo,
    SiteVisit,
    SlaPolicy,
    assigned_to_expert,
    demand_scope,
    own_household_demands,
    photo_path,
)
from sciaid.assistance.models.knowledge import (
    KNOWLEDGE_REVIEWERS,
    KnowledgeEntry,
)
from sciaid.assistance.models.subsidies import (
    STATEMENT_ACTORS,
    SubsidyRule,
    SubsidyStatement,
    SubsidyStatementRow,
)

__all__ = [
    "CALLERS",
    "DEMAND_ACTORS",
    "DEMAND_VIEWERS",
    "EXPERTS",
    "JUDGEMENT_CRITERIA",
    "JUDGES",
    "KNOWLEDGE_REVIEWERS",
    "REQUESTERS",
    "STATEMENT_ACTORS",
    "TRIAGERS",
    "Assignment",
    "Demand",
    "ExpertRecord",
    "KnowledgeEntry",
    "Message",
    "Photo",
    "SiteVisit",
    "SlaPolicy",
    "SubsidyRule",
    "SubsidyStatement",
    "SubsidyStatementRow",
    "assigned_to_expert",
    "demand_scope",
    "own_household_demands",
    "photo_path",
]
