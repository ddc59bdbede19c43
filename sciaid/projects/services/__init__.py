"""Every step of a project's life, one function each, by sub-domain: publish a call (`calls`); declare, edit the
draft, attach, submit, check (`declarations`); assign reviewers, score, rank (`review`); approve (allocating the money
in the funds ledger) or reject, sign the task book, report progress (`approval`); submit the final report, accept,
archive (`acceptance`); random supervision draws, findings and rectifications, the overdue sweep (`supervision`).

Each transition goes through `Project.workflow` / `Rectification.workflow` (role, jurisdiction and state are checked
and the row moves by a conditional UPDATE), is audited in the same transaction, and tells the people concerned through
`sciaid.core.notifications.notify`. Refusals are `ValidationError` (bad data, 400), `PermissionDenied` (not your
role or not your record, 403) or `TransitionRefused` (wrong state, 409), each with a message that says why.

Views, the API, commands and the demo import the functions from here; the modules are the place to read them.
"""

from sciaid.projects.services.acceptance import accept, archive, statement, submit_final
from sciaid.projects.services.approval import approve, reject, report_progress, sign_taskbook
from sciaid.projects.services.calls import create_call, remaining_budget
from sciaid.projects.services.common import is_applicant_of
from sciaid.projects.services.declarations import (
    attach,
    check,
    declaration_problems,
    declare,
    declaring_county,
    missing_attachments,
    submit,
    update_draft,
)
from sciaid.projects.services.review import aggregate, assign_reviewers, ranking, reviewer_pool, score
from sciaid.projects.services.supervision import (
    close_rectification,
    create_rectification,
    draw,
    draw_inspection,
    escalate_overdue_rectifications,
    publish_inspection,
    record_finding,
    submit_evidence,
    verify,
)

__all__ = [
    "accept",
    "aggregate",
    "approve",
    "archive",
    "assign_reviewers",
    "attach",
    "check",
    "close_rectification",
    "create_call",
    "create_rectification",
    "declaration_problems",
    "declare",
    "declaring_county",
    "draw",
    "draw_inspection",
    "escalate_overdue_rectifications",
    "is_applicant_of",
    "missing_attachments",
    "publish_inspection",
    "ranking",
    "record_finding",
    "reject",
    "remaining_budget",
    "report_progress",
    "reviewer_pool",
    "score",
    "sign_taskbook",
    "statement",
    "submit",
    "submit_evidence",
    "submit_final",
    "update_draft",
    "verify",
]
