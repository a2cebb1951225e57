"""The dashboard's figures through the API: each figure as the table its export holds,
computed over the workers the caller may see, for the period and filters asked for."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from bwise.access import Perm
from bwise.api.permissions import HasPerm
from bwise.core.params import InvalidQuery
from bwise.dashboard import selectors
from trajects.models import Statuut


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text="The figure's table, as its CSV or XLSX export holds it.",
    )


class DashboardSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    figures = FigureSerializer(many=True)


def _plain(value):
    if value is None or isinstance(value, bool | int | float):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


PARAMETERS = [
    OpenApiParameter(
        "date_from", OpenApiTypes.DATE, description="Start of the period (this year's by default)."
    ),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="End of the period (31 December by default)."),
    OpenApiParameter("team", OpenApiTypes.STR, description="Only the workers of this team."),
    OpenApiParameter("statuut", OpenApiTypes.STR, enum=[*Statuut.values, "unknown"]),
    OpenApiParameter("coach", {"type": "integer", "minimum": 1}, description="Only this coach's workers."),
]


class DashboardFiguresView(APIView):
    """Every dashboard figure over the workers the caller may see: aggregates, no worker named."""

    permission_classes = [HasPerm.of(Perm.VIEW_DASHBOARD)]

    @extend_schema(parameters=PARAMETERS, responses=DashboardSerializer)
    def get(self, request):
        empty = [name for name in ("date_from", "date_to", "coach") if request.query_params.get(name) == ""]
        if empty:
            # A form leaves a field empty to mean "any"; a program leaves the parameter out.
            raise ValidationError(
                {name: _("Leave the parameter out instead of sending it empty.") for name in empty}
            )
        try:
            dashboard = selectors.dashboard_for(request.user, request.query_params)
        except InvalidQuery as refused:
            raise ValidationError(refused.messages) from None
        figures = []
        for figure, value in dashboard.panels:
            headers, rows = figure.table(value)
            figures.append(
                {
                    "key": figure.key,
                    "title": str(figure.title),
                    "headers": [str(header) for header in headers],
                    "rows": [[_plain(cell) for cell in row] for row in rows],
                }
            )
        period = dashboard.period
        return Response(
            DashboardSerializer({"date_from": period.start, "date_to": period.end, "figures": figures}).data
        )


def register(router):
    return [path("dashboard/", DashboardFiguresView.as_view(), name="api_dashboard")]
