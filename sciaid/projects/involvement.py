"""Projects on a demonstration site's page (`sciaid.demonstration.involvement`): the projects demonstrating at the
site that the reader may open, nothing else."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sciaid.core.scoping import VIEW
from sciaid.demonstration.involvement import register_involvement
from sciaid.projects.models import Project


def projects_at(user, site) -> list[tuple[str, str, str]]:
    projects = Project.objects.for_user(user, VIEW).filter(demo_sites=site).only("title").order_by("title", "pk")
    return [(_("Project"), project.title, project.get_absolute_url()) for project in projects]


register_involvement(projects_at)
