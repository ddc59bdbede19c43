"""Rich text written in a browser (articles, news, notices): what survives is formatting, links and images, never
script. One sanitiser for every app, so a rule learned once (no `javascript:` links, no event handlers, no inline
styles that hide text) protects them all.

`nh3` (the Rust `ammonia` sanitiser) parses the HTML as a browser would and keeps only the tags and attributes below;
links get `rel="noopener noreferrer nofollow"` so a published page never hands its readers' session to another site.
"""

from __future__ import annotations

import nh3
from django.utils.html import strip_tags

#: Tags an editor may use: paragraphs, headings, lists, emphasis, tables, quotes, links and images.
TAGS = frozenset(
    {
        "a", "b", "blockquote", "br", "caption", "code", "em", "figcaption", "figure", "h2", "h3", "h4", "hr", "i",
        "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr",
        "u", "ul",
    }
)  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
#: Links and images may point at the web, mail, or the platform itself (relative URLs).
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitise(html: str) -> str:
    """`html` with everything but the allowed formatting removed (script and style content dropped entirely)."""
    return nh3.clean(
        html or "",
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """The words of rich text, for search indexes, summaries and leaflets: tags removed, whitespace collapsed."""
    return " ".join(strip_tags(sanitise(html)).split())
