"""Shared form pieces: the base of every form a ServiceFormView shows, and fields for personal data."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sciaid.core.privacy import optional_phone, validate_id_number
from sciaid.core.spreadsheets import FORMATS, count_rows


class ListOptionsMixin:
    """Writes a select's options in one pass instead of through Django's template per option (~0.1–0.4 ms each):
    80 ms of a public catalogue page went into its county select at province scale, and a fifth of a demand list
    into its filter form. The markup is Django's own (option groups, `selected`, `multiple`), from the same widget
    context; a model's choices are read in one plain query, not through a server-side cursor (three round trips on
    PostgreSQL)."""

    def render(self, name, value, attrs=None, renderer=None):
        if isinstance(self.choices, ModelChoiceIterator):
            self.choices = listed_choices(self.choices)
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option["value"], " selected" if option["selected"] else "", option["label"]) for option in options),
            )
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group, html) if group else html)
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), mark_safe("".join(groups))
        )


def listed_choices(choices: ModelChoiceIterator) -> list[tuple]:
    """A model choice field's choices as a list, its empty label first."""
    head = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
    return head + [choices.choice(obj) for obj in choices.queryset]


class ListSelect(ListOptionsMixin, forms.Select):
    pass


class ListSelectMultiple(ListOptionsMixin, forms.SelectMultiple):
    pass


class ListNullBooleanSelect(ListOptionsMixin, forms.NullBooleanSelect):
    pass


#: Django's selects and the one-pass writer of each.
LISTED = {
    forms.Select: ListSelect,
    forms.SelectMultiple: ListSelectMultiple,
    forms.NullBooleanSelect: ListNullBooleanSelect,
}


def list_selects(form: forms.Form) -> None:
    """Give every plain Django select of `form` (a list's filter form: status, specialty, yes/no) its one-pass
    writer. The widget keeps its state (choices, attributes, required); only its class changes. Widgets of other
    classes (the area widget, custom templates) are left as they are."""
    for field in form.fields.values():
        listed = LISTED.get(type(field.widget))
        if listed is not None:
            field.widget.__class__ = listed


class PhoneField(forms.CharField):
    """A mainland mobile number; spaces, dashes and +86 as people type them are accepted and removed."""

    widget = forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = super().clean(value)
        return optional_phone(value)


class IdNumberField(forms.CharField):
    """A citizen ID number checked against GB 11643 (length, birth date, check digit)."""

    widget = forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 22)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = super().clean(value)
        return validate_id_number(value) if value else ""


class ActingUserForm(forms.Form):
    """A form that knows who is acting (ServiceFormView passes `user`, and `instance` when editing an object)."""

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user = user
        self.instance = instance
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict:
        """What a step's service call receives (`sciaid.core.actions`): the cleaned values, unless a form whose
        fields are not the service's arguments says otherwise."""
        return dict(self.cleaned_data)


class ImportForm(ActingUserForm):
    """An uploaded spreadsheet: right type and size; what is inside is the importer's business."""

    file = forms.FileField(
        label=_("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_("An .xlsx or .csv file laid out like the template."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
        if extension not in FORMATS:
            raise ValidationError(_("Please upload an .xlsx or .csv file."))
        if uploaded.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
            )
        uploaded.seek(0)
        looks_zipped = uploaded.read(4) == b"PK\x03\x04"
        uploaded.seek(0)
        if looks_zipped != (extension == "xlsx"):
            raise ValidationError(_("The file's content does not match its .%(ext)s name.") % {"ext": extension})
        self.extension = extension
        return uploaded

    def estimated_rows(self) -> int:
        """Data rows in the file, counted while streaming and only just past the job threshold: enough to decide
        between importing now and running a job, without reading a huge file whole."""
        return count_rows(self.cleaned_data["file"], settings.IMPORT_JOB_THRESHOLD)


# --- the work calendar ------------------------------------------------------------------------------------------

#: Browsers read and write ISO dates in <input type=date>, whatever the page's language.
ISO_DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CalendarDayForm(ActingUserForm):
    """One public holiday or make-up working day; the rules (weekday make-up days, duplicates) are the service's."""

    HOLIDAY, WORKDAY = "rest", "work"

    date = forms.DateField(label=_("Date"), widget=ISO_DATE_INPUT)
    kind = forms.ChoiceField(
        label=_("Kind of day"),
        choices=[(HOLIDAY, _("Public holiday (rest day)")), (WORKDAY, _("Make-up working day"))],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=64,
        required=False,
        help_text=_("As the official notice says, e.g. 国庆节 or 国庆节调休上班."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.initial.update(
                date=self.instance.date,
                kind=self.WORKDAY if self.instance.is_workday else self.HOLIDAY,
                name=self.instance.name,
            )

    def service_fields(self) -> dict:
        """The cleaned values as `calendar.save_calendar_day` takes them."""
        data = self.cleaned_data
        return {"day": data["date"], "is_workday": data["kind"] == self.WORKDAY, "name": data["name"]}


class CalendarYearForm(ActingUserForm):
    """A year whose days to copy from the `chinesecalendar` package."""

    year = forms.IntegerField(label=_("Year"), min_value=2004, max_value=2100)
