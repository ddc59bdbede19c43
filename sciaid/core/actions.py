"""Buttons on an object's page that POST one named step (submit, publish, return with a note, sign …): what a step
is (`Step`: its form, its one service call, its message and how the page shows it), which steps a page offers, and
the views that run them.

Every button is one POST calling one service function; a refusal (no right, wrong state, invalid form) comes back as a
message on the object's page and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext

from sciaid.core.states import TransitionRefused
from sciaid.core.views import ServiceFormView


@dataclass(frozen=True)
class Step:
    """One step as a page offers it: its form, the one service call it makes (`call(user, obj, data)`) and the
    message when done; on the page, its card's heading (a folded card's summary), button and button style."""

    form: type
    call: Callable | None
    done: object
    heading: object = ""
    button: object = ""
    style: str = ""
    folded: bool = False
    files: bool = False


def refusal(exc: Exception) -> ValidationError:
    """A service's refusal (no right, wrong state) as a form error: the page shows the reason, nothing changes."""
    return exc if isinstance(exc, ValidationError) else ValidationError(str(exc) or gettext("You may not do this."))


@contextmanager
def refusals_as_errors() -> Iterator[None]:
    """Inside, a service's PermissionDenied or TransitionRefused becomes a ValidationError, which ServiceFormView
    shows on the form (or, for a button, as a message on the object's page) instead of a 403 page."""
    try:
        yield
    except (PermissionDenied, TransitionRefused) as exc:
        raise refusal(exc) from exc


def open_steps(obj, user, can_change: bool) -> set[str]:
    """The names of the workflow transitions open to `user` on `obj` now; none for a user who may not change it."""
    return {t.name for t in type(obj).workflow.available(obj, user)} if can_change else set()


def step_cards(user, obj, steps: dict[str, Step], available: Collection[str]) -> list[tuple[str, Step, object]]:
    """(name, step, its form) for each available step, in the order `steps` lists them: the buttons and cards a
    page shows, so no button leads to a certain refusal."""
    return [(name, step, step.form(user=user, instance=obj)) for name, step in steps.items() if name in available]


class ButtonView(ServiceFormView):
    """A POST-only button on an object's page: success and refusal both go back to that page (`back_url`), a
    refusal or an invalid form as messages."""

    http_method_names = ["post"]

    def back_url(self) -> str:
        return self.object.get_absolute_url()

    def get_success_url(self, saved=None):
        return self.back_url()

    def form_invalid(self, form):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(self.request, f"{label}: {error}" if label else error)
        return redirect(self.back_url())


class StepView(ButtonView):
    """POST the step named by the URL's `action` (`steps[action]`) on the object; an unknown name is a 404."""

    steps: dict[str, Step] = {}

    def dispatch(self, request, *args, **kwargs):
        # A role that may not act at all is refused before the step's name is looked at, so the answer is the same
        # whatever the address names, and says nothing about whether the object exists.
        if request.user.is_authenticated and not self.may_open(request.user):
            raise PermissionDenied
        self.step = self.steps.get(kwargs["action"])
        if self.step is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return self.step.form

    def perform(self, form):
        with refusals_as_errors():
            self.step.call(self.request.user, self.object, form.service_data())
        self.success_message = self.step.done
        return self.object
