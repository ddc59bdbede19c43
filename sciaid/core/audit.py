"""The audit log: every create, update, delete and state transition of a BaseModel becomes one ObjectChange.

Saves and deletes are caught by signals (the one thing signals are for here); bulk writes and transitions call
`record()` themselves. The row stores the area's division code so supervisors see the log of their own area only.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sciaid.core.context import current_actor, current_user
from sciaid.core.models import BaseModel, ChangeAction, ObjectChange


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
