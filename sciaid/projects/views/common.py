"""What the project pages share: who runs projects, and posting one named action on an object whose refusals come
back as messages on its page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.core.states import TransitionRefused
from sciaid.core.views import ServiceFormView
from sciaid.projects.models import MANAGERS


def is_manager(user) -> bool:
    return is_unrestricted(user) or bool(granted_roles(user) & MANAGERS)


def refusal_as_error(call: Callable) -> None:
    """Run a service call; a refusal of any kind becomes a ValidationError the form shows."""
    try:
        call()
    except (PermissionDenied, TransitionRefused) as exc:
        raise ValidationError(str(exc) or _("You may not do this.")) from exc


class ActionFormView(ServiceFormView):
    """POST one named action on an object; refusals and form errors come back as messages on the object's page."""

    http_method_names = ["post"]
    actions: dict = {}

    def dispatch(self, request, *args, **kwargs):
        self.step = self.actions.get(kwargs["action"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        # An unknown action is a missing page, once the role and the object are checked: refused alike either way.
        if self.step is None:
            raise Http404
        return self.step.form

    def perform(self, form):
        data = form.service_data() if hasattr(form, "service_data") else dict(form.cleaned_data)
        refusal_as_error(lambda: self.step.call(self.request.user, self.object, data))
        self.success_message = self.step.done
        return self.object

    def get_success_url(self, saved=None):
        return self.object.get_absolute_url()

    def form_invalid(self, form):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(self.request, f"{label}: {error}" if label else error)
        return redirect(self.get_success_url())


@dataclass(frozen=True)
class Action:
    """One step as a page offers it: its form and the one service call it makes."""

    form: type
    call: Callable
    done: object
