"""Format overrides per language (settings.FORMAT_MODULE_PATH).

Browsers' `<input type=date>` and `type=datetime-local` read and send ISO values only, whatever the page's
language; Django renders a widget's value in the first of the language's input formats, which for Chinese is
`2026/12/06` — an empty field in the browser. So every language here puts the ISO format first and keeps
Django's own formats after it for what people type into plain text fields.
"""

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


def iso_first(formats: list[str], iso: str) -> list[str]:
    return [iso, *(fmt for fmt in formats if fmt != iso)]
