"""API of service teams: `teams` of 3–5 commissioners with a leader; their logs count for each member."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from sciaid.commissioners.api import WRITE_ERRORS
from sciaid.commissioners.teams import services
from sciaid.commissioners.teams.filters import TeamFilter
from sciaid.commissioners.teams.models import Team
from sciaid.core.api import (
    CREATE_ERRORS,
    READ_ERRORS,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
)
from sciaid.experts.models import Expert
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


class TeamSerializer(serializers.ModelSerializer):
    county = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.filter(level=AreaLevel.COUNTY))
    leader = ScopedPrimaryKeyRelatedField(queryset=Expert.objects.all())
    members = ScopedPrimaryKeyRelatedField(
        queryset=Expert.objects.all(), many=True, write_only=True, help_text="Members besides the leader"
    )
    member_ids = serializers.SerializerMethodField(help_text="Every member, the leader included")
    villages = ScopedSlugRelatedField(
        slug_field="code", many=True, queryset=Area.objects.filter(level=AreaLevel.VILLAGE)
    )

    class Meta:
        model = Team
        fields = ["id", "county", "year", "name", "leader", "members", "member_ids", "villages"]

    def get_member_ids(self, team) -> list[int]:
        return [member.expert_id for member in team.members.all()]


@extend_schema_view(
    retrieve=extend_schema(responses={200: TeamSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: TeamSerializer, **CREATE_ERRORS}),
    update=extend_schema(responses={200: TeamSerializer, **WRITE_ERRORS}),
)
class TeamViewSet(ScopedModelViewSet):
    """Service teams (服务团队) of 3–5 commissioners with a leader; their logs count for each member."""

    queryset = Team.objects.order_by("-year", "name", "id")
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    select_related = ("county",)
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("villages", "members")

    def create_object(self, serializer):
        return services.save_team(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        return services.save_team(self.request.user, instance=serializer.instance, **serializer.validated_data)
