"""What the commissioners' pages share (the pages themselves are in `<sub-domain>/views.py`): the one-button action
view, and the view that serves a record's file to those who may see the record.

Every button is one POST calling one service function; a refusal comes back as a message and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from sciaid.assistance.views import ObjectActionView


class RecordActionView(ObjectActionView):
    """An action on a record whose page is its absolute URL: success and refusal both lead back there."""

    def dispatch(self, request, *args, **kwargs):
        # Refuse by role before looking at the action's name, as before looking the record up: an unknown action
        # tells a user who may not act here nothing more than a known one.
        if request.user.is_authenticated and not self.may_open(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self, saved=None):
        return self.object.get_absolute_url()
