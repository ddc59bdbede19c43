"""Which links an anonymous visitor is offered: public pages only."""

from django.contrib.auth.models import AnonymousUser

from sciaid.core.links import link_target, may_open


def test_anonymous_visitors_are_offered_public_pages():
    assert link_target(AnonymousUser(), "accounts:password_reset") == "/accounts/password-reset/"


def test_anonymous_visitors_are_not_offered_scoped_pages():
    assert not may_open(AnonymousUser(), "accounts:user-list")
    assert not may_open(AnonymousUser(), "training:event-list")
