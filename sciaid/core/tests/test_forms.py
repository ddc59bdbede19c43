"""The shared form pieces render what Django's own widgets render."""

from html.parser import HTMLParser

from django import forms

from sciaid.core.forms import ListSelect

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
