"""API resources for the caller's own reminders: the inbox, marking one done, snoozing one."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from bwise.api.fields import StrictChoiceField
from bwise.api.serializers import StrictModelSerializer
from bwise.api.viewsets import ScopedViewSet
from bwise.reminders import services
from bwise.reminders.models import Reminder


class ReminderSerializer(StrictModelSerializer):
    class Meta:
        model = Reminder
        fields = ["id", "kind", "title", "due_date", "url", "status", "snoozed_until", "read_at", "done_at"]
        read_only_fields = fields


class SnoozeSerializer(serializers.Serializer):
    days = StrictChoiceField(choices=[(days, days) for days in services.SNOOZE_DAYS])


INBOX = OpenApiParameter(
    "inbox",
    OpenApiTypes.BOOL,
    description="Only what the inbox shows: open and not snoozed past today (default), or "
    "`false` for every reminder, done and snoozed ones too.",
)


class ReminderViewSet(ScopedViewSet):
    """The caller's reminders, soonest first. Nobody sees anyone else's."""

    serializer_class = ReminderSerializer
    lookup_url_kwarg = "reminder_pk"
    model = Reminder
    ordering = ("due_date", "pk")

    def get_queryset(self):
        reminders = super().get_queryset()
        if self.action != "list":
            return reminders
        inbox = self.request.query_params.get("inbox", "true")
        if inbox not in ("true", "false"):
            raise ValidationError({"inbox": _("Give true or false.")})
        return reminders.in_inbox() if inbox == "true" else reminders

    @extend_schema(parameters=[INBOX])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=ReminderSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, **kwargs):
        """Mark the reminder done; it leaves the inbox."""
        reminder = services.reminder_mark_done(reminder=self.get_object(), by=request.user)
        return Response(ReminderSerializer(reminder).data)

    @extend_schema(request=SnoozeSerializer, responses=ReminderSerializer)
    @action(detail=True, methods=["post"])
    def snooze(self, request, **kwargs):
        """Hide the reminder for one day or one week; it comes back unread."""
        reminder, payload = self.object_and_payload(SnoozeSerializer)
        reminder = services.reminder_snooze(reminder=reminder, days=payload["days"], by=request.user)
        return Response(ReminderSerializer(reminder).data)


def register(router):
    router.register("reminders", ReminderViewSet, basename="reminder")
