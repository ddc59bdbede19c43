"""Every change to commissioner batches, teams, agreements and service logs goes through these functions.

Each checks the acting user's role and jurisdiction, validates, and writes in one transaction with its audit entry.
Village pairings themselves stay in `sciaid.experts.services` (pair_commissioner / unpair, with the yearly limit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.accounts.models import User
from sciaid.assistance.choices import SERVED_STATES
from sciaid.assistance.models import Demand
from sciaid.assistance.services import clean_photo, people
from sciaid.commissioners.choices import AgreementStatus, BatchStatus, CandidateSource, CandidateStatus, LogStatus
from sciaid.commissioners.models import (
    MANAGERS,
    REVIEWERS,
    Agreement,
    AllocationRule,
    Appraisal,
    AppraisalRubric,
    Batch,
    Candidate,
    LogPhoto,
    ServiceLog,
    Team,
    TeamMember,
    VillageYearFigures,
    Workstation,
    WorkstationActivity,
    WorkstationAppraisal,
    WorkstationReview,
)
from sciaid.commissioners.statistics import log_figures
from sciaid.commissioners.yearly_choices import OrganisationKind, Rating, RoundStatus, WorkstationStatus
from sciaid.core import audit
from sciaid.core.models import ChangeAction
from sciaid.core.notifications import notify
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, area_allows, is_unrestricted, may, user_grants
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.experts.models import Expert, Pairing
from sciaid.funds.choices import RecipientKind
from sciaid.funds.models import Allocation, Budget
from sciaid.funds.services import allocate
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

#: A service team has this many members, leader included.
TEAM_SIZE = (3, 5)
#: Who nominates an expert into a batch: the county itself or an applicant organisation of the county.
NOMINATORS = MANAGERS | {Role.APPLICANT}
MAX_LOG_PHOTOS = 6


def require_area(user, area: Area, roles=MANAGERS) -> None:
    if not area_allows(user, area, roles):
        raise PermissionDenied(_("This area is outside your jurisdiction."))


def require_change(user, obj) -> None:
    if not may(user, obj, CHANGE):
        raise PermissionDenied(_("You may not change this record."))


def own_expert(user) -> Expert:
    """The acting user's own commissioner profile; only commissioners log services and apply."""
    expert = Expert.objects.filter(user_id=getattr(user, "pk", None), is_active=True).first()
    if expert is None:
        raise PermissionDenied(_("Only experts may do this."))
    return expert


