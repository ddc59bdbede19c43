"""One step of a journey as a page offers it (`Action`: its form, its one service call, its card's heading and
button) and the view that POSTs it (`ObjectActionView`): demands, knowledge entries and statements share them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from sciaid.core.states import TransitionRefused
from sciaid.core.views import ServiceFormView


@dataclass(frozen=True)
class Action:
    """One step of the journey as the page offers it: its form, the one service call it makes and the message when
    done; on the page, the card's own heading (inside a folded card: its summary), button and button style."""

    form: type
    call: Callable
    done: object
    heading: object = ""
    button: object = ""
    style: str = ""
    folded: bool = False
    files: bool = False


class ObjectActionView(ServiceFormView):
    """POST one action on an object (`actions[name]`: its form and the one service call it makes); a refusal is
    shown as a message on the object's page and changes nothing."""

    http_method_names = ["post"]
    actions: dict[str, Action] = {}

    def dispatch(self, request, *args, **kwargs):
        # A role that may not act at all is refused before the action name is looked at, so the answer is the same
        # whatever the address names.
        if request.user.is_authenticated and not self.may_open(request.user):
            raise PermissionDenied
        self.step = self.actions.get(kwargs["action"])
        if self.step is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return self.step.form

    def perform(self, form):
        try:
            self.step.call(self.request.user, self.object, form.cleaned_data)
        except (PermissionDenied, TransitionRefused) as exc:
            raise ValidationError(str(exc) or _("You may not do this.")) from exc
        self.success_message = self.step.done
        return self.object

    def form_invalid(self, form):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(self.request, f"{label}: {error}" if label else error)
        return redirect(self.get_success_url())


def action_cards(user, obj, actions: dict[str, Action], available) -> list[tuple[str, Action, object]]:
    """(name, action, its form) for each available action, in the order `actions` lists them: what the page shows
    under "What you can do", each card with its own heading and button."""
    return [(name, step, step.form(user=user, instance=obj)) for name, step in actions.items() if name in available]
