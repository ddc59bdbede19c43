"""Every import template keeps long numbers as text: Excel turns an 11-digit phone, a 12-digit division code or an
18-digit ID number typed into a general cell into `3.40422E+17` and loses digits, which the importer then refuses.
Importers are found by walking the classes the apps define, so a new one is checked without being listed here."""

import importlib
import pkgutil

import pytest
from django.apps import apps

from sciaid.core.spreadsheets import Importer

LONG_NUMBER = 11


def importers() -> list[type[Importer]]:
    for config in apps.get_app_configs():
        if config.name.startswith("sciaid."):
            for module in pkgutil.walk_packages(config.module.__path__, f"{config.name}."):
                if module.name.rsplit(".", 1)[-1] == "importers":
                    importlib.import_module(module.name)
    found, stack = [], [Importer]
    while stack:
        for cls in stack.pop().__subclasses__():
            stack.append(cls)
            found.append(cls)
    return found


IMPORTERS = importers()


def test_every_app_importer_is_found():
    assert len(IMPORTERS) >= 7


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_long_numbers_in_templates_are_text_columns(importer):
    numeric = [
        column.key
        for column in importer.columns
        if str(column.example).replace("X", "").isdigit() and len(str(column.example)) >= LONG_NUMBER
    ]
    assert [key for key in numeric if not next(c for c in importer.columns if c.key == key).text] == []