def lines(text: str) -> list[str]:
    """The non-empty lines of a text box (varieties, techniques), one item each."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- selection batches -------------------------------------------------------------------------------------------


@service
def open_batch(user, *, county: Area, year: int, title: str, closes_on: date | None = None, notes: str = "") -> Batch:
    """A county opens its yearly selection batch; applications and nominations go into it until it is closed."""
    if county.level != AreaLevel.COUNTY:
        raise ValidationError({"county": _("Selection batches are opened by a county.")})
    require_area(user, county)
    batch = Batch(county=county, year=year, title=title.strip(), closes_on=closes_on, notes=notes)
    batch.full_clean()
    batch.save()
    return batch


@service
def close_batch(user, batch: Batch) -> Batch:
    return Batch.workflow.apply(batch, "close", user)


def _require_open(batch: Batch) -> None:
    if batch.status != BatchStatus.OPEN:
        raise ValidationError(_("This batch is closed."))


def _enter(batch: Batch, expert: Expert, **fields) -> Candidate:
    if Candidate.objects.filter(batch=batch, expert=expert).exists():
        raise ValidationError(_("%(expert)s is already in this batch.") % {"expert": expert.name})
    candidate = Candidate(batch=batch, expert=expert, level=expert.level, **fields)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        raise ValidationError(_("%(expert)s is already in this batch.") % {"expert": expert.name}) from None
    return candidate


@service
def apply(user, batch: Batch, statement: str = "") -> Candidate:
    """An expert applies to be selected in an open batch of a county they may see."""
    expert = own_expert(user)
    if not Batch.objects.for_user(user).filter(pk=batch.pk).exists():
        raise PermissionDenied(_("This batch is outside your jurisdiction."))
    _require_open(batch)
    return _enter(batch, expert, source=CandidateSource.APPLIED, statement=statement)


@service
def nominate(user, batch: Batch, expert: Expert, *, nominated_by: str = "", statement: str = "") -> Candidate:
    """The county, or an applicant organisation of the county, nominates an expert into an open batch."""
    require_area(user, batch.county, NOMINATORS)
    _require_open(batch)
    if not Expert.objects.filter(pk=expert.pk, is_active=True).exists():
        raise ValidationError({"expert": _("Only active experts can be nominated.")})
    return _enter(
        batch,
        expert,
        source=CandidateSource.NOMINATED,
        nominated_by=nominated_by.strip() or expert.organisation,
        statement=statement,
    )


def _make_commissioner(expert: Expert) -> None:
    """Approval makes the expert a commissioner (the flag the experts app pairs and routes by)."""
    if not expert.is_commissioner:
        Expert.objects.filter(pk=expert.pk).update(is_commissioner=True)
        expert.is_commissioner = True
        audit.record(expert, ChangeAction.UPDATE, {"is_commissioner": False}, {"is_commissioner": True})


@service
def decide(user, candidate: Candidate, *, approve: bool, reason: str = "") -> Candidate:
    """The county approves or rejects a candidate; a rejection needs a reason the expert can read."""
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the candidate is rejected.")})
    name = "approve" if approve else "reject"
    Candidate.workflow.apply(candidate, name, user, reason=reason.strip(), decided_at=timezone.now())
    if approve:
        _make_commissioner(candidate.expert)
    return candidate


@service
def withdraw(user, candidate: Candidate) -> Candidate:
    if candidate.expert.user_id != user.pk:
        raise PermissionDenied(_("Only the candidate may withdraw."))
    return Candidate.workflow.apply(candidate, "withdraw", user)


@service
def enter_roster(user, batch: Batch, experts: Iterable[tuple[Expert, str]]) -> tuple[int, int]:
    """Put a county's decided roster into the batch as approved candidates; experts already in it are left alone.
    Returns (created, unchanged). Called by the roster importer inside its transaction."""
    require_area(user, batch.county)
    known = set(Candidate.objects.filter(batch=batch).values_list("expert_id", flat=True))
    created = unchanged = 0
    now = timezone.now()
    for expert, nominated_by in experts:
        if expert.pk in known:
            unchanged += 1
            continue
        candidate = Candidate(
            batch=batch,
            expert=expert,
            level=expert.level,
            source=CandidateSource.ROSTER,
            nominated_by=nominated_by or expert.organisation,
            status=CandidateStatus.APPROVED,
            decided_at=now,
        )
        candidate.save()
        _make_commissioner(expert)
        known.add(expert.pk)
        created += 1
    return created, unchanged


# --- teams -------------------------------------------------------------------------------------------------------


@service
def save_team(
    user,
    *,
    instance: Team | None = None,
    county: Area,
    year: int,
    name: str,
    leader: Expert,
    members: Sequence[Expert],
    villages: Sequence[Area],
) -> Team:
    """Create or change a service team: 3–5 active commissioners (leader included) serving villages of the county."""
    if county.level != AreaLevel.COUNTY:
        raise ValidationError({"county": _("A team belongs to a county.")})
    require_area(user, county)
    if instance is not None:
        require_change(user, instance)
    people = {expert.pk: expert for expert in [leader, *members]}
    low, high = TEAM_SIZE
    if not low <= len(people) <= high:
        raise ValidationError(
            {"members": _("A team has %(low)d to %(high)d members, leader included.") % {"low": low, "high": high}}
        )
    not_commissioners = [e.name for e in people.values() if not (e.is_commissioner and e.is_active)]
    if not_commissioners:
        raise ValidationError(
            {"members": _("Not active commissioners: %(names)s.") % {"names": "、".join(not_commissioners)}}
        )
    if not villages:
        raise ValidationError({"villages": _("Choose the villages the team serves.")})
    outside = [v.name for v in villages if v.level != AreaLevel.VILLAGE or not county.covers(v)]
    if outside:
        raise ValidationError(
            {"villages": _("Not villages of this county: %(names)s.") % {"names": "、".join(outside)}}
        )
    team = instance or Team()
    team.county, team.year, team.name, team.leader = county, year, name.strip(), leader
    team.full_clean(exclude=["villages"])
    team.save()
    before = sorted(team.members.values_list("expert_id", flat=True)) if instance else []
    TeamMember.objects.filter(team=team).exclude(expert_id__in=people).delete()
    TeamMember.objects.bulk_create(
        [TeamMember(team=team, expert=e) for pk, e in people.items() if pk not in before], ignore_conflicts=True
    )
    team.villages.set(villages)
    if before and before != sorted(people):
        audit.record(team, ChangeAction.UPDATE, {"members": before}, {"members": sorted(people)})
    return team


# --- agreements --------------------------------------------------------------------------------------------------

AGREEMENT_FIELDS = frozenset(
    {
        "starts_on",
        "ends_on",
        "duties",
        "target_trainings",
        "target_trainees",
        "target_varieties",
        "target_techniques",
        "target_households",
    }
)


@service
def save_agreement(
    user,
    *,
    instance: Agreement | None = None,
    pairing: Pairing | None = None,
    team: Team | None = None,
    village: Area | None = None,
    **fields,
) -> Agreement:
    """Draft an agreement for a pairing (its village and year) or for a team (one of its villages), or change a
    draft or signed one's term, duties and targets."""
    unknown = set(fields) - AGREEMENT_FIELDS
    if unknown:
        raise ValueError(f"not agreement fields: {sorted(unknown)}")
    agreement = instance or Agreement()
    if instance is not None:
        require_change(user, instance)
        if instance.status not in (AgreementStatus.DRAFT, AgreementStatus.SIGNED):
            raise ValidationError(_("A fulfilled or terminated agreement cannot be changed."))
    else:
        _set_party(agreement, pairing, team, village)
        require_area(user, agreement.village)
    for key, value in fields.items():
        setattr(agreement, key, value)
    if agreement.starts_on and agreement.ends_on and agreement.ends_on < agreement.starts_on:
        raise ValidationError({"ends_on": _("The term ends before it starts.")})
    agreement.full_clean(exclude=["scan"])
    agreement.save()
    return agreement


