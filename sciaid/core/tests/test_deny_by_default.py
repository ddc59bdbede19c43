"""Deny by default: a view that does not declare how it is scoped refuses to serve, whoever asks."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings

from sciaid.core.scoping import ScopedQuerySet

pytestmark = pytest.mark.usefixtures("world")


@override_settings(ROOT_URLCONF="sciaid.core.tests.urls_unscoped")
@pytest.mark.parametrize("url", ["/forgotten/", "/forgotten-function/", "/unscoped-model/"])
@pytest.mark.parametrize("persona", ["admin", "county_admin", "outsider"])
def test_a_view_without_declared_scoping_refuses_everyone(client_for, url, persona):
    response = client_for(persona).get(url)

    assert response.status_code == 403
    assert b"every household" not in response.content


@override_settings(ROOT_URLCONF="sciaid.core.tests.urls_unscoped")
def test_the_same_view_declared_public_serves(client):
    assert client.get("/declared/").status_code == 200


def test_a_model_without_a_scope_cannot_be_queried_for_a_user(world):
    with pytest.raises(TypeError, match="declares no `scope`"):
        ScopedQuerySet(ContentType).for_user(world.county_admin)
