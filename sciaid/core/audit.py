"""The audit log: every create, update, delete and state transition of a BaseModel becomes one ObjectChange.

Saves and deletes are caught by signals (the one thing signals are for here); bulk writes and transitions call
`record()` themselves. The row stores the area's division code so supervisors see the log of their own area only.

The log keeps values as they were, phone and ID numbers included (an investigation may need them); what a reader is
shown of them follows the rule of every other page (`shown_to`, sciaid.core.privacy): in full for a role that may
read personal data in the change's area, masked for everyone else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sciaid.core.context import current_actor, current_user
from sciaid.core.models import BaseModel, ChangeAction, ObjectChange
from sciaid.core.privacy import mask_id_number, mask_phone, may_see_personal_data


def area_code_of(instance) -> str:
    """Follow the model's scope path (e.g. village__code) to the code of the area the object concerns."""
    scope = getattr(type(instance), "scope", None)
    path = getattr(scope, "code_path", None)
    if not path:
        return ""
    try:
        value = reduce(lambda obj, attr: getattr(obj, attr) if obj is not None else None, path.split("__"), instance)
    except AttributeError:
        return ""
    return value or ""


def build(instance, action: str, before: dict | None, after: dict | None, note: str = "") -> ObjectChange:
    actor = current_actor()
    user = current_user()
    return ObjectChange(
        user=user,
        user_name=user.get_username() if user else "",
        request_id=actor.request_id if actor else "",
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        area_code=area_code_of(instance),
        before=before,
        after=after,
        note=note[:500],
    )


def record(instance, action: str, before: dict | None = None, after: dict | None = None, note: str = "") -> None:
    """Write one audit entry for `instance` (transitions and other changes that no save signal sees)."""
    build(instance, action, before, after, note).save()


def record_created(instances: Iterable[BaseModel], note: str = "") -> None:
    """Audit rows created by bulk_create (imports), in one insert."""
    ObjectChange.objects.bulk_create(
        [build(obj, ChangeAction.CREATE, None, obj.audit_values(), note) for obj in instances], batch_size=1000
    )


def record_updated(pairs: Iterable[tuple[dict, BaseModel]], note: str = "") -> None:
    """Audit rows changed by bulk_update: (values before, object after)."""
    entries = []
    for before, obj in pairs:
        after = obj.audit_values()
        if before != after:
            entries.append(build(obj, ChangeAction.UPDATE, before, after, note))
    ObjectChange.objects.bulk_create(entries, batch_size=1000)


@receiver(post_save, dispatch_uid="sciaid_audit_save")
def audit_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, BaseModel):
        return
    after = instance.audit_values()
    if created:
        record(instance, ChangeAction.CREATE, None, after)
    else:
        before = instance.audit_values(loaded=True)
        changed = {k for k in after if before.get(k) != after[k]}
        if changed:
            record(instance, ChangeAction.UPDATE, {k: before.get(k) for k in changed}, {k: after[k] for k in changed})
    # What is saved now is what a later change will be compared with.
    instance._loaded_values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@receiver(post_delete, dispatch_uid="sciaid_audit_delete")
def audit_delete(sender, instance, **kwargs):
    if isinstance(instance, BaseModel):
        record(instance, ChangeAction.DELETE, instance.audit_values(), None)


# --- what a reader is shown -----------------------------------------------------------------------------------------

#: A mainland mobile number or a citizen ID number standing on its own inside any text (not part of a longer code,
#: such as a 16-digit household number).
_PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def mask_personal_data(value):
    """`value` (text, or JSON of lists and dicts) with every phone and ID number in it masked."""
    if isinstance(value, str):
        value = _ID_NUMBER.sub(lambda found: mask_id_number(found.group()), value)
        return _PHONE.sub(lambda found: mask_phone(found.group()), value)
    if isinstance(value, list):
        return [mask_personal_data(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_personal_data(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class ChangeArea:
    """The area of a change as the privacy rule needs it: its division code (no query for the Area row)."""

    code: str


@dataclass(frozen=True)
class ShownChange:
    """What one reader sees of a change: its object, note and (field, old, new) rows, masked as the rule says."""

    object_repr: str
    note: str
    fields: list[tuple[str, object, object]]


def shown_to(viewer, change: ObjectChange) -> ShownChange:
    """The change as `viewer` may see it: personal data in full only where their role may read it."""
    fields = change.changed_fields()
    if may_see_personal_data(viewer, ChangeArea(change.area_code)):
        return ShownChange(change.object_repr, change.note, fields)
    return ShownChange(
        mask_personal_data(change.object_repr),
        mask_personal_data(change.note),
        [(label, mask_personal_data(old), mask_personal_data(new)) for label, old, new in fields],
    )