def _set_party(agreement: Agreement, pairing: Pairing | None, team: Team | None, village: Area | None) -> None:
    if (pairing is None) == (team is None):
        raise ValidationError(_("An agreement is made either for a pairing or for a team."))
    if pairing is not None:
        agreement.pairing, agreement.expert = pairing, pairing.expert
        agreement.village_id, agreement.year = pairing.village_id, pairing.year
        agreement.village = pairing.village
        return
    if village is None or not team.villages.filter(pk=village.pk).exists():
        raise ValidationError({"village": _("Choose one of the villages the team serves.")})
    agreement.team, agreement.village, agreement.year = team, village, team.year


@service
def sign_agreement(user, agreement: Agreement, *, signed_on: date, scan=None) -> Agreement:
    """Record the signature (date, and the signed scan when there is one)."""
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    if scan is not None:
        attach_scan(user, agreement, scan)
    return Agreement.workflow.apply(agreement, "sign", user, signed_on=signed_on)


@service
def attach_scan(user, agreement: Agreement, scan) -> Agreement:
    """Attach (or replace) the signed agreement's scan: a PDF or picture, at most 10 MB."""
    require_change(user, agreement)
    name = (getattr(scan, "name", "") or "").lower()
    if not name.endswith((".pdf", ".jpg", ".jpeg", ".png")):
        raise ValidationError({"scan": _("Attach the scan as PDF, JPEG or PNG.")})
    if scan.size > 10 * 1024 * 1024:
        raise ValidationError({"scan": _("The scan may be at most 10 MB.")})
    extension = name.rsplit(".", 1)[-1]
    agreement.scan.save(f"agreement-{agreement.pk}.{extension}", scan, save=False)
    Agreement.objects.filter(pk=agreement.pk).update(scan=agreement.scan.name)
    audit.record(agreement, ChangeAction.UPDATE, {}, {"scan": "attached"})
    return agreement


@service
def fulfil_agreement(user, agreement: Agreement) -> Agreement:
    return Agreement.workflow.apply(agreement, "fulfil", user)


@service
def terminate_agreement(user, agreement: Agreement, reason: str) -> Agreement:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the agreement is terminated.")})
    return Agreement.workflow.apply(agreement, "terminate", user, termination_reason=reason.strip())


# --- service logs ------------------------------------------------------------------------------------------------

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
    }
)


def serving_team(expert: Expert, village: Area, year: int) -> Team | None:
    return Team.objects.filter(members__expert=expert, villages=village, year=year).first()


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


def _save_log(log: ServiceLog, households: Sequence[Household] | None, photos: Sequence) -> ServiceLog:
    _check_log(log, households)
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
    log = _save_log(ServiceLog(expert=expert, **fields), list(households), photos)
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
def import_log(user, *, expert: Expert, households: Sequence[Household] = (), **fields) -> ServiceLog:
    """A county types up a paper service record of one of its commissioners; it counts as confirmed by the county."""
    village = fields["village"]
    require_area(user, village)
    log = ServiceLog(
        expert=expert, status=LogStatus.CONFIRMED, confirmed_by_id=user.pk, confirmed_at=timezone.now(), **fields
    )
    _save_log(log, list(households), ())
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
    return _save_log(log, None if households is None else list(households), photos)


