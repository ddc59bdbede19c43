"""The load test at a tiny size: a real gunicorn on the test database, the trivial view then the whole mix, each
role's requests answered without a single error, and the submissions bounded."""

from __future__ import annotations

import os
import socket

import pytest
from django.db import connection

from bench.generate import Plan, ensure_dataset
from bench.load import TRIVIAL, measure_load, parse_args
from sciaid.assistance.models import Demand

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="gunicorn serves the PostgreSQL test database"),
]

TINY = Plan(cities=1, counties_per_city=2, townships_per_county=2, villages_per_township=3, households_per_village=4)
#: The kinds every run must have measured (the pages of the county admin and the API client rotate).
HANDED_ON = {
    "officer: submit demand + photo (API)",
    "triage: assign (API)",
    "expert: accept (API)",
    "expert: reply (API)",
    "county admin: household list (page)",
    "API: indicators (county)",
    TRIVIAL,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_mix_runs_on_gunicorn_without_errors():
    ensure_dataset(TINY, log=lambda line: None)
    args = parse_args(
        [
            *("--seconds", "30", "--trivial-seconds", "2", "--clients", "5", "--workers", "1"),
            *("--max-submissions", "4", "--port", str(free_port())),
        ]
    )
    # 30 s: long enough for a demand to go officer → triage → expert even on a saturated shared machine.
    # gunicorn is the platform as deployed, not under test: no PYTEST_VERSION (settings read it as "testing").
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
    env |= {"DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "sciaid.settings", "STATIC_FINGERPRINTS": "false"}
    lines, recorder = measure_load(args, env)
    assert not any(recorder.errors.values()), dict(recorder.errors)
    assert set(recorder.times) >= HANDED_ON, sorted(recorder.times)
    assert 1 <= Demand.objects.filter(title__startswith="[load]").count() <= 4, "bounded by --max-submissions"
    assert any(line.startswith("mix ") and "% of the trivial view" in line for line in lines)
    print("\n".join(lines))
