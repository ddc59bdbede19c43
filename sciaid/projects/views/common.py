"""What the project pages share: who runs projects. (Posting one named step on an object is
`sciaid.core.actions`.)"""

from __future__ import annotations

from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.projects.models import MANAGERS


def is_manager(user) -> bool:
    return is_unrestricted(user) or bool(granted_roles(user) & MANAGERS)