def refresh_figures(village_id: int | None = None, year: int | None = None) -> int:
    """Recompute the stored village-year figures from the confirmed logs: of one village and year after a log is
    confirmed, or of every village (None) after a bulk load. Returns the rows written."""
    logs = ServiceLog.objects.filter(status=LogStatus.CONFIRMED)
    figures = VillageYearFigures.objects.all()
    if village_id is not None:
        logs = logs.filter(village_id=village_id, served_on__year=year)
        figures = figures.filter(village_id=village_id, year=year)
    sums = logs.annotate(year=ExtractYear("served_on")).values("village_id", "year").annotate(**log_figures())
    links = ServiceLog.households.through.objects.filter(servicelog__in=logs)
    helped = {
        (row["servicelog__village_id"], row["year"]): row["n"]
        for row in links.annotate(year=ExtractYear("servicelog__served_on"))
        .values("servicelog__village_id", "year")
        .annotate(n=Count("household", distinct=True))
        .order_by()
    }
    rows = [
        VillageYearFigures(
            village_id=row["village_id"],
            year=row["year"],
            services=row["services"],
            trainings=row["trainings"],
            trainees=row["trainees"],
            varieties=row["varieties"],
            techniques=row["techniques"],
            households=row["other_households"] + helped.get((row["village_id"], row["year"]), 0),
        )
        for row in sums.order_by()
    ]
    figures.delete()
    VillageYearFigures.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


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


# --- the commissioners' year: allocation rule, workstations, appraisal ---------------------------------------------
# Money goes through `sciaid.funds.services.allocate` only; the effect of a commissioner's service is read from the
# demands they served (sciaid.assistance), their volume from the confirmed service logs above.

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def needed_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def require_county(area: Area) -> Area:
    if area is None or area.level != AreaLevel.COUNTY:
        raise ValidationError({"county": _("Choose a county.")})
    return area


def paired_villages(county: Area, year: int) -> dict[int, int]:
    """{expert id: number of the county's villages the commissioner is paired with in `year`}; one query."""
    rows = (
        Pairing.objects.filter(year=year, village__code__range=county.subtree_bounds, expert__is_commissioner=True)
        .values("expert")
        .annotate(villages=Count("village", distinct=True))
        .order_by()
    )
    return {row["expert"]: row["villages"] for row in rows}


# --- allocation rule -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllocationRow:
    """One commissioner's line in a rule's preview: villages paired, amount due, and whether it is in the ledger."""

    expert: Expert
    villages: int
    amount: Decimal
    key: str
    posted: bool


def allocation_key(rule: AllocationRule, expert_id: int) -> str:
    """The ledger key of one commissioner's allocation under a rule: the same key is never paid twice."""
    return f"commissioner-rule:{rule.county.code}:{rule.year}:{expert_id}"


@service
def save_allocation_rule(
    user, *, county: Area, year: int, base_amount: Decimal, increment: Decimal, instance: AllocationRule | None = None
) -> AllocationRule:
    """Create or change a county's yearly rule; a posted rule is in the ledger and no longer changes."""
    rule = instance or AllocationRule.objects.filter(county=county, year=year).first() or AllocationRule()
    if rule.posted_at is not None:
        raise ValidationError(_("This rule has been posted to the ledger; its amounts can no longer change."))
    require_area(user, require_county(county))
    if rule.pk:
        require_change(user, rule)
    rule.county, rule.year, rule.base_amount, rule.increment = county, year, base_amount, increment
    rule.full_clean(validate_constraints=rule.pk is None)
    rule.save()
    return rule


