"""schemathesis over the whole OpenAPI schema, as four roles: every generated request is answered without a server
error, with a status code the schema documents and a body that matches the schema.

Marked `fuzz`, so `make test` leaves it out; `.ci/run` runs it as its own stage (`make test-fuzz`). The size is
`FUZZ_CASES` requests in all (default 1,000, a few minutes on two cores), spread evenly over operations and roles;
`FUZZ_SEED` picks another sample of cases (default 0: every run generates the same ones, so CI is repeatable):

    FUZZ_CASES=10000 FUZZ_SEED=7 .venv/bin/pytest -m fuzz sciaid/tests/test_schemathesis.py

A failure lists each operation, request, status and the check that failed, grouped so one defect shows once.
"""

from __future__ import annotations

import os

import hypothesis
import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

pytestmark = pytest.mark.fuzz

#: A province-wide administrator, a county's administrator, a commissioner and a village's information officer.
ROLES = ["admin", "county_admin", "expert", "info_officer"]
CASES = int(os.environ.get("FUZZ_CASES", "1000"))
SEED = int(os.environ.get("FUZZ_SEED", "0"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _first_line(failure: BaseException) -> str:
    text = str(failure).strip().splitlines()
    return next((line for line in text if line.strip()), type(failure).__name__)[:200]


def fuzz(operation, headers: dict, examples: int) -> dict[str, str]:
    """Generate `examples` requests for one operation and check each answer; {defect: one request showing it}.

    Failures are collected, not raised, so Hypothesis does not spend the run shrinking one of them."""
    found: dict[str, str] = {}

    @hypothesis.seed(SEED)
    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy())
    def run(case):
        status = "no answer"
        try:
            response = case.call(headers=headers)
            status = response.status_code
            case.validate_response(response, checks=CHECKS)
        except (Exception, FailureGroup) as failure:  # a FailureGroup is a BaseExceptionGroup of failed checks
            defect = f"{operation.label} → {status}: {_first_line(failure)}"
            found.setdefault(defect, f"{case.method} {case.formatted_path} {case.query or ''} {case.body!r:.300}")

    run()
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_generated_request_is_answered_as_the_schema_says(transactional_db, world, role):
    token = Token.objects.create(user=world.users[role])
    # Uncompressed answers: schemathesis reads the body as the application wrote it.
    headers = {"Authorization": f"Token {token.key}", "Accept-Encoding": "identity"}
    # The schema as the API serves it; calls go to the application in this process (and its test database).
    api_schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), headers=headers)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    examples = max(1, CASES // (len(operations) * len(ROLES)))
    defects: dict[str, str] = {}
    for operation in operations:
        defects.update(fuzz(operation, headers, examples))
    assert not defects, "\n".join(f"{defect}\n    e.g. {request}" for defect, request in sorted(defects.items()))
