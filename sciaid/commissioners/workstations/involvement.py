"""Workstations on a demonstration site's page (`sciaid.demonstration.involvement`): the stations located at the
site that the reader may open, nothing else."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sciaid.commissioners.workstations.models import Workstation
from sciaid.core.scoping import VIEW
from sciaid.demonstration.involvement import register_involvement


def stations_at(user, site) -> list[tuple[str, str, str]]:
    stations = Workstation.objects.for_user(user, VIEW).filter(demo_site=site).only("name").order_by("name", "pk")
    return [(_("Workstation"), station.name, station.get_absolute_url()) for station in stations]


register_involvement(stations_at)