def allocation_preview(rule: AllocationRule) -> list[AllocationRow]:
    """Every commissioner paired with the county's villages that year, with their amount, by name; three queries."""
    villages = paired_villages(rule.county, rule.year)
    experts = Expert.objects.filter(pk__in=villages).order_by("name", "pk")
    keys = {expert_id: allocation_key(rule, expert_id) for expert_id in villages}
    posted = set(Allocation.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    return [
        AllocationRow(
            expert,
            villages[expert.pk],
            rule.amount_for(villages[expert.pk]),
            keys[expert.pk],
            keys[expert.pk] in posted,
        )
        for expert in experts
    ]


@dataclass(frozen=True)
class PostingResult:
    posted: int
    already: int
    amount: Decimal


@service
def post_allocation_rule(user, rule: AllocationRule, *, budget: Budget, allocated_on: date | None = None):
    """Post the rule's preview to the ledger in one step: one allocation per commissioner not yet paid under it.

    All or nothing: refused, with nothing written, when the budget is not the county's for the year or lacks the
    money for every allocation still due. Posting again pays only commissioners added since (none twice).
    """
    require_change(user, rule)
    if not Budget.objects.for_user(user, CHANGE).filter(pk=budget.pk).exists():
        raise ValidationError({"budget": _("Choose a budget of your jurisdiction.")})
    if budget.year != rule.year or not budget.area.covers(rule.county):
        raise ValidationError({"budget": _("Choose a budget of this county for %(year)s.") % {"year": rule.year}})
    rows = allocation_preview(rule)
    if not rows:
        raise ValidationError(
            _("No commissioner is paired with a village of this county in %(year)s.") % {"year": rule.year}
        )
    due = [row for row in rows if not row.posted]
    needed = sum((row.amount for row in due), Decimal("0.00"))
    Budget.objects.select_for_update().filter(pk=budget.pk).values_list("pk").get()
    free = Budget.objects.with_totals().get(pk=budget.pk).unallocated
    if needed > free:
        raise ValidationError(
            {
                "budget": _(
                    "The budget has ¥%(free)s unallocated but the allocations due need ¥%(needed)s; nothing was posted."
                )
                % {"free": f"{free:,.2f}", "needed": f"{needed:,.2f}"}
            }
        )
    day = allocated_on or timezone.localdate()
    purpose = _("Commissioner assistance funds %(year)s") % {"year": rule.year}
    for row in due:
        allocate(
            user,
            budget,
            recipient_kind=RecipientKind.COMMISSIONER,
            amount=row.amount,
            purpose=purpose,
            allocated_on=day,
            recipient=row.expert,
            recipient_name=row.expert.name,
            key=row.key,
        )
    AllocationRule.objects.filter(pk=rule.pk).update(budget=budget, posted_at=rule.posted_at or timezone.now())
    rule.refresh_from_db()
    return PostingResult(posted=len(due), already=len(rows) - len(due), amount=needed)


# --- workstations ------------------------------------------------------------------------------------------------


def decides_for_province(user, village: Area) -> bool:
    """Filing, rejecting and revoking workstations is the province's: a manager granted at province level."""
    if is_unrestricted(user):
        return True
    return any(
        grant.role in MANAGERS and grant.area.level == AreaLevel.PROVINCE and grant.area.covers(village)
        for grant in user_grants(user)
    )


def require_province(user, workstation: Workstation) -> None:
    if not decides_for_province(user, workstation.village):
        raise PermissionDenied(_("Only the province files, rejects or revokes workstations."))


def locked_workstation(workstation: Workstation) -> Workstation:
    return Workstation.objects.select_for_update().get(pk=workstation.pk)


def require_state(workstation: Workstation, *states: str) -> None:
    if workstation.status not in states:
        raise TransitionRefused(
            _("This cannot be done now: the workstation is “%(state)s”.") % {"state": workstation.get_status_display()}
        )


@service
def apply_workstation(
    user,
    *,
    name: str,
    organisation: str,
    industry: str,
    village: Area,
    plan: str,
    organisation_kind: str = OrganisationKind.ENTERPRISE,
    facilities: str = "",
    commissioners: Sequence[Expert] = (),
) -> Workstation:
    """An enterprise or cooperative of the area applies to run a workstation in a host village."""
    if village is None or village.level != AreaLevel.VILLAGE:
        raise ValidationError({"village": _("Choose the host village.")})
    require_area(user, village, {Role.APPLICANT})
    if any(not expert.is_commissioner for expert in commissioners):
        raise ValidationError({"commissioners": _("Only S&T commissioners can be stationed at a workstation.")})
    workstation = Workstation(
        name=needed_text(name, "name", _("Name the workstation.")),
        organisation=needed_text(organisation, "organisation", _("Name the enterprise or cooperative.")),
        organisation_kind=organisation_kind,
        industry=needed_text(industry, "industry", _("Name the industry.")),
        village=village,
        facilities=(facilities or "").strip(),
        plan=needed_text(plan, "plan", _("Describe the work plan.")),
        applicant=user,
    )
    workstation.full_clean()
    workstation.save()
    workstation.commissioners.set(commissioners)
    return workstation


@service
def start_workstation_review(user, workstation: Workstation, *, reviewers: Sequence) -> Workstation:
    """The county (or province) sends an application to reviewers: users holding the reviewer or expert role."""
    reviewers = list(dict.fromkeys(reviewers))
    if not reviewers:
        raise ValidationError({"reviewers": _("Choose at least one reviewer.")})
    qualified = set(
        User.objects.filter(pk__in=[r.pk for r in reviewers], is_active=True, grants__role__in=REVIEWERS).values_list(
            "pk", flat=True
        )
    )
    if len(qualified) != len(reviewers):
        raise ValidationError({"reviewers": _("Reviewers must hold the reviewer or the expert role.")})
    Workstation.workflow.apply(workstation, "start_review", user)
    WorkstationReview.objects.bulk_create(
        [WorkstationReview(workstation=workstation, reviewer=reviewer) for reviewer in reviewers]
    )
    notify(
        reviewers,
        kind="workstation.review",
        title=lambda: _("Please review the workstation application “%(name)s”.") % {"name": workstation.name},
        url=workstation.get_absolute_url(),
    )
    return workstation


@service
def submit_workstation_review(user, workstation: Workstation, *, score: int, opinion: str) -> WorkstationReview:
    """An assigned reviewer scores the application (0–100) and gives an opinion; they may revise it until the
    province decides."""
    workstation = locked_workstation(workstation)
    review = WorkstationReview.objects.filter(workstation=workstation, reviewer_id=user.pk).first()
    if review is None:
        raise PermissionDenied(_("This application is not assigned to you."))
    require_state(workstation, WorkstationStatus.UNDER_REVIEW)
    if score is None or not 0 <= score <= 100:
        raise ValidationError({"score": _("Give a score from 0 to 100.")})
    review.score = score
    review.opinion = needed_text(opinion, "opinion", _("Give your opinion."))
    review.submitted_at = timezone.now()
    review.save()
    return review


@service
def file_workstation(user, workstation: Workstation, *, note: str = "") -> Workstation:
    """The province files (备案) a reviewed workstation."""
    require_province(user, workstation)
    require_state(workstation, WorkstationStatus.UNDER_REVIEW)
    if not workstation.reviews.filter(submitted_at__isnull=False).exists():
        raise ValidationError(_("No reviewer has scored this application yet."))
    now = timezone.now()
    return Workstation.workflow.apply(
        workstation, "file", user, filed_on=timezone.localdate(now), decided_at=now, decision_note=(note or "").strip()
    )


@service
def reject_workstation(user, workstation: Workstation, *, reason: str) -> Workstation:
    """The province rejects an application, saying why."""
    require_province(user, workstation)
    reason = needed_text(reason, "reason", _("Say why the application is rejected."))
    Workstation.workflow.apply(workstation, "reject", user, decided_at=timezone.now(), decision_note=reason)
    notify(
        [workstation.applicant],
        kind="workstation.rejected",
        title=gettext_lazy("Your workstation application was rejected."),
        body=reason,
        url=workstation.get_absolute_url(),
    )
    return workstation


@service
def revoke_workstation(user, workstation: Workstation, *, reason: str) -> Workstation:
    """The province revokes a filed workstation, saying why; its history and funds stay on record."""
    require_province(user, workstation)
    reason = needed_text(reason, "reason", _("Say why the workstation is revoked."))
    return Workstation.workflow.apply(workstation, "revoke", user, decided_at=timezone.now(), decision_note=reason)


@service
def report_workstation_activity(
    user,
    workstation: Workstation,
    *,
    kind: str,
    held_on: date,
    title: str,
    participants: int = 0,
    households_driven: int = 0,
    note: str = "",
) -> WorkstationActivity:
    """A filed workstation (its organisation, or the county for it) reports a training, demonstration …"""
    require_change(user, workstation)
    require_state(locked_workstation(workstation), WorkstationStatus.FILED)
    activity = WorkstationActivity(
        workstation=workstation,
        kind=kind,
        held_on=held_on,
        title=needed_text(title, "title", _("Name the activity.")),
        participants=participants,
        households_driven=households_driven,
        note=(note or "").strip(),
    )
    activity.full_clean()
    activity.save()
    return activity


def require_manager_of(user, workstation: Workstation) -> None:
    if not area_allows(user, workstation.village, MANAGERS):
        raise PermissionDenied(_("Only the county or the province does this."))


@service
def appraise_workstation(
    user, workstation: Workstation, *, year: int, score: Decimal, rating: str, note: str = ""
) -> WorkstationAppraisal:
    """The county or province records a filed workstation's yearly appraisal (once a year; a second call corrects
    it)."""
    require_manager_of(user, workstation)
    require_state(locked_workstation(workstation), WorkstationStatus.FILED)
    appraisal = WorkstationAppraisal.objects.filter(workstation=workstation, year=year).first()
    appraisal = appraisal or WorkstationAppraisal(workstation=workstation, year=year)
    appraisal.score, appraisal.rating, appraisal.note = score, rating, (note or "").strip()
    appraisal.full_clean(validate_constraints=False)
    appraisal.save()
    return appraisal


@service
def fund_workstation(
    user, workstation: Workstation, *, budget: Budget, amount: Decimal, purpose: str, allocated_on: date | None = None
):
    """Allocate money from a budget to a filed workstation, through the funds ledger."""
    require_manager_of(user, workstation)
    require_state(locked_workstation(workstation), WorkstationStatus.FILED)
    if not Budget.objects.for_user(user, CHANGE).filter(pk=budget.pk).exists():
        raise ValidationError({"budget": _("Choose a budget of your jurisdiction.")})
    return allocate(
        user,
        budget,
        recipient_kind=RecipientKind.WORKSTATION,
        amount=amount,
        purpose=purpose,
        allocated_on=allocated_on or timezone.localdate(),
        recipient=workstation,
        recipient_name=workstation.name,
    )


# --- appraisal -----------------------------------------------------------------------------------------------------


RUBRIC_FIELDS = (
    "weight_volume",
    "weight_effect",
    "weight_opinion",
    "weight_manual",
    "volume_target",
    "excellent_from",
    "qualified_from",
    "excellent_quota",
)


@service
def save_appraisal_rubric(user, *, county: Area, year: int, instance: AppraisalRubric | None = None, **fields):
    """Create or change a county's yearly rubric (weights summing to 100, thresholds, quota) before review."""
    rubric = instance or AppraisalRubric.objects.filter(county=county, year=year).first() or AppraisalRubric()
    if rubric.status in (RoundStatus.REVIEWED, RoundStatus.PUBLISHED):
        raise ValidationError(_("The appraisal has been reviewed; reopen it before changing the rubric."))
    require_area(user, require_county(county))
    if rubric.pk:
        require_change(user, rubric)
    unknown = set(fields) - set(RUBRIC_FIELDS)
    if unknown:
        raise ValueError(f"unknown rubric fields {sorted(unknown)}")
    rubric.county, rubric.year = county, year
    for name, value in fields.items():
        setattr(rubric, name, value)
    rubric.full_clean(validate_constraints=rubric.pk is None)
    rubric.save()
    if rubric.status == RoundStatus.COMPUTED:
        rate_sheets(rubric)
    return rubric


def service_volume(county: Area, year: int, expert_ids) -> dict[int, int]:
    """{expert id: confirmed service logs in the county's villages in `year`}, a team's logs counting for each of its
    members (once, even when the member wrote the log); two queries."""
    logs = ServiceLog.objects.filter(
        status=LogStatus.CONFIRMED, served_on__year=year, village__code__range=county.subtree_bounds
    )
    counts = dict.fromkeys(expert_ids, 0)
    by_team: dict[int, dict[int, int]] = {}
    for row in logs.values("expert", "team").annotate(n=Count("pk")).order_by():
        if row["expert"] in counts:
            counts[row["expert"]] += row["n"]
        if row["team"] is not None:
            by_team.setdefault(row["team"], {})[row["expert"]] = row["n"]
    members = TeamMember.objects.filter(team_id__in=by_team, expert_id__in=expert_ids).values_list("team", "expert")
    for team_id, expert_id in members:
        counts[expert_id] += sum(n for author, n in by_team[team_id].items() if author != expert_id)
    return counts


@dataclass(frozen=True)
class Effect:
    demands: int
    mean_rating: Decimal | None
    callbacks: int
    satisfied: int

    @property
    def score(self) -> Decimal | None:
        """Mean of the rating (out of 5) and the share of satisfied call-backs, as 0–100; None without evidence."""
        parts = []
        if self.mean_rating is not None:
            parts.append(self.mean_rating * 20)
        if self.callbacks:
            parts.append(Decimal(self.satisfied) * HUNDRED / self.callbacks)
        return (sum(parts) / len(parts)).quantize(CENT) if parts else None


def service_effect(county: Area, year: int, expert_ids) -> dict[int, Effect]:
    """{expert id: Effect} from the demands of the county the commissioner resolved in `year`; one query."""
    rows = (
        Demand.objects.filter(
            resolved_by_id__in=expert_ids,
            resolved_at__year=year,
            village__code__range=county.subtree_bounds,
            status__in=SERVED_STATES,
        )
        .values("resolved_by")
        .annotate(
            n=Count("pk"),
            mean=Avg("rating"),
            called=Count("pk", filter=Q(called_at__isnull=False)),
            satisfied=Count("pk", filter=Q(callback_satisfied=True)),
        )
        .order_by()
    )
    return {
        row["resolved_by"]: Effect(
            row["n"],
            None if row["mean"] is None else Decimal(str(row["mean"])).quantize(CENT, rounding=ROUND_HALF_UP),
            row["called"],
            row["satisfied"],
        )
        for row in rows
    }


@service
def compute_appraisal(user, rubric: AppraisalRubric) -> AppraisalRubric:
    """Compute every paired commissioner's sheet from the year's data (keeping the opinion and manual scores
    already entered), then the totals and ratings. Commissioners no longer paired lose their sheet."""
    AppraisalRubric.workflow.apply(rubric, "compute", user)
    villages = paired_villages(rubric.county, rubric.year)
    ids = list(villages)
    volume = service_volume(rubric.county, rubric.year, ids)
    effects = service_effect(rubric.county, rubric.year, ids)
    rubric.sheets.exclude(expert_id__in=ids).delete()
    existing = {sheet.expert_id: sheet for sheet in rubric.sheets.all()}
    target = Decimal(rubric.volume_target)
    for expert_id in ids:
        sheet = existing.get(expert_id) or Appraisal(rubric=rubric, expert_id=expert_id)
        effect = effects.get(expert_id, Effect(0, None, 0, 0))
        sheet.villages = villages[expert_id]
        sheet.services = volume[expert_id]
        sheet.volume_score = min(HUNDRED, Decimal(sheet.services) * HUNDRED / target).quantize(CENT)
        sheet.demands_served, sheet.mean_rating = effect.demands, effect.mean_rating
        sheet.callbacks, sheet.satisfied_callbacks = effect.callbacks, effect.satisfied
        sheet.effect_score = effect.score or Decimal("0.00")
        existing[expert_id] = sheet
    new = [sheet for sheet in existing.values() if sheet.pk is None]
    Appraisal.objects.bulk_create(new)
    old = [sheet for sheet in existing.values() if sheet.pk is not None and sheet not in new]
    Appraisal.objects.bulk_update(old, COMPUTED_FIELDS)
    rate_sheets(rubric)
    return rubric


COMPUTED_FIELDS = [
    "villages",
    "services",
    "volume_score",
    "demands_served",
    "mean_rating",
    "callbacks",
    "satisfied_callbacks",
    "effect_score",
]


def sheet_total(rubric: AppraisalRubric, sheet: Appraisal) -> Decimal:
    """The weighted total; when the commissioner served no demand, the effect weight is shared by the others."""
    scores = {
        "volume": sheet.volume_score,
        "effect": sheet.effect_score if sheet.demands_served else None,
        "opinion": sheet.opinion_score,
        "manual": sheet.manual_score,
    }
    weights = {name: weight for name, weight in rubric.weights.items() if scores[name] is not None}
    total_weight = sum(weights.values())
    if not total_weight:
        return Decimal("0.00")
    weighted = sum(Decimal(weight) * Decimal(scores[name]) for name, weight in weights.items())
    return (weighted / total_weight).quantize(CENT, rounding=ROUND_HALF_UP)


def rate_sheets(rubric: AppraisalRubric) -> None:
    """Totals, ranks and ratings of all the rubric's sheets: thresholds first, then the excellent quota (best totals
    first; at equal totals the commissioner's name decides, so the result is reproducible)."""
    sheets = list(rubric.sheets.select_related("expert"))
    for sheet in sheets:
        sheet.total = sheet_total(rubric, sheet)
    sheets.sort(key=lambda s: (-s.total, s.expert.name, s.expert_id))
    quota = len(sheets) if rubric.excellent_quota is None else len(sheets) * rubric.excellent_quota // 100
    for rank, sheet in enumerate(sheets, start=1):
        sheet.rank = rank
        if sheet.total >= rubric.excellent_from and rank <= quota:
            sheet.rating = Rating.EXCELLENT
        elif sheet.total >= rubric.qualified_from:
            sheet.rating = Rating.QUALIFIED
        else:
            sheet.rating = Rating.UNQUALIFIED
    Appraisal.objects.bulk_update(sheets, ["total", "rank", "rating"])


@service
def score_appraisal(
    user, sheet: Appraisal, *, opinion_score: Decimal, manual_score: Decimal, note: str = ""
) -> Appraisal:
    """Enter a sheet's village opinion and manual scores (0–100) while the appraisal is computed, not yet reviewed;
    totals and ratings of the whole county follow (the quota ranks everyone)."""
    require_change(user, sheet)
    rubric = AppraisalRubric.objects.select_for_update().get(pk=sheet.rubric_id)
    if rubric.status != RoundStatus.COMPUTED:
        raise TransitionRefused(_("Scores are entered after computing and before the review."))
    sheet.opinion_score, sheet.manual_score, sheet.note = opinion_score, manual_score, (note or "").strip()
    sheet.full_clean(validate_constraints=False)
    sheet.save()
    rate_sheets(rubric)
    sheet.refresh_from_db()
    return sheet


@service
def review_appraisal(user, rubric: AppraisalRubric) -> AppraisalRubric:
    """The county has checked the sheets: scores are frozen until it reopens or publishes."""
    return AppraisalRubric.workflow.apply(rubric, "review", user)


@service
def reopen_appraisal(user, rubric: AppraisalRubric) -> AppraisalRubric:
    return AppraisalRubric.workflow.apply(rubric, "reopen", user)


@service
def publish_appraisal(user, rubric: AppraisalRubric) -> AppraisalRubric:
    """Publish the ratings: each commissioner now sees their own sheet."""
    AppraisalRubric.workflow.apply(rubric, "publish", user, published_at=timezone.now())
    users = User.objects.filter(expert__in=rubric.sheets.values("expert"))
    notify(
        users,
        kind="appraisal.published",
        title=lambda: _("Your %(year)s appraisal is published.") % {"year": rubric.year},
        url=reverse("commissioners:appraisal-mine"),
    )
    return rubric
