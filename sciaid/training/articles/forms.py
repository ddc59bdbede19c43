"""Forms of the knowledge-base pages: choices from the user's jurisdiction; the rules (sanitising, file checks,
states) stay in `services`."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciaid.core.forms import ActingUserForm
from sciaid.core.richtext import TAGS
from sciaid.core.scoping import is_unrestricted, user_grants
from sciaid.experts.forms import specialty_choices
from sciaid.experts.models import Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.models import Area
from sciaid.training.articles.choices import ArticleKind
from sciaid.training.articles.models import AUTHORS

EDITABLE_FIELDS = ("kind", "title", "summary", "body", "tags", "video_link")


def authored_areas(user):
    """The county or higher areas the user writes for: those of their author grants and the counties below them."""
    areas = Area.objects.filter(level__lte=AreaLevel.COUNTY).order_by("code")
    if is_unrestricted(user):
        return areas
    condition = Q(pk__in=[])
    for grant in user_grants(user):
        if grant.role in AUTHORS:
            condition |= Q(code__range=grant.area.subtree_bounds)
    return areas.filter(condition)


class ArticleForm(ActingUserForm):
    """Write or correct an article: the body is HTML typed or pasted in a text box, sanitised when saved."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    category = forms.ChoiceField(label=_("Category"), choices=(), required=False)
    tags = forms.CharField(
        label=_("Tags"), max_length=200, required=False, help_text=_("Separated by spaces or commas.")
    )
    area = forms.ModelChoiceField(label=_("Published for"), queryset=Area.objects.none(), to_field_name="code")
    cover = forms.FileField(
        label=_("Cover image"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP."),
    )
    video = forms.FileField(
        label=_("Video file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "video/mp4,video/webm"}),
        help_text=_("MP4 or WebM."),
    )
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("A video on another site: the page shows it as a link, never embedded."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "HTML. Kept: %(tags)s, and links (href) and images (src, alt); scripts, styles and event handlers are "
            "removed."
        ) % {"tags": " ".join(f"<{tag}>" for tag in sorted(TAGS))}
        self.fields["category"].choices = [("", "—"), *specialty_choices()]
        areas = authored_areas(self.user)
        self.fields["area"].queryset = areas
        fit_area_widget(self.fields["area"], example="340422000000")
        article = self.instance
        if article is not None:
            self.initial.update({name: getattr(article, name) for name in EDITABLE_FIELDS})
            self.initial.update(area=article.area.code, category=str(article.category_id or ""))
        elif len(areas[:2]) == 1:
            self.initial["area"] = areas[0].code

    def service_fields(self) -> dict:
        """The cleaned values as `services.save_article` takes them (no new file: None)."""
        data = dict(self.cleaned_data)
        data["category"] = Specialty.objects.filter(pk=data["category"]).first() if data["category"] else None
        return data


class NoteForm(ActingUserForm):
    note = forms.CharField(label=_("Note to the author"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
