"""What a training event may fulfil: records of the apps above this one (an assistance agreement, a project, a
workstation's duty, a demonstration site), which register their models here from their `AppConfig.ready`.

Training sits below those apps (DESIGN.md §4), so it cannot import them; an event points at what it fulfils through
a generic relation, and this registry says which kinds of record may be pointed at. The apps above read the figures
back through `sciaid.training.statistics.fulfilment_figures`.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from sciaid.core.scoping import VIEW
from sciaid.training.models import TrainingEvent

_models: dict[str, type[models.Model]] = {}


def register_fulfillable(model: type[models.Model]) -> type[models.Model]:
    """Let events fulfil records of `model` (which must be scoped like every served model)."""
    _models[model._meta.label_lower] = model
    return model


def fulfillable_choices() -> list[tuple[str, str]]:
    """(label, name) of each kind of record an event may fulfil, e.g. ("commissioners.agreement", "帮扶协议")."""
    return [(label, str(model._meta.verbose_name)) for label, model in sorted(_models.items())]


def resolve_fulfils(user, label: str, object_id: int | None) -> models.Model | None:
    """The record `label`/`object_id` names, if the user may see it; None when neither is given."""
    if not label and not object_id:
        return None
    model = _models.get(label or "")
    if model is None:
        raise ValidationError({"fulfils_type": _("Events cannot fulfil records of this kind.")})
    found = model._default_manager.for_user(user, VIEW).filter(pk=object_id).first() if object_id else None
    if found is None:
        raise ValidationError({"fulfils_id": _("No such record in your jurisdiction.")})
    return found


def check_fulfils(user, obj: models.Model | None) -> None:
    """An object passed by another app's service must be of a registered kind and visible to the acting user."""
    if obj is not None:
        resolve_fulfils(user, obj._meta.label_lower, obj.pk)


def fulfilled(records: models.QuerySet) -> models.QuerySet:
    """The records among `records` that some training event points at (in any state): a report over a province then
    hands `statistics.fulfilment_figures` the few ids that matter, not every record of the area. No query until
    evaluated."""
    content_type = ContentType.objects.get_for_model(records.model)
    return records.filter(pk__in=TrainingEvent.objects.filter(fulfils_type=content_type).values("fulfils_id"))


def label_of(content_type: ContentType | None) -> str:
    return f"{content_type.app_label}.{content_type.model}" if content_type else ""
