"""Every user-facing string has a zh-hans translation, and the compiled catalogue matches the source one."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

SOURCE = Path(settings.BASE_DIR) / "sciaid"
CATALOGUE = SOURCE / "locale" / "zh_Hans" / "LC_MESSAGES"


def keys(catalogue: polib.POFile) -> set[tuple[str, str]]:
    return {(entry.msgctxt or "", entry.msgid) for entry in catalogue if not entry.obsolete}


def test_every_catalogue_entry_is_translated():
    catalogue = polib.pofile(str(CATALOGUE / "django.po"))
    assert len(catalogue) > 100, "the zh-hans catalogue is nearly empty"
    missing = [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    assert not missing, f"untranslated or fuzzy zh-hans strings: {missing[:20]}"


def test_compiled_catalogue_matches_source():
    with (CATALOGUE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for entry in polib.pofile(str(CATALOGUE / "django.po")).translated_entries():
        expected = entry.msgstr or entry.msgstr_plural[0]
        if entry.msgid_plural:
            got = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
        elif entry.msgctxt:
            got = compiled.pgettext(entry.msgctxt, entry.msgid)
        else:
            got = compiled.gettext(entry.msgid)
        assert got == expected, f"django.mo is stale for {entry.msgid!r}: run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext's xgettext (installed by .ci/run)")
def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """Extract the strings as `make messages` does, in a copy of the source, and compare with the catalogue."""
    copy = tmp_path / "sciaid"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "locale", "migrations"))
    (copy / "locale").mkdir()
    # Without settings, makemessages writes only into ./locale of the copy, never into the real catalogue.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [str(Path(sys.executable).parent / "django-admin"), "makemessages", "-l", "zh_Hans", "-e", "html,txt,py"],
        cwd=copy,
        check=True,
        capture_output=True,
        env=env,
    )
    extracted = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    absent = keys(extracted) - keys(polib.pofile(str(CATALOGUE / "django.po")))
    assert not absent, (
        f"strings missing from the zh-hans catalogue (run `make messages`, translate): {sorted(absent)[:20]}"
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext's msgfmt (installed by .ci/run)")
def test_the_catalogue_compiles_with_gettext():
    """What `compilemessages` checks: every translation keeps its source's %-placeholders."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", os.devnull, str(CATALOGUE / "django.po")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
