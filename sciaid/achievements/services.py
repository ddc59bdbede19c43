"""Entering, reviewing and publishing achievements; recording technology needs and matching them; transfers.

Every function checks the acting user's role and jurisdiction and the row's state, and writes the audit entry in the
same transaction (transitions through the state machine, saves through the audit signals). The search columns
(`words`, `title_pinyin`, `title_initials`) are kept here, whoever writes (page, API, demo).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.achievements.choices import NeedStatus, RequesterKind, TransferMode, TransferStatus
from sciaid.achievements.models import NEED_WRITERS, WRITERS, Achievement, TechnologyNeed, Transfer
from sciaid.core import publishing
from sciaid.core.portal import ALL_YEARS
from sciaid.core.publishing import PublicationStatus
from sciaid.core.scoping import CHANGE, VIEW, area_allows, may
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.core.text import joined_tokens
from sciaid.experts.models import Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household
from sciaid.regions.portal import count_again
from sciaid.regions.services import pinyin_of

#: A catalogue entry's text changes only while it is a draft: what is in review or published is what was read.
EDITABLE = frozenset({PublicationStatus.DRAFT})
#: A transfer's terms change until it is applied; afterwards only its evaluation is added.
TRANSFER_EDITABLE = frozenset({TransferStatus.NEGOTIATING, TransferStatus.SIGNED})
NEED_LEVELS = frozenset({AreaLevel.COUNTY, AreaLevel.TOWNSHIP, AreaLevel.VILLAGE})
#: The portal's tally of the catalogue's size (`portal.py`), recounted whenever an entry is published or withdrawn.
PORTAL_TALLY = "achievements"


def normalised(text: str) -> str:
    """The form two titles (or owners) are compared in: full-width folded (NFKC), case-folded, without spaces and
    punctuation, so "皖稻 68" and "皖稻68" are the same achievement."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[\W_]+", "", folded)


def public_achievements():
    """Published entries, for readers without a login (public fields only are shown from them)."""
    return Achievement.objects.filter(status=PublicationStatus.PUBLISHED)


def _require_change(user, obj, message: str) -> None:
    if not may(user, obj, CHANGE):
        raise PermissionDenied(message)


def _check_catalogue_area(user, area: Area | None) -> None:
    if area is None or area.level > AreaLevel.COUNTY:
        raise ValidationError({"area": _("Choose a county, a city or the province.")})
    if not area_allows(user, area, WRITERS):
        raise ValidationError({"area": _("Choose an area of your jurisdiction.")})


def _duplicate_error() -> ValidationError:
    return ValidationError(
        {"title": _("This owner's achievement with this title is already in the catalogue; change that entry instead.")}
    )


# --- the catalogue -----------------------------------------------------------------------------------------------


