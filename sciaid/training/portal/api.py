"""`GET /api/v1/knowledge-search/?q=`: the search page's results as JSON, for the requesting user.

Anyone may call it: without credentials it answers what the public page shows (published articles); with them,
also the Q&A knowledge and the training materials the user may open (`sciaid.training.search.search` decides).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sciaid.core.api import error_responses
from sciaid.core.scoping import PUBLIC
from sciaid.training.portal.views import MAX_QUERY
from sciaid.training.search import SOURCES, Hit, search


class KnowledgeSearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY, help_text="Chinese words or the pinyin of a title")


class KnowledgeSearchHitSerializer(serializers.Serializer):
    title = serializers.CharField()
    source = serializers.ChoiceField(choices=SOURCES, help_text="Where the hit comes from")
    source_label = serializers.CharField(help_text="The source's name in the user's language")
    snippet = serializers.CharField(help_text="Plain text around the first query word")
    url = serializers.CharField(help_text="The page that opens the hit")
    score = serializers.FloatField(help_text="BM25 score; 0 for a title found by its pinyin")

    def to_representation(self, hit: Hit) -> dict:
        return {
            "title": hit.title,
            "source": hit.source,
            "source_label": str(hit.source_label),
            "snippet": hit.snippet,
            "url": reverse(hit.url_name, args=[hit.pk]),
            "score": round(hit.score, 3),
        }


class KnowledgeSearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = KnowledgeSearchHitSerializer(many=True)


class KnowledgeSearchView(APIView):
    """The best 20 hits for `q`, best first; a missing, blank or over-long `q` is a 400."""

    scoping = PUBLIC
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="knowledge_search",
        summary="Search the knowledge base",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True, description="What to search for")],
        responses={200: KnowledgeSearchResultsSerializer, **error_responses(400)},
    )
    def get(self, request):
        params = KnowledgeSearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = " ".join(params.validated_data["q"].split())
        return Response(
            {"query": query, "results": KnowledgeSearchHitSerializer(search(query, request.user), many=True).data}
        )
