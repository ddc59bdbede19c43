"""Settings come from the environment; a bad value stops the process with a message naming the variable."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from sciaid.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("TRUE", True), (" yes ", True), ("off", False), ("", False)])
def test_env_bool_reads_the_usual_words(monkeypatch, raw, value):
    monkeypatch.setenv("SCIAID_TEST_FLAG", raw)
    assert env_bool("SCIAID_TEST_FLAG", not value) is value


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("SCIAID_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SCIAID_TEST_FLAG must be true or false"):
        env_bool("SCIAID_TEST_FLAG")


def test_env_int_refuses_a_non_number(monkeypatch):
    monkeypatch.setenv("SCIAID_TEST_NUMBER", "5 MB")
    with pytest.raises(ImproperlyConfigured, match="SCIAID_TEST_NUMBER must be a whole number"):
        env_int("SCIAID_TEST_NUMBER", 1)


def test_unset_variables_take_their_defaults(monkeypatch):
    for name in ("SCIAID_TEST_FLAG", "SCIAID_TEST_NUMBER", "SCIAID_TEST_LIST", "SCIAID_TEST_TEXT"):
        monkeypatch.delenv(name, raising=False)
    assert env_bool("SCIAID_TEST_FLAG", True) is True
    assert env_int("SCIAID_TEST_NUMBER", 7) == 7
    assert env_list("SCIAID_TEST_LIST", ["a"]) == ["a"]
    assert env_str("SCIAID_TEST_TEXT", "x") == "x"


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("SCIAID_TEST_LIST", " sciaid.example.cn, ,10.0.0.5 ")
    assert env_list("SCIAID_TEST_LIST", []) == ["sciaid.example.cn", "10.0.0.5"]


def test_env_str_reads_a_secret_from_the_file_named_by_NAME_FILE(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.setenv("SCIAID_TEST_TEXT", "from-the-environment")
    monkeypatch.setenv("SCIAID_TEST_TEXT_FILE", str(secret))
    assert env_str("SCIAID_TEST_TEXT") == "from-a-file"


#: Variables of the running environment that would change how the settings module loads in the child process.
CONFIG_VARIABLES = ("DATABASE_URL", "REDIS_URL", "JOBS_BACKEND", "DEBUG", "SECRET_KEY", "SCIAID_PRODUCTION")


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"JOBS_BACKEND": "cron"}, "JOBS_BACKEND must be thread, sync or celery"),
        ({"JOBS_BACKEND": "celery"}, "JOBS_BACKEND=celery needs REDIS_URL"),
        ({"DEBUG": "perhaps"}, "DEBUG must be true or false"),
        ({"IMPORT_MAX_BYTES": "50MB"}, "IMPORT_MAX_BYTES must be a whole number"),
        ({"SCIAID_PRODUCTION": "true"}, "SECRET_KEY must be set in production"),
    ],
)
def test_a_bad_setting_stops_the_process_with_a_clear_message(tmp_path, environment, message):
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    env.update(environment, SCIAID_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", "import sciaid.settings"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_the_defaults_load_on_a_bare_machine(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    env["SCIAID_VAR_DIR"] = str(tmp_path)
    code = "import sciaid.settings as s; print(s.DATABASES['default']['ENGINE'], s.JOBS_BACKEND)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["django.db.backends.sqlite3", "thread"], result.stderr
