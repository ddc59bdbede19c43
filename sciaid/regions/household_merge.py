"""The set-based write of a household import: staged rows merged into households, incomes and the audit log.

Statements, each over the whole staging table: audit the households that change (values before and after), update
them, insert the new ones and audit them; then the same for the incomes of the file. A household whose values are
all equal is neither written nor audited, so importing the same file again changes nothing. A new household number
or ID number that another import wrote meanwhile makes the import fail whole (`SpreadsheetError`), not half.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.core.context import current_actor
from sciaid.core.spreadsheets import SpreadsheetError
from sciaid.core.spreadsheets.staging import Staging, distinct, execute, json_object, money_text, scalar
from sciaid.regions.models import Household, HouseholdIncome

H = Household._meta.db_table
INCOME = HouseholdIncome._meta.db_table
#: Columns written to a household from the file, compared to tell a changed household from an equal one.
FIELDS = [
    "village_id",
    "head_name",
    "phone",
    "members",
    "main_cause",
    "other_causes",
    "status",
    "lifted_year",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_masked",
]
STAGING_COLUMNS = [
    ("number", "text"),
    ("village_id", "integer"),
    ("village_code", "text"),
    ("head_name", "text"),
    ("phone", "text"),
    ("members", "integer"),
    ("main_cause", "text"),
    ("other_causes", "jsonb"),
    ("status", "text"),
    ("lifted_year", "integer"),
    ("id_number_encrypted", "text"),
    ("id_number_hash", "text"),
    ("id_number_masked", "text"),
    ("existing_id", "integer"),
    ("income_year", "integer"),
    ("income", "numeric"),
    ("new_income", "boolean"),
]
AUDIT_COLUMNS = (
    "time, user_id, user_name, request_id, action, content_type_id, object_id, object_repr, area_code, before, "
    "after, note"
)


def stage() -> Staging:
    return Staging("import_households", STAGING_COLUMNS)


def merge(staging: Staging, user) -> tuple[int, int, int]:
    """Write the staged households and incomes; return (created, updated, unchanged) households."""
    now = timezone.now()
    context = _AuditContext(now, user)
    t = staging.name
    changed = " OR ".join(distinct(f"h.{name}", f"s.{name}") for name in FIELDS)
    existing = scalar(f"SELECT count(*) FROM {t} WHERE existing_id IS NOT NULL")
    execute(
        f"INSERT INTO core_objectchange ({AUDIT_COLUMNS}) SELECT {context.columns('update', Household, 'h.id')}, "
        f"{_household_json('h', 'h')}, {_household_json('s', 'h')}, 'import' "
        f"FROM {t} s JOIN {H} h ON h.id = s.existing_id WHERE {changed}",
        context.params(Household),
    )
    assignments = ", ".join(f"{name} = s.{name}" for name in FIELDS)
    updated = execute(
        f"UPDATE {H} AS h SET {assignments}, updated_at = %s, updated_by_id = %s FROM {t} s "
        f"WHERE h.id = s.existing_id AND ({changed})",
        [now, _pk(user)],
    )
    names = ", ".join(FIELDS)
    expected = scalar(f"SELECT count(*) FROM {t} WHERE existing_id IS NULL")
    created = execute(
        f"INSERT INTO {H} (number, {names}, created_at, updated_at, created_by_id, updated_by_id) "
        f"SELECT number, {names}, %s, %s, %s, %s FROM {t} WHERE existing_id IS NULL ON CONFLICT DO NOTHING",
        [now, now, _pk(user), _pk(user)],
    )
    if created != expected:
        raise SpreadsheetError(_("Another import wrote some of these households meanwhile; import the file again."))
    execute(
        f"INSERT INTO core_objectchange ({AUDIT_COLUMNS}) SELECT {context.columns('create', Household, 'h.id')}, "
        f"NULL, {_household_json('h', 'h')}, 'import' FROM {t} s JOIN {H} h ON h.number = s.number "
        f"WHERE s.existing_id IS NULL",
        context.params(Household),
    )
    _merge_incomes(staging, user, context)
    staging.drop()
    return created, updated, existing - updated


def _merge_incomes(staging: Staging, user, context: _AuditContext) -> None:
    t = staging.name
    joined = f"{t} s JOIN {H} h ON h.number = s.number"
    with_income = f"{joined} JOIN {INCOME} i ON i.household_id = h.id AND i.year = s.income_year"
    execute(
        f"UPDATE {t} SET new_income = NOT EXISTS (SELECT 1 FROM {INCOME} i JOIN {H} h ON h.id = i.household_id "
        f"WHERE h.number = {t}.number AND i.year = {t}.income_year) WHERE income_year IS NOT NULL"
    )
    stored, staged = (
        json_object({"id": "i.id", "household_id": "i.household_id", "year": "i.year", "income_per_capita": amount})
        for amount in (money_text("i.income_per_capita"), money_text("s.income"))
    )
    execute(
        f"INSERT INTO core_objectchange ({AUDIT_COLUMNS}) SELECT {context.columns('update', HouseholdIncome, 'i.id')},"
        f" {stored}, {staged}, 'import' FROM {with_income} WHERE i.income_per_capita <> s.income",
        context.params(HouseholdIncome),
    )
    execute(
        f"UPDATE {INCOME} AS i SET income_per_capita = s.income, updated_at = %s, updated_by_id = %s FROM {joined} "
        f"WHERE i.household_id = h.id AND i.year = s.income_year AND i.income_per_capita <> s.income",
        [context.now, _pk(user)],
    )
    execute(
        f"INSERT INTO {INCOME} (household_id, year, income_per_capita, created_at, updated_at, created_by_id, "
        f"updated_by_id) SELECT h.id, s.income_year, s.income, %s, %s, %s, %s FROM {joined} WHERE s.new_income",
        [context.now, context.now, _pk(user), _pk(user)],
    )
    execute(
        f"INSERT INTO core_objectchange ({AUDIT_COLUMNS}) SELECT {context.columns('create', HouseholdIncome, 'i.id')},"
        f" NULL, {stored}, 'import' FROM {with_income} WHERE s.new_income",
        context.params(HouseholdIncome),
    )


def _household_json(values: str, ids: str) -> str:
    """A household's audit values (as `BaseModel.audit_values` gives them) from the columns of `values`."""
    pairs = {"id": f"{ids}.id", "number": f"{values}.number"}
    pairs.update({name: f"{values}.{name}" for name in FIELDS if name not in Household.audit_exclude})
    return json_object(pairs, json_keys=["other_causes"])


def _pk(user) -> int | None:
    return user.pk if user is not None else None


class _AuditContext:
    """The columns every audit row of the import shares: when, who, which request, which object type."""

    def __init__(self, now, user):
        actor = current_actor()
        self.now = now
        self.user = user
        self.request_id = actor.request_id if actor else ""

    def columns(self, action: str, model, id_expr: str) -> str:
        """The shared columns; the area is the household's village as the row stands (`h`): before an update, the
        village it is moved from."""
        repr_expr = "h.head_name || ' (' || h.number || ')'"
        if model is HouseholdIncome:
            repr_expr += " || ' ' || CAST(i.year AS text)"
        area = "s.village_code" if action == "create" else "(SELECT code FROM regions_area WHERE id = h.village_id)"
        return f"%s, %s, %s, %s, '{action}', %s, CAST({id_expr} AS text), substr({repr_expr}, 1, 200), {area}"

    def params(self, model) -> list:
        name = self.user.get_username() if self.user is not None else ""
        return [self.now, _pk(self.user), name, self.request_id, ContentType.objects.get_for_model(model).pk]
