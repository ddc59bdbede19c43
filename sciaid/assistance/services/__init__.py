"""Every step of a demand's journey, one function each: submit, triage, assign, accept, decline, reply, schedule a
visit, resolve, rate, close, call back, judge, merge, reject; plus the sweeps (auto-close, SLA escalation) and the
yearly subsidies.

Each transition goes through `Demand.workflow` (role, jurisdiction and state are checked, and the row moves by a
conditional UPDATE, so of two officers assigning the same demand at once one wins and the other gets
TransitionRefused), is audited in the same transaction, and tells the people concerned through
`sciaid.core.notifications.notify` (email and SMS leave only after the commit).

SLA clocks: `due_at` is the deadline of the current stage (triage, acceptance, resolution; settings.ASSISTANCE_SLA
_HOURS, in working hours on the work calendar). The clock pauses while a demand waits for the farmer: an expert's
reply that asks the requester something (`asks_requester`) stops it, and the requester's next reply (or the info
officer's for them) restarts it, moving `due_at` on by the working hours it waited (kept in `paused_hours`).
"""

from __future__ import annotations

from sciaid.assistance.services.common import (
    county_code_range,
    demand_url,
    desk,
    own_assignment,
    people,
    requester_side,
    require_role,
    require_text,
    require_workflow_role,
    search_text,
    speaks_for_requester,
    tell,
    touched,
)
from sciaid.assistance.services.expert_work import (
    accept,
    decline,
    reply,
    resolve,
    schedule_visit,
)
from sciaid.assistance.services.handoffs import hand_over
from sciaid.assistance.services.knowledge import (
    dismiss_knowledge,
    knowledge_tokens,
    propose_knowledge,
    publish_knowledge,
)
from sciaid.assistance.services.photos import (
    attach_photos,
    clean_photo,
)
from sciaid.assistance.services.records import (
    RECORD_FIELDS,
    rebuild_records,
    refresh_demand_records,
    refresh_records,
)
from sciaid.assistance.services.sla import (
    DIGEST_TITLES,
    ESCALATION_TIERS,
    SWEEP_BATCH,
    audit_transitions,
    batched,
    close_unrated,
    digest_body,
    digest_title,
    due,
    escalate_overdue,
    late_since,
    locked_for_sweep,
    set_sla_policy,
    sla_hours,
    tell_overdue,
)
from sciaid.assistance.services.submission import (
    TRIAGE_COLUMNS,
    TRIAGE_FIELDS,
    assign,
    experts_in_reach,
    merge,
    reject,
    submit_demand,
    submitting_role,
    triage,
)
from sciaid.assistance.services.subsidies import (
    NEXT_LEVEL,
    STATEMENT_ROLES,
    SubsidyRow,
    approve_statement,
    compute_statement,
    prepares_statements,
    return_statement,
    review_levels,
    rule_for,
    statement_actions,
    statement_reviewers,
    statement_url,
    submit_statement,
    subsidies,
)
from sciaid.assistance.services.verification import (
    callback,
    close,
    judge,
    rate,
)

__all__ = [
    "DIGEST_TITLES",
    "ESCALATION_TIERS",
    "NEXT_LEVEL",
    "RECORD_FIELDS",
    "STATEMENT_ROLES",
    "SWEEP_BATCH",
    "TRIAGE_COLUMNS",
    "TRIAGE_FIELDS",
    "SubsidyRow",
    "accept",
    "approve_statement",
    "assign",
    "attach_photos",
    "audit_transitions",
    "batched",
    "callback",
    "clean_photo",
    "close",
    "close_unrated",
    "compute_statement",
    "county_code_range",
    "decline",
    "demand_url",
    "desk",
    "digest_body",
    "digest_title",
    "dismiss_knowledge",
    "due",
    "escalate_overdue",
    "experts_in_reach",
    "hand_over",
    "judge",
    "knowledge_tokens",
    "late_since",
    "locked_for_sweep",
    "merge",
    "own_assignment",
    "people",
    "prepares_statements",
    "propose_knowledge",
    "publish_knowledge",
    "rate",
    "rebuild_records",
    "refresh_demand_records",
    "refresh_records",
    "reject",
    "reply",
    "requester_side",
    "require_role",
    "require_text",
    "require_workflow_role",
    "resolve",
    "return_statement",
    "review_levels",
    "rule_for",
    "schedule_visit",
    "search_text",
    "set_sla_policy",
    "sla_hours",
    "speaks_for_requester",
    "statement_actions",
    "statement_reviewers",
    "statement_url",
    "submit_demand",
    "submit_statement",
    "submitting_role",
    "subsidies",
    "tell",
    "tell_overdue",
    "touched",
    "triage",
]
