"""The trainings section of each role's home page: what is coming up, what waits for the county, and one's own."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.core.homepage import register_home_section
from sciaid.core.links import may_open
from sciaid.core.scoping import CHANGE
from sciaid.training.choices import TrainingStatus
from sciaid.training.models import TrainingEvent


@register_home_section
def training_section(user) -> list[dict]:
    if not may_open(user, "training:event-list"):
        return []
    events = TrainingEvent.objects.for_user(user)
    listing = reverse("training:event-list")
    items = [
        {
            "label": _("Upcoming trainings"),
            "url": f"{listing}?upcoming=true",
            "count": events.filter(status=TrainingStatus.PUBLISHED, ends_on__gte=timezone.localdate()).count(),
        }
    ]
    managed = TrainingEvent.objects.for_user(user, CHANGE)
    if may_open(user, "training:event-create"):
        items += [
            {
                "label": _("Trainings to publish"),
                "url": f"{listing}?status={TrainingStatus.DRAFT}",
                "count": managed.filter(status=TrainingStatus.DRAFT).count(),
            },
            {
                "label": _("Trainings to report"),
                "url": f"{listing}?status={TrainingStatus.HELD}",
                "count": managed.filter(status=TrainingStatus.HELD).count(),
            },
        ]
    for name, label in (("training:mine", _("My trainings")), ("training:statistics", _("Training statistics"))):
        if may_open(user, name):
            items.append({"label": label, "url": reverse(name)})
    return [{"title": _("Popular-science training"), "items": items}]
