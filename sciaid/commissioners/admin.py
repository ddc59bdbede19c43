"""Django admin for operators, read-only: people change these through the scoped pages, which apply the business
rules (states, jurisdiction, audit); the ledger-like records (service logs once confirmed, appraisal sheets once
published, workstation reviews and activities) are append-only besides."""

from django.contrib import admin

from sciaid.commissioners.models import (
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
from sciaid.core.admin import ReadOnlyAdmin

# --- selection and teams ---------------------------------------------------------------------------------------------


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("title", "county", "year", "status", "closes_on")
    list_filter = ("year", "status")
    search_fields = ("title",)
    raw_id_fields = ("county",)


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ("expert", "batch", "level", "source", "status", "decided_at")
    list_filter = ("status", "source", "level")
    search_fields = ("expert__name",)
    raw_id_fields = ("batch", "expert")


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ("name", "county", "year", "leader")
    list_filter = ("year",)
    search_fields = ("name",)
    raw_id_fields = ("county", "leader", "villages")


@admin.register(TeamMember)
class TeamMemberAdmin(ReadOnlyAdmin):
    list_display = ("team", "expert")
    raw_id_fields = ("team", "expert")


# --- agreements and service logs -------------------------------------------------------------------------------------


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("village", "year", "expert", "team", "status", "signed_on")
    list_filter = ("year", "status")
    search_fields = ("village__name", "expert__name", "team__name")
    raw_id_fields = ("pairing", "team", "expert", "village")


@admin.register(ServiceLog)
class ServiceLogAdmin(ReadOnlyAdmin):
    list_display = ("served_on", "expert", "village", "kind", "status", "participants")
    list_filter = ("status", "kind")
    search_fields = ("expert__name", "village__name", "summary")
    date_hierarchy = "served_on"
    raw_id_fields = ("expert", "team", "agreement", "training_event", "village", "households", "confirmed_by")


@admin.register(LogPhoto)
class LogPhotoAdmin(ReadOnlyAdmin):
    list_display = ("log", "width", "height", "created_at")
    raw_id_fields = ("log",)


@admin.register(VillageYearFigures)
class VillageYearFiguresAdmin(ReadOnlyAdmin):
    list_display = ("village", "year", "services", "trainings", "trainees", "varieties", "techniques", "households")
    list_filter = ("year",)
    raw_id_fields = ("village",)


# --- allocation rule and appraisal -----------------------------------------------------------------------------------


@admin.register(AllocationRule)
class AllocationRuleAdmin(ReadOnlyAdmin):
    list_display = ("county", "year", "base_amount", "increment", "budget", "posted_at")
    list_filter = ("year",)
    raw_id_fields = ("county", "budget")


@admin.register(AppraisalRubric)
class AppraisalRubricAdmin(ReadOnlyAdmin):
    list_display = ("county", "year", "status", "excellent_from", "qualified_from", "excellent_quota", "published_at")
    list_filter = ("year", "status")
    raw_id_fields = ("county",)


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyAdmin):
    list_display = ("expert", "rubric", "services", "total", "rank", "rating")
    list_filter = ("rating", "rubric__year")
    search_fields = ("expert__name",)
    raw_id_fields = ("rubric", "expert")


# --- workstations ----------------------------------------------------------------------------------------------------


@admin.register(Workstation)
class WorkstationAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "organisation_kind", "village", "status", "filed_on")
    list_filter = ("status", "organisation_kind")
    search_fields = ("name", "organisation", "industry")
    raw_id_fields = ("village", "commissioners", "applicant")


@admin.register(WorkstationReview)
class WorkstationReviewAdmin(ReadOnlyAdmin):
    list_display = ("workstation", "reviewer", "score", "submitted_at")
    raw_id_fields = ("workstation", "reviewer")


@admin.register(WorkstationActivity)
class WorkstationActivityAdmin(ReadOnlyAdmin):
    list_display = ("held_on", "workstation", "kind", "title", "participants", "households_driven")
    list_filter = ("kind",)
    search_fields = ("title", "workstation__name")
    date_hierarchy = "held_on"
    raw_id_fields = ("workstation",)


@admin.register(WorkstationAppraisal)
class WorkstationAppraisalAdmin(ReadOnlyAdmin):
    list_display = ("workstation", "year", "score", "rating")
    list_filter = ("year", "rating")
    raw_id_fields = ("workstation",)
