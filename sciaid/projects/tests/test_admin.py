"""Operators look projects up in Django's admin, read-only: a project's life is audited service steps (scores once
submitted, a draw with its seed), which an edit there would bypass."""

import pytest
from django.contrib.auth import get_user_model

from sciaid.projects import services
from sciaid.projects.tests.conftest import to_in_progress

MODELS = ("call", "project", "review", "inspection", "rectification")


@pytest.fixture
def operator(client):
    user = get_user_model().objects.create_superuser("operator", password="pw")
    client.force_login(user)
    return client


def test_every_project_model_is_in_the_admin_read_only(world, operator, project, reviewers):
    to_in_progress(world, project, reviewers)
    inspection = services.draw_inspection(
        world.county_admin, area=world.county_a, title="t", year=2020, project_count=1, inspector_count=1, seed=3
    )
    objects = {
        "call": project.call,
        "project": project,
        "review": project.reviews.first(),
        "inspection": inspection,
        "rectification": services.create_rectification(
            world.county_admin, project, description="Ledger", deadline=project.call.deadline
        ),
    }
    for name in MODELS:
        assert operator.get(f"/admin/projects/{name}/").status_code == 200, name
        change = operator.get(f"/admin/projects/{name}/{objects[name].pk}/change/")
        assert change.status_code == 200, name
        assert 'name="_save"' not in change.content.decode(), name  # nothing to save: it is a view
        assert operator.get(f"/admin/projects/{name}/add/").status_code == 403, name
        assert operator.post(f"/admin/projects/{name}/{objects[name].pk}/delete/").status_code == 403, name
