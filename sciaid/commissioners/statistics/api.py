"""`GET /api/v1/reports/commissioners/`: the commissioner statistics page's figures, as JSON."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sciaid.assistance.report_views import may_read_statistics
from sciaid.assistance.statistics import json_safe
from sciaid.commissioners.statistics import services as statistics
from sciaid.commissioners.statistics.views import resolve_area_year
from sciaid.core.api import error_responses
from sciaid.core.scoping import SCOPED
from sciaid.regions.models import Area


def area_of(row: dict) -> dict | None:
    return {"code": row["area"].code, "name": row["area"].name} if row["area"] else None


def statistics_body(area: Area, year: int) -> dict:
    stats = statistics.commissioner_statistics(area, year)
    return json_safe(
        {
            "area": {"code": area.code, "name": area.name, "level": area.level},
            "year": year,
            "levels": stats["levels"],
            "totals": {**stats["totals"], "area": area_of(stats["totals"])},
            "groups": [{**row, "area": area_of(row)} for row in stats["groups"]],
            "satisfaction": stats["satisfaction"],
            "appraisal": stats["appraisal"],
        }
    )


class CommissionerReportView(APIView):
    """`GET /api/v1/reports/commissioners/?area=<code>&year=<yyyy>`: the commissioner statistics page's figures.

    Totals and per-township (or per-county) rows: commissioners, poor villages, covered, coverage rate (%, string),
    services, trainings, trainees, new varieties, new techniques, households helped (distinct); plus the
    commissioners by level, the satisfaction with the demands they resolved, and the published appraisal ratings
    (`appraisal`: rating, label, count for excellent / qualified / unqualified).
    """

    scoping = SCOPED
    reports_on_area = True

    @extend_schema(
        operation_id="reports_commissioners",
        summary="S&T commissioner statistics",
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, description="Division code; default: your widest area."),
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description="Default: the latest year with pairings or service teams in the area.",
            ),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The statistics of the area and year."),
            **error_responses(400, 403, 404),
        },
    )
    def get(self, request):
        if not may_read_statistics(request.user):
            raise PermissionDenied
        area, year = resolve_area_year(request.user, request.query_params.get("area"), request.query_params.get("year"))
        return Response(statistics_body(area, year))
