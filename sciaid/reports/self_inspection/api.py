"""`POST /api/v1/self-inspection/` (area, year) → a job making the report; `GET /api/v1/self-inspection/{id}/` → its
status and, once finished, the download links of the DOCX and the PDF.

Jurisdiction is the one mechanism: the area must be among the user's indicator areas (`services.ensure_readable`: a
role that reads no indicators is a 403, an area outside the jurisdiction a 404); a job is its requester's own
(`Job.objects.for_user`), so another user's job id is a 404.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sciaid.core.api import error_responses
from sciaid.core.models import Job
from sciaid.core.scoping import SCOPED
from sciaid.reports.api import resolve_area
from sciaid.reports.self_inspection import services
from sciaid.reports.self_inspection.views import serve


class ReportRequestSerializer(serializers.Serializer):
    area = serializers.CharField(help_text="Division code of a county, city or province.", max_length=12)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


ReportJobSerializer = inline_serializer(
    "SelfInspectionJob",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(help_text="pending, running, succeeded or failed."),
        "progress": serializers.IntegerField(),
        "total": serializers.IntegerField(),
        "percent": serializers.IntegerField(),
        "area": serializers.CharField(),
        "year": serializers.IntegerField(),
        "links": inline_serializer(
            "SelfInspectionLinks",
            {"docx": serializers.URLField(required=False), "pdf": serializers.URLField(required=False)},
        ),
    },
)


def job_data(request, job: Job) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "progress": job.progress,
        "total": job.total,
        "percent": job.percent,
        "area": job.params.get("area_code"),
        "year": job.params.get("year"),
        "links": {
            fmt: request.build_absolute_uri(f"{reverse('self-inspection-detail', args=[job.pk])}?download={fmt}")
            for fmt in services.job_links(job)
        },
    }


class SelfInspectionView(APIView):
    """Make the self-inspection report of an area and a year in a job."""

    scoping = SCOPED

    @extend_schema(
        operation_id="self_inspection_create",
        summary="Make the self-inspection report of an area and a year (a job)",
        request=ReportRequestSerializer,
        responses={202: ReportJobSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request):
        data = ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        area = resolve_area(data.validated_data["area"])
        job = services.request_report(request.user, area, data.validated_data["year"])
        return Response(job_data(request, job), status=status.HTTP_202_ACCEPTED)


class SelfInspectionJobView(APIView):
    """The status of a report job, and its download links once finished; `?download=docx|pdf` is the file."""

    scoping = SCOPED

    @extend_schema(
        operation_id="self_inspection_retrieve",
        summary="Status and download links of a self-inspection report job",
        parameters=[
            OpenApiParameter(
                "download",
                OpenApiTypes.STR,
                enum=list(services.FORMATS),
                description="The report file itself (once the job has finished) instead of the status.",
            )
        ],
        responses={200: ReportJobSerializer, **error_responses(404)},
    )
    def get(self, request, pk: int):
        job = Job.objects.for_user(request.user).filter(pk=pk, kind=services.JOB_KIND).first()
        if job is None:
            raise Http404
        fmt = request.query_params.get("download")
        if fmt is not None:
            if fmt not in services.FORMATS or not services.job_links(job):
                raise Http404
            result = job.result
            return serve(result[fmt], fmt, f"self-inspection-{result['area']}-{result['year']}.{fmt}")
        return Response(job_data(request, job))
