"""What the commissioners' pages share (the pages themselves are in `<sub-domain>/views.py`): the one-button action
view, and the view that serves a record's file to those who may see the record.

Every button is one POST calling one service function; a refusal comes back as a message and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View

from sciaid.assistance.views import ObjectActionView
from sciaid.core.views import ScopedMixin


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


class ProtectedFileView(ScopedMixin, View):
    """A file of a record, served only to who may see the record (never from a public media URL)."""

    field = ""

    def get(self, request, pk: int):
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        stored = getattr(obj, self.field)
        if not stored:
            raise Http404
        try:
            content = stored.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        name = stored.name.rsplit("/", 1)[-1]
        response = FileResponse(content, filename=name)
        response["Cache-Control"] = "private, max-age=3600"
        return response
