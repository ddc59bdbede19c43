"""Whether to show a link: the page it leads to answers, so a menu item, tab or button never leads to a refusal.

Views answer through their `may_open(user, obj=None)` classmethod (`sciaid.core.views.PageAccessMixin`), the same
one their `dispatch` uses to refuse; this module only finds the view behind a URL name.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, resolve, reverse
from django.utils.translation import get_language

from sciaid.core.scoping import PUBLIC


@lru_cache(maxsize=4096)
def _view_class(path: str):
    """Paths are resolved in the language they were reversed in, so the cache key is the full path."""
    match = resolve(path)
    return getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)


@lru_cache(maxsize=1024)
def _path(url_name: str, language: str | None, script_prefix: str, urlconf) -> str:
    """A page's path without arguments, reversed once per language: the menu asks for ~40 on every page, and
    `reverse` was most of the menu's time. The URLconf does not change while the process runs."""
    return reverse(url_name, urlconf=urlconf)


def may_open(user, url_name: str, *args, obj=None) -> bool:
    """Whether `user` may open the page `url_name` (with `args`), about `obj` where the page is about one object."""
    return link_target(user, url_name, *args, obj=obj) is not None


def link_target(user, url_name: str, *args, obj=None) -> str | None:
    """The path of the page if `user` may open it, else None. Anonymous visitors are offered public pages only
    (`scoping = PUBLIC`), and those still answer through their `may_open` (a published article, not a draft)."""
    urlconf = get_urlconf(settings.ROOT_URLCONF)
    path = reverse(url_name, args=args) if args else _path(url_name, get_language(), get_script_prefix(), urlconf)
    view_class = _view_class(path)
    if not getattr(user, "is_authenticated", False) and getattr(view_class, "scoping", None) != PUBLIC:
        return None
    check = getattr(view_class, "may_open", None)
    if check is not None and not check(user, obj):
        return None
    return path


def openable_ids(user, view_class, ids) -> set[int]:
    """The ids among `ids` whose page `view_class` opens for `user`, in one query: the answer `{% link … obj=… %}`
    gives row by row (a scoped detail view opens the objects its model's scope lets the user see), for a list."""
    if not view_class.may_open(user):
        return set()
    visible = view_class.model._default_manager.for_user(user, view_class.action)
    return set(visible.filter(pk__in=set(ids)).values_list("pk", flat=True))
