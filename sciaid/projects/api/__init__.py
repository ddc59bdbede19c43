"""API for projects: calls, declarations with one `POST /projects/{id}/{action}/` per step of their life, reviews,
random-supervision inspections (with `draw` and `verify`) and rectifications, one module per sub-domain.

Each action validates its body, calls the service of the same name (sciaid.projects.services) and answers with the
object as it is now. Errors: 400 bad input, 403 wrong role, 404 outside the user's jurisdiction, 409 a step the
current state does not allow (TransitionRefused, handled by sciaid.core.api.exception_handler).
"""

from sciaid.projects.api.calls import CallViewSet
from sciaid.projects.api.projects import ProjectViewSet
from sciaid.projects.api.reviews import ReviewViewSet
from sciaid.projects.api.supervision import InspectionViewSet, RectificationViewSet

__all__ = ["CallViewSet", "InspectionViewSet", "ProjectViewSet", "RectificationViewSet", "ReviewViewSet"]
