"""Security headers: a Content-Security-Policy without inline scripts, `no-store` on what a login opened (pages,
exports, API answers holding ID and phone numbers), and `check --deploy` clean with the README's production
environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client

README = Path(settings.BASE_DIR) / "README.md"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)


def test_every_answer_carries_a_policy_that_allows_no_inline_script(db, client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy


def test_no_template_holds_an_inline_script_or_a_javascript_link():
    templates = Path(settings.BASE_DIR, "sciaid").rglob("templates/**/*.html")
    offenders = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or "javascript:" in text or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(template))
    assert offenders == []


def test_the_api_docs_start_from_a_script_file(db, client):
    html = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(html)


def test_a_logged_in_page_and_its_export_are_not_stored(world, client_for):
    client = client_for("county_admin")
    page = client.get("/regions/households/")
    export = client.get("/regions/households/?export=csv")
    assert page.status_code == 200 and export.status_code == 200
    for response in (page, export):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_api_answers_are_not_stored(world, api_for):
    response = api_for("county_admin").get("/api/v1/households/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_public_page_for_an_anonymous_visitor_may_be_cached(db):
    response = Client().get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_an_answer_that_chose_its_caching_keeps_it(world, client_for):
    response = client_for("county_admin").get("/healthz")
    assert response["Cache-Control"] == "no-store"


def production_environment() -> dict[str, str]:
    """The `export NAME=value …` lines of the README's "Running in production" block."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Running in production") :]
    block = section[section.index("```sh") : section.index("```", section.index("```sh") + 5)]
    values = {}
    for line in block.splitlines():
        if line.startswith("export "):
            values.update(pair.split("=", 1) for pair in line.removeprefix("export ").split())
    return values


def test_check_deploy_is_clean_with_the_readme_production_environment(tmp_path):
    environment = production_environment()
    assert environment.get("SECURE_SSL_REDIRECT") == "true"
    secret = tmp_path / "secret_key"
    secret.write_text("k" * 8 + os.urandom(32).hex(), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE", "REDIS", "SECRET"))}
    env.update(environment)
    # The README's files and folders are the server's; the test's stand in for them.
    env.update(SECRET_KEY_FILE=str(secret), FIELD_ENCRYPTION_KEY_FILE=str(secret), SCIAID_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    # W021 (HSTS preload) is the operator's choice: a preloaded domain cannot leave HTTPS for months.
    warnings = set(re.findall(r"security\.W\d+", output)) - {"security.W021"}
    assert warnings == set(), output
    assert result.returncode == 0, output
