"""Every date field of every form and filter renders a value the browser's date picker can read, in every language.

`<input type=date>` reads ISO values only; Chinese input formats start with `2026/12/06`, which left the funds
allocation form's date empty and refused with "此项为必填项". Forms are found by walking the classes the apps
define, so a new form is checked without being listed here.
"""

import copy
import datetime
import importlib
import pkgutil
import re

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.utils import translation

DAY = datetime.date(2026, 12, 6)
MOMENT = datetime.datetime(2026, 12, 6, 9, 30)
VALUE = re.compile(r'value="([^"]*)"')


def _import_app_modules() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("sciaid."):
            continue
        for module in pkgutil.walk_packages(config.module.__path__, f"{config.name}."):
            if ".tests" not in module.name and ".migrations" not in module.name and "management" not in module.name:
                importlib.import_module(module.name)


def _subclasses(base: type) -> list[type]:
    found, stack = [], [base]
    while stack:
        for cls in stack.pop().__subclasses__():
            stack.append(cls)
            if cls.__module__.startswith("sciaid."):
                found.append(cls)
    return found


def _date_fields() -> list[tuple[str, forms.Field]]:
    _import_app_modules()
    fields = []
    for form in _subclasses(forms.BaseForm):
        fields += [(f"{form.__module__}.{form.__name__}.{name}", field) for name, field in form.base_fields.items()]
    for filterset in _subclasses(django_filters.FilterSet):
        fields += [
            # A copy: a filter builds its field once and keeps it, which would change what later tests count.
            (f"{filterset.__module__}.{filterset.__name__}.{name}", copy.deepcopy(flt).field)
            for name, flt in filterset.base_filters.items()
        ]
    return [(name, field) for name, field in fields if isinstance(field, forms.DateField | forms.DateTimeField)]


DATE_FIELDS = _date_fields()


def test_the_apps_have_date_fields_to_check():
    assert len(DATE_FIELDS) >= 10


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("name", "field"), DATE_FIELDS, ids=[name for name, _ in DATE_FIELDS])
def test_date_inputs_render_iso_values(name, field, language):
    widget = field.widget
    is_datetime = isinstance(field, forms.DateTimeField)
    with translation.override(language):
        html = widget.render("when", MOMENT if is_datetime else DAY)
    assert widget.input_type in ("date", "datetime-local") or widget.attrs.get("type") in (
        "date",
        "datetime-local",
    ), f"{name}: a phone needs a date picker, not a text box"
    (value,) = VALUE.findall(html)
    if is_datetime:
        assert datetime.datetime.fromisoformat(value) == MOMENT, f"{name} renders {value!r}"
    else:
        assert datetime.date.fromisoformat(value) == DAY, f"{name} renders {value!r}"
    with translation.override(language):
        assert field.clean(value) is not None
