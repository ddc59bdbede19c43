"""Every change to service logs goes through these functions: a commissioner records and corrects, the village info
officer or the county confirms or returns, a county imports paper records; confirming refreshes the stored
village-year figures the statistics read. A training log may record a training event fulfilling one of the
commissioner's agreements; the event then counts, not the log (`sciaid.commissioners.fulfilment`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.assistance.services import clean_photo, people
from sciaid.commissioners.agreements.choices import AgreementStatus
from sciaid.commissioners.agreements.models import Agreement
from sciaid.commissioners.common import lines, own_expert, require_area
from sciaid.commissioners.fulfilment import check_training_event
from sciaid.commissioners.logs.choices import LogStatus
from sciaid.commissioners.logs.figures import refresh_figures
from sciaid.commissioners.logs.models import LogPhoto, ServiceLog
from sciaid.commissioners.teams.models import Team
from sciaid.commissioners.teams.services import serving_team
from sciaid.core.notifications import notify
from sciaid.core.roles import Role
from sciaid.core.services import service
from sciaid.experts.models import Expert, Pairing
from sciaid.regions.models import Household

MAX_LOG_PHOTOS = 6


LOG_FIELDS = frozenset(
    {
        "village",
        "kind",
        "served_on",
        "summary",
        "participants",
        "other_households",
        "varieties",
        "techniques",
        "latitude",
        "longitude",
        "team",
        "training_event",
    }
)


def log_agreement(log: ServiceLog) -> Agreement | None:
    """The signed agreement a log counts towards: the team's for a team log, else the commissioner's own."""
    agreements = Agreement.objects.filter(
        village_id=log.village_id, year=log.served_on.year, status=AgreementStatus.SIGNED
    )
    if log.team_id:
        return agreements.filter(team_id=log.team_id).first()
    return agreements.filter(expert_id=log.expert_id).first()


def _check_log(log: ServiceLog, households: Sequence[Household] | None) -> None:
    if log.served_on > timezone.localdate():
        raise ValidationError({"served_on": _("The service date cannot be in the future.")})
    year = log.served_on.year
    if log.team_id:
        if not Team.objects.filter(pk=log.team_id, members__expert=log.expert, villages=log.village).exists():
            raise ValidationError({"team": _("You are not in a team serving this village.")})
        if log.team.year != year:
            raise ValidationError({"team": _("The team serves another year.")})
    elif not (
        Pairing.objects.filter(expert=log.expert, village=log.village, year=year).exists()
        or serving_team(log.expert, log.village, year)
    ):
        raise ValidationError({"village": _("You are not paired with this village in %(year)s.") % {"year": year}})
    if (log.latitude is None) != (log.longitude is None):
        raise ValidationError({"latitude": _("Give both latitude and longitude, or neither.")})
    if households:
        # Only how many: a household of another village is none of the commissioner's business, not even its number.
        foreign = sum(1 for h in households if h.village_id != log.village_id)
        if foreign:
            raise ValidationError(
                {"households": _("%(count)s of the households chosen are not of this village.") % {"count": foreign}}
            )


def _save_log(user, log: ServiceLog, households: Sequence[Household] | None, photos: Sequence) -> ServiceLog:
    _check_log(log, households)
    check_training_event(user, log)
    log.new_varieties = min(len(lines(log.varieties)), 32767)
    log.new_techniques = min(len(lines(log.techniques)), 32767)
    log.agreement = log_agreement(log)
    log.full_clean(exclude=["households", "agreement", "team"])
    log.save()
    if households is not None:
        log.households.set(households)
    attach_log_photos(log, photos)
    return log


def attach_log_photos(log: ServiceLog, uploads: Sequence) -> list[LogPhoto]:
    if not uploads:
        return []
    if log.photos.count() + len(uploads) > MAX_LOG_PHOTOS:
        raise ValidationError({"photos": _("A service log may have at most %(n)d photos.") % {"n": MAX_LOG_PHOTOS}})
    photos = []
    for upload in uploads:
        content, width, height = clean_photo(upload)
        photo = LogPhoto(log=log, width=width, height=height)
        photo.image.save(content.name, content, save=False)
        photo.save()
        photos.append(photo)
    return photos


@service
def log_service(user, *, households: Sequence[Household] = (), photos: Sequence = (), **fields) -> ServiceLog:
    """A commissioner records a service in a village they are paired with (or serve with their team) that year."""
    unknown = set(fields) - LOG_FIELDS
    if unknown:
        raise ValueError(f"not service-log fields: {sorted(unknown)}")
    expert = own_expert(user)
    if not expert.is_commissioner:
        raise PermissionDenied(_("Only S&T commissioners keep service logs."))
    log = _save_log(user, ServiceLog(expert=expert, **fields), list(households), photos)
    # The village's info officers confirm on the spot; the county sees the log on its list either way.
    notify(
        people(Role.INFO_OFFICER, [log.village.code]),
        title=lambda: (
            _("%(name)s logged a service in %(village)s; please confirm it.")
            % {"name": expert.name, "village": log.village.name}
        ),
        url=log.get_absolute_url(),
        kind="commissioners.log_submitted",
        email=False,
    )
    return log


@service
def import_log(
    user, *, expert: Expert, households: Sequence[Household] = (), photos: Sequence = (), **fields
) -> ServiceLog:
    """A county records a service on behalf of one of its commissioners (typed up from paper, by the form, the API
    or the spreadsheet import): checked like the commissioner's own log, marked `entered_by_county`, and counted as
    confirmed by the county that vouches for it."""
    unknown = set(fields) - LOG_FIELDS
    if unknown:
        raise ValueError(f"not service-log fields: {sorted(unknown)}")
    require_area(user, fields["village"])
    if not (expert.is_commissioner and expert.is_active):
        raise ValidationError({"expert": _("Only active S&T commissioners keep service logs.")})
    log = ServiceLog(
        expert=expert,
        entered_by_county=True,
        status=LogStatus.CONFIRMED,
        confirmed_by_id=user.pk,
        confirmed_at=timezone.now(),
        **fields,
    )
    _save_log(user, log, list(households), photos)
    refresh_figures(log.village_id, log.served_on.year)
    return log


@service
def update_log(
    user, log: ServiceLog, *, households: Sequence[Household] | None = None, photos: Sequence = (), **fields
) -> ServiceLog:
    """The commissioner corrects their log while it awaits confirmation or was returned to them."""
    unknown = set(fields) - LOG_FIELDS
    if unknown:
        raise ValueError(f"not service-log fields: {sorted(unknown)}")
    if log.expert.user_id != user.pk:
        raise PermissionDenied(_("Only the commissioner who wrote the log may change it."))
    if log.status == LogStatus.CONFIRMED:
        raise ValidationError(_("A confirmed log cannot be changed."))
    for key, value in fields.items():
        setattr(log, key, value)
    return _save_log(user, log, None if households is None else list(households), photos)


@service
def confirm_log(user, log: ServiceLog) -> ServiceLog:
    """The village info officer or the county confirms that the service took place."""
    ServiceLog.workflow.apply(log, "confirm", user, confirmed_by_id=user.pk, confirmed_at=timezone.now())
    refresh_figures(log.village_id, log.served_on.year)
    return log


@service
def return_log(user, log: ServiceLog, note: str) -> ServiceLog:
    if not note.strip():
        raise ValidationError({"note": _("Say what needs correcting.")})
    return ServiceLog.workflow.apply(log, "return", user, return_note=note.strip())


@service
def resubmit_log(user, log: ServiceLog) -> ServiceLog:
    if log.expert.user_id != user.pk:
        raise PermissionDenied(_("Only the commissioner who wrote the log may resubmit it."))
    return ServiceLog.workflow.apply(log, "resubmit", user, return_note="")
