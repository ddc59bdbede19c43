"""The shared form pieces render what Django's own widgets render."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciaid.core.forms import ListNullBooleanSelect, ListSelect, ListSelectMultiple, list_selects
from sciaid.regions.models import Area

CHOICES = [("", "---------"), ("340422000000", "寿县 <A&B>"), ("340421000000", "凤台县")]


class Parts(HTMLParser):
    """The tags (with their attributes in any order) and the non-blank text, in document order."""

    def __init__(self, html: str):
        super().__init__()
        self.parts: list = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.parts.append((tag, sorted(attrs, key=lambda pair: pair[0])))

    def handle_data(self, data):
        if data.strip():
            self.parts.append(data.strip())


def compact(html: str) -> list:
    return Parts(html).parts


def test_a_list_select_writes_the_markup_of_a_select():
    for value in (None, "340422000000", "nothing chosen"):
        attrs = {"id": "id_county", "class": "narrow", "required": True}
        plain = forms.Select(choices=CHOICES).render("county", value, attrs)
        listed = ListSelect(choices=CHOICES).render("county", value, attrs)
        assert compact(listed) == compact(plain)


def test_a_list_select_escapes_values_and_labels():
    html = ListSelect(choices=[('"><script>', "<b>x</b>")]).render("county", None)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


class Choosing(forms.Form):
    status = forms.ChoiceField(choices=[("", "—"), ("open", "Open <1>"), ("done", "Done")], required=False)
    states = forms.MultipleChoiceField(choices=[("Open", [("a", "A"), ("b", "B")]), ("c", "C")], required=False)
    confirmed = forms.NullBooleanField(required=False)
    area = forms.ModelChoiceField(Area.objects.order_by("code"), to_field_name="code", required=False)


@pytest.mark.django_db
def test_a_filter_forms_selects_write_what_django_writes(world):
    data = {"status": "open", "states": ["b", "c"], "confirmed": "true", "area": world.county_a.code}
    for bound in (None, data):
        plain, listed = Choosing(bound), Choosing(bound)
        list_selects(listed)
        assert {type(field.widget) for field in listed.fields.values()} == {
            ListSelect,
            ListSelectMultiple,
            ListNullBooleanSelect,
        }
        for name in plain.fields:
            assert compact(str(listed[name])) == compact(str(plain[name])), name


@pytest.mark.django_db
def test_a_model_select_reads_its_choices_in_one_plain_query(world):
    form = Choosing()
    list_selects(form)
    with CaptureQueriesContext(connection) as ctx:
        html = str(form["area"])
    assert len(ctx) == 1 and "DECLARE" not in ctx[0]["sql"]
    assert world.county_a.name in html


def test_other_widgets_keep_their_own_writer():
    class Other(forms.Form):
        radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
        text = forms.CharField()

    form = Other()
    list_selects(form)
    assert type(form.fields["radio"].widget) is forms.RadioSelect
    assert type(form.fields["text"].widget) is forms.TextInput
