"""`{% link "app:name" arg label=… obj=… query=… css=… %}` renders a link only if the user may open its page;
`{% may_open "app:name" arg obj=… as ok %}` gives the same answer for a larger block. See `sciaid.core.links`."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sciaid.core.links import link_target
from sciaid.core.links import may_open as user_may_open

register = template.Library()

CURRENT = mark_safe(' aria-current="page"')


@register.simple_tag(takes_context=True)
def link(context, url_name: str, *args, label="", obj=None, query="", css="", current=False):
    path = link_target(context["request"].user, url_name, *args, obj=obj)
    if path is None:
        return ""
    if query:
        path = f"{path}?{query}"
    here = context["request"].path == path.split("?", 1)[0] or current
    return format_html(
        '<a href="{}"{}{}>{}</a>',
        path,
        format_html(' class="{}"', css) if css else "",
        CURRENT if here else "",
        label,
    )


@register.simple_tag(takes_context=True)
def may_open(context, url_name: str, *args, obj=None) -> bool:
    return user_may_open(context["request"].user, url_name, *args, obj=obj)
