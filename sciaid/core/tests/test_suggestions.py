"""The suggestion plug-in point: sources register once, answers interleave by rank, a failing source is skipped."""

from __future__ import annotations

import pytest

from sciaid.core import suggestions as registry
from sciaid.core.suggestions import Suggestion, register_suggester, suggestions, unregister_suggester


def source(prefix: str, count: int):
    def suggester(user, text, limit):
        return [Suggestion(title=f"{prefix}{i}", url=f"/{prefix}/{i}/", score=100.0 - i) for i in range(count)]

    return suggester


@pytest.fixture
def only(monkeypatch):
    """Replace the registered suggesters (the apps' own) with the given ones for one test."""

    def install(*suggesters):
        monkeypatch.setattr(registry, "_suggesters", [])
        for suggester in suggesters:
            register_suggester(suggester)

    return install


def test_sources_interleave_by_rank_so_none_crowds_the_others_out(only):
    only(source("big", 10), source("small", 2))
    assert [s.title for s in suggestions(None, "河蟹", limit=5)] == ["big0", "small0", "big1", "small1", "big2"]


def test_registering_twice_counts_once_and_unregistering_removes(only):
    big = source("big", 3)
    only(big, big)
    assert [s.title for s in suggestions(None, "x", 10)] == ["big0", "big1", "big2"]
    unregister_suggester(big)
    assert suggestions(None, "x") == []


def test_a_failing_source_is_skipped(only, caplog):
    def broken(user, text, limit):
        raise RuntimeError("index offline")

    only(broken, source("ok", 1))
    assert [s.title for s in suggestions(None, "x")] == ["ok0"]
    assert "failed" in caplog.text


def test_nothing_is_asked_for_empty_text(only):
    calls = []
    only(lambda user, text, limit: calls.append(text) or [])
    assert suggestions(None, "   ") == [] and calls == []


def test_the_same_answer_from_two_sources_is_shown_once(only):
    only(source("same", 1), source("same", 1))
    assert len(suggestions(None, "x")) == 1
