"""The demo county for tests, built once per test process and read by every test that needs it.

A demo build takes half a minute; the twenty-odd test modules that check their app's part of the demo used to build
their own. Now each process builds it at most once per kind (`small_demo`, the apps' reduced 寿县 with 凤台县;
`full_demo`, what `manage.py seed_demo` loads), inside a transaction left open, and each test reads it inside its
own savepoint, rolled back after it as usual.

The open transaction must not be seen by a test that expects an empty database, so `pytest_collection_modifyitems`
below runs the tests that read the demo after every other test of the process, the small ones before the full ones
(a process that needs both rolls the first back before building the second). Under pytest-xdist every worker
receives its tests in collection order, so the same holds in each worker.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation

from sciaid.demo.builders import FENGTAI, SHOUXIAN, DemoBuilder
from sciaid.testing import restore_emptied

#: 寿县 cut to 80 villages that keep all 72 of its poor ones (and so its 59 commissioners and every figure the seeds
#: give for them), with 凤台县: what the apps' demo tests read.
SMALL_COUNTIES = (replace(SHOUXIAN, villages=80, poor_villages=72), FENGTAI)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build_small() -> Any:
    """The small demo; returns the builder's counts."""
    return DemoBuilder(counties=SMALL_COUNTIES).build()


def build_full() -> str:
    """The demo as `manage.py seed_demo` loads it; returns what the command printed, in English."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


#: The kinds of demo, in the order their tests run: fixture name → how to build it.
KINDS: dict[str, Callable[[], Any]] = {"small_demo": build_small, "full_demo": build_full}


@dataclass
class Built:
    """The demo open in this process: which kind, what its build returned, and the transaction holding it."""

    kind: str
    result: Any
    atomic: Any
    settings: Any


class DemoCache:
    """At most one demo open at a time; asking for another kind rolls the open one back first. A build starts by
    restoring the data migrations' rows (`seed`) that a transactional test run before it flushed away."""

    def __init__(self, blocker, media_root, seed: str) -> None:
        self.blocker, self.media_root, self.seed = blocker, media_root, seed
        self.built: Built | None = None

    def get(self, kind: str) -> Any:
        if self.built is not None and self.built.kind == kind:
            return self.built.result
        self.close()
        with self.blocker.unblock():
            settings = override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=str(self.media_root))
            settings.enable()
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                restore_emptied(self.seed)
                result = KINDS[kind]()
            except BaseException:
                self._roll_back(atomic, settings)
                raise
        self.built = Built(kind, result, atomic, settings)
        return result

    def check(self, kind: str) -> None:
        """Refuse to let a test read a demo that is no longer open (the tests ran out of this module's order)."""
        if self.built is None or self.built.kind != kind:
            raise RuntimeError(
                f"the {kind} was rolled back before this test: run demo tests last (sciaid/demo/testing.py)"
            )

    def close(self) -> None:
        if self.built is not None:
            with self.blocker.unblock():
                self._roll_back(self.built.atomic, self.built.settings)
            self.built = None

    @staticmethod
    def _roll_back(atomic, settings) -> None:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        settings.disable()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that read a demo last, the small demo's before the full one's (stable: otherwise in place)."""
    kinds = list(KINDS)

    def rank(item: pytest.Item) -> int:
        names = getattr(item, "fixturenames", ())
        return next((1 + index for index, kind in enumerate(kinds) if kind in names or f"{kind}_built" in names), 0)

    items.sort(key=rank)


@pytest.fixture(scope="session", autouse=True)
def migrated_seed(django_db_setup, django_db_blocker) -> str:
    """The rows the data migrations seed (the specialty tree, the work calendar, fund sources), taken before the
    first test can flush them (`sciaid.testing.restore_emptied` brings them back)."""
    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture(scope="session")
def demo_cache(django_db_setup, django_db_blocker, media_root, migrated_seed) -> Iterator[DemoCache]:
    cache = DemoCache(django_db_blocker, media_root, migrated_seed)
    yield cache
    cache.close()


@pytest.fixture(scope="session")
def small_demo_built(demo_cache):
    return demo_cache.get("small_demo")


@pytest.fixture(scope="session")
def full_demo_built(demo_cache):
    return demo_cache.get("full_demo")


@pytest.fixture
def small_demo(small_demo_built, demo_cache, db):
    """The small demo (`SMALL_COUNTIES`), for reading and for steps rolled back after the test; the builder's counts."""
    demo_cache.check("small_demo")
    return small_demo_built


@pytest.fixture
def full_demo(full_demo_built, demo_cache, db):
    """The demo as `seed_demo` loads it; what the command printed (English)."""
    demo_cache.check("full_demo")
    return full_demo_built
