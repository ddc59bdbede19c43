"""Imports only go down the layers of DESIGN.md §4: a cycle or an upward import between apps fails here."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

#: DESIGN.md §4. `demo` fills every app, so it sits on top with reports.
LAYERS = {
    "core": 0,
    "regions": 1,
    "accounts": 2,
    "experts": 3,
    "funds": 3,
    "information": 3,
    "assistance": 4,
    "training": 4,
    "achievements": 4,
    "market": 4,
    "demonstration": 5,
    "commissioners": 5,
    "projects": 5,
    "reports": 6,
    "demo": 7,
}
#: Imports allowed sideways within a layer: DESIGN.md §4 lists demonstration → achievements; issue 10 lets training
#: use assistance's public pieces (its published Q&A search, in training's one knowledge search); issue 11 has a
#: demonstration site record the commissioners' workstations and the projects involved in it, so commissioners and
#: projects link to sites and list themselves on a site's page (`demonstration.involvement`), never the reverse.
SIDEWAYS = {
    ("demonstration", "achievements"),
    ("training", "assistance"),
    ("commissioners", "demonstration"),
    ("projects", "demonstration"),
}
ROOT = Path(settings.BASE_DIR) / "sciaid"


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name.split(".")[1] for name in names if name.startswith("sciaid.") and name.count(".") >= 1}


def app_files():
    for app in sorted(p.name for p in ROOT.iterdir() if (p / "apps.py").exists()):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "tests" not in path.parts and "migrations" not in path.parts:
                yield app, path


def test_every_app_has_a_layer():
    apps = {app for app, _ in app_files()}
    assert apps <= set(LAYERS), f"give these apps a layer in DESIGN.md §4 and here: {sorted(apps - set(LAYERS))}"


@pytest.mark.parametrize(("app", "path"), list(app_files()), ids=lambda value: str(value).split("sciaid/")[-1])
def test_imports_go_down_the_layers(app, path):
    wrong = sorted(
        other
        for other in imported_apps(path)
        if other in LAYERS and other != app and LAYERS[other] >= LAYERS[app] and (app, other) not in SIDEWAYS
    )
    assert not wrong, f"sciaid.{app} (layer {LAYERS[app]}) may not import {wrong}"
