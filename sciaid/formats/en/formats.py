"""English formats: Django's, with ISO input formats first (see `sciaid.formats`)."""

from django.conf.locale.en import formats as django_formats

from sciaid.formats import ISO_DATE, ISO_DATETIME, iso_first

DATE_INPUT_FORMATS = iso_first(django_formats.DATE_INPUT_FORMATS, ISO_DATE)
DATETIME_INPUT_FORMATS = iso_first(django_formats.DATETIME_INPUT_FORMATS, ISO_DATETIME)
