"""The coach's attendance entry on the stage site, also without network."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from bwise.access import Perm
from bwise.core.offline import OfflinePageMixin, OfflineSyncView, QueuedItemForm
from bwise.core.views_mixins import PermRequiredMixin
from partners import services
from partners.forms import AttendanceForm
from partners.models import AttendanceStatus
from partners.views_placements import StageMixin


def _waiting(count):
    return ngettext(
        "%(count)s attendance is waiting for a connection",
        "%(count)s attendances are waiting for a connection",
        count,
    )


class AttendanceQuickView(OfflinePageMixin, StageMixin, PermRequiredMixin, TemplateView):
    """One form on a phone at the workplace. The page names the worker by first name and the
    partner only, since the service worker keeps it on the device."""

    required_perm = Perm.EDIT_WORKERS
    template_name = "partners/attendance_quick.html"

    def get_context_data(self, **kwargs):
        stage = self.get_stage()
        return {
            **super().get_context_data(**kwargs),
            "stage_pk": stage.pk,
            "first_name": stage.worker.first_name,
            "partner": stage.partner.name,
            "form": AttendanceForm(initial={"day": timezone.localdate()}),
            "offline_texts": {
                # The device counts; Dutch and English need the one and the many form only.
                "waiting_one": _waiting(1),
                "waiting_other": _waiting(2),
                "incomplete": _("Choose the day and the attendance."),
            },
        }


class QueuedAttendanceForm(QueuedItemForm):
    day = forms.DateField()
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    absence_reason = forms.CharField(required=False, max_length=300)


class AttendanceSyncView(StageMixin, OfflineSyncView):
    """One attendance per stage and day (the model's constraint): a repeated item changes
    nothing, and an item written before what the day already holds does not overwrite it."""

    required_perm = Perm.EDIT_WORKERS
    item_form = QueuedAttendanceForm

    def check_target(self) -> None:
        self.get_stage()

    def save_item(self, data) -> str:
        record = services.attendance_record(
            stage=self.get_stage(),
            day=data["day"],
            status=data["status"],
            absence_reason=data["absence_reason"],
            by=self.request.user,
            written_at=data["written_at"],
            client_id=data["client_id"],
        )
        if record.client_id != data["client_id"]:
            # Stored as far as the device is concerned: nothing is left for it to send.
            return _("Attendance of %(day)s: an entry written later was kept.") % {
                "day": date_format(record.day)
            }
        return _("Attendance of %(day)s saved.") % {"day": date_format(record.day)}