@service
def save_achievement(
    user, *, instance: Achievement | None = None, industries=None, regions=None, **fields
) -> Achievement:
    """Enter an achievement in the catalogue of an area the user runs, or correct a draft. Refused: a second entry
    of the same title and owner (normalised), no industry, no transfer mode, an unknown mode."""
    if instance is not None:
        _require_change(user, instance, _("This achievement is outside your jurisdiction."))
        if instance.status not in EDITABLE:
            raise TransitionRefused(_("Only a draft can be changed; return it to draft first."))
    item = instance or Achievement()
    for key, value in fields.items():
        setattr(item, key, value)
    item.title, item.owner = (item.title or "").strip(), (item.owner or "").strip()
    if not item.title:
        raise ValidationError({"title": _("Give a title.")})
    if not item.owner:
        raise ValidationError({"owner": _("Name the owner institution.")})
    modes = list(dict.fromkeys(item.transfer_modes or []))
    if not modes or set(modes) - set(TransferMode.values):
        raise ValidationError({"transfer_modes": _("Choose at least one transfer mode.")})
    item.transfer_modes = modes
    if industries is not None and not list(industries):
        raise ValidationError({"industries": _("Choose at least one applicable industry.")})
    _check_catalogue_area(user, item.area if item.area_id else None)
    item.title_key, item.owner_key = normalised(item.title)[:200], normalised(item.owner)[:200]
    same = Achievement.objects.filter(title_key=item.title_key, owner_key=item.owner_key).exclude(pk=item.pk)
    if same.exists():
        raise _duplicate_error()
    pinyin, initials = pinyin_of(item.title)
    item.title_pinyin, item.title_initials = pinyin[:400], initials[:100]
    item.full_clean(exclude=["title_key", "owner_key"], validate_constraints=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # the same entry saved concurrently: the constraint decides
        raise _duplicate_error() from None
    if industries is not None:
        item.industries.set(industries)
    if regions is not None:
        item.regions.set(regions)
    if item.pk and not item.industries.exists():
        raise ValidationError({"industries": _("Choose at least one applicable industry.")})
    names = " ".join(Specialty.objects.filter(pk__in=item.industries.all()).values_list("name_zh", flat=True))
    item.words = joined_tokens(f"{item.title} {item.owner} {names} {item.description}")
    Achievement.objects.filter(pk=item.pk).update(words=item.words)
    _require_change(user, item, _("This change would move the entry outside your jurisdiction."))
    return item


@service
def delete_achievement(user, item: Achievement) -> None:
    """Remove a draft never published (a published entry is withdrawn instead, its transfers keep pointing at it)."""
    _require_change(user, item, _("This achievement is outside your jurisdiction."))
    if item.status != PublicationStatus.DRAFT or item.transfers.exists() or item.needs.exists():
        raise TransitionRefused(_("Only a draft without transfers can be deleted; withdraw it instead."))
    item.delete()


@service
def submit_achievement(user, item: Achievement) -> Achievement:
    """Hand a draft to the review of its area's managers."""
    return publishing.submit(item, user)


@service
def publish_achievement(user, item: Achievement, *, on: date | None = None) -> Achievement:
    """The reviewer publishes the entry: the public and every role of the province read it from now on."""
    publishing.publish_dated(item, user, on=on)
    count_again(PORTAL_TALLY, (item.area.code, ALL_YEARS))  # the portal's catalogue size
    return item


@service
def return_achievement(user, item: Achievement, note: str = "") -> Achievement:
    """Send the entry back to draft with what to change."""
    return publishing.return_to_draft(item, user, note)


@service
def withdraw_achievement(user, item: Achievement, note: str = "") -> Achievement:
    """Take the entry off the public catalogue (outdated, superseded); its public address answers 404 again."""
    publishing.withdraw(item, user, note)
    count_again(PORTAL_TALLY, (item.area.code, ALL_YEARS))  # the portal's catalogue size
    return item


@service
def redraft_achievement(user, item: Achievement) -> Achievement:
    """Make a withdrawn entry a draft again, to correct and publish it anew."""
    return publishing.redraft(item, user)


# --- technology needs --------------------------------------------------------------------------------------------


def _check_need_area(user, area: Area | None) -> None:
    if area is None or area.level not in NEED_LEVELS:
        raise ValidationError({"area": _("Choose a village, a township or a county.")})
    if not area_allows(user, area, NEED_WRITERS):
        raise ValidationError({"area": _("Choose an area of your jurisdiction.")})


@service
def save_need(user, *, instance: TechnologyNeed | None = None, **fields) -> TechnologyNeed:
    """Record a technology need of a village, township or county the user serves, or correct an open one."""
    if instance is not None:
        _require_change(user, instance, _("This need is outside your jurisdiction."))
        if instance.status != NeedStatus.OPEN:
            raise TransitionRefused(_("Only an open need can be changed."))
    need = instance or TechnologyNeed()
    for key, value in fields.items():
        setattr(need, key, value)
    need.title, need.description = (need.title or "").strip(), (need.description or "").strip()
    if not need.title:
        raise ValidationError({"title": _("Give a title.")})
    _check_need_area(user, need.area if need.area_id else None)
    need.words = joined_tokens(f"{need.title} {need.description}")
    need.full_clean()
    need.save()
    _require_change(user, need, _("This change would move the need outside your jurisdiction."))
    return need


def need_from_text(
    user,
    title: str,
    description: str,
    area: Area,
    source_label: str,
    industry: Specialty | None = None,
    source_demand_id: int | None = None,
) -> TechnologyNeed:
    """A technology need made from another app's record (an assistance demand triaged as a need for a technique):
    the hook apps of the same layer call, so this app never imports them. The industry defaults to "other"."""
    industry = industry or Specialty.objects.get(code="other")
    return save_need(
        user,
        title=title[:200],
        description=description or title,
        area=area,
        industry=industry,
        requester_kind=RequesterKind.COUNTY,
        source_label=source_label[:200],
        source_demand_id=source_demand_id,
    )


# The handoff of an assistance demand (registered in apps.py with sciaid.core.handoffs; `source` is its Source).


def need_from_source(user, source) -> TechnologyNeed:
    """The need a triage desk makes of a farmer's demand: its title, text, village and specialty as industry."""
    return need_from_text(
        user, source.title, source.text, source.area, source.label, source.industry, source_demand_id=source.pk
    )


def need_of_demand(demand_id: int) -> TechnologyNeed | None:
    """The need already made from this demand, whoever may read it (the demand's page decides what to show)."""
    return TechnologyNeed.objects.filter(source_demand_id=demand_id).first()


def may_record_need(user, source) -> bool:
    """Whether `save_need` would accept a need of the source's area from this user."""
    return source.area.level in NEED_LEVELS and area_allows(user, source.area, NEED_WRITERS)


@service
def match_need(user, need: TechnologyNeed, achievement: Achievement) -> TechnologyNeed:
    """Record which published achievement answers the need."""
    if achievement.status != PublicationStatus.PUBLISHED:
        raise ValidationError({"achievement": _("Choose a published achievement.")})
    return TechnologyNeed.workflow.apply(
        need, "match", user, note=achievement.title, matched_achievement_id=achievement.pk, updated_at=timezone.now()
    )


@service
def close_need(user, need: TechnologyNeed, note: str = "") -> TechnologyNeed:
    return TechnologyNeed.workflow.apply(need, "close", user, note=(note or "").strip(), updated_at=timezone.now())


@service
def reopen_need(user, need: TechnologyNeed) -> TechnologyNeed:
    return TechnologyNeed.workflow.apply(need, "reopen", user, matched_achievement_id=None, updated_at=timezone.now())


# --- transfers ---------------------------------------------------------------------------------------------------


def _check_transfer(user, transfer: Transfer, households: list[Household] | None) -> None:
    area = transfer.area if transfer.area_id else None
    if area is None or area.level not in NEED_LEVELS:
        raise ValidationError({"area": _("Choose the village, township or county where it is applied.")})
    if not area_allows(user, area, WRITERS):
        raise ValidationError({"area": _("Choose an area of your jurisdiction.")})
    if transfer.contract_value is None or Decimal(transfer.contract_value) < 0:
        raise ValidationError({"contract_value": _("A contract value is a number of at least 0.")})
    if transfer.need_id and not may(user, transfer.need, VIEW):
        raise ValidationError({"need": _("Choose a need of your jurisdiction.")})
    if households:
        outside = [h for h in households if not area.covers(h.village)]
        if outside:
            raise ValidationError({"households": _("Choose registered households of the transfer's area.")})
        visible = Household.objects.for_user(user, VIEW).filter(pk__in=[h.pk for h in households]).count()
        if visible != len({h.pk for h in households}):
            raise ValidationError({"households": _("Choose households of your jurisdiction.")})
        if (transfer.households_count or 0) < len(households):
            raise ValidationError(
                {"households_count": _("At least as many households benefit as are picked from the registry.")}
            )


@service
def save_transfer(user, *, instance: Transfer | None = None, households=None, **fields) -> Transfer:
    """Record a transfer of a published achievement in an area the user runs, or correct one not yet applied.
    A transfer answering an open need marks the need matched with its achievement."""
    if instance is not None:
        _require_change(user, instance, _("This transfer is outside your jurisdiction."))
        if instance.status not in TRANSFER_EDITABLE:
            raise TransitionRefused(_("An applied transfer's terms no longer change; evaluate it instead."))
    transfer = instance or Transfer()
    old_achievement = transfer.achievement_id
    for key, value in fields.items():
        setattr(transfer, key, value)
    transfer.recipient = (transfer.recipient or "").strip()
    if not transfer.recipient:
        raise ValidationError({"recipient": _("Name the recipient organisation or village.")})
    achievement = transfer.achievement if transfer.achievement_id else None
    changed = achievement is not None and achievement.pk != old_achievement
    if achievement is None or (changed and achievement.status != PublicationStatus.PUBLISHED):
        raise ValidationError({"achievement": _("Choose a published achievement.")})
    households = list(households) if households is not None else None
    _check_transfer(user, transfer, households)
    transfer.full_clean(exclude=["households"])
    transfer.save()
    if households is not None:
        transfer.households.set(households)
    _require_change(user, transfer, _("This change would move the transfer outside your jurisdiction."))
    need = transfer.need
    if need is not None and need.status == NeedStatus.OPEN:
        match_need(user, need, achievement)
    return transfer


@service
def sign_transfer(user, transfer: Transfer, *, on: date | None = None) -> Transfer:
    """The contract (or the extension agreement) is signed, on `on` (default: the date recorded)."""
    return Transfer.workflow.apply(
        transfer, "sign", user, signed_on=on or transfer.signed_on, updated_at=timezone.now()
    )


@service
def apply_transfer(user, transfer: Transfer, *, on: date | None = None) -> Transfer:
    """The achievement is in use at the recipient: from now on it counts as a new variety or technique introduced in
    the year of `on` (default today)."""
    on = on or timezone.localdate()
    if on < transfer.signed_on:
        raise ValidationError({"on": _("A transfer is applied after it is signed.")})
    return Transfer.workflow.apply(transfer, "apply", user, applied_on=on, updated_at=timezone.now())


@service
def evaluate_transfer(user, transfer: Transfer, note: str = "") -> Transfer:
    """Record how the applied achievement worked out (yield, income, households)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write the evaluation.")})
    return Transfer.workflow.apply(transfer, "evaluate", user, evaluation_note=note, updated_at=timezone.now())


@service
def cancel_transfer(user, transfer: Transfer, note: str = "") -> Transfer:
    """The negotiation failed or the contract was cancelled before the achievement was applied."""
    return Transfer.workflow.apply(transfer, "cancel", user, note=(note or "").strip(), updated_at=timezone.now())
