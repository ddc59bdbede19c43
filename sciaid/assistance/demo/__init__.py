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

from sciaid.accounts.models import User
from sciaid.assistance.demo.outcomes import build_knowledge, build_statements
from sciaid.assistance.demo.planner import HISTORY, OPEN, YEAR, DemandPlanner
from sciaid.assistance.demo.words import COMMENTS, TEMPLATES
from sciaid.regions.models import Area

__all__ = ["COMMENTS", "HISTORY", "OPEN", "TEMPLATES", "YEAR", "build_demands"]


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
