"""Observations a werkvloerbegeleider wrote without network, arriving from the device's queue."""

from django import forms
from django.utils.translation import gettext as _

from bwise.access import Perm
from bwise.core.offline import OfflineSyncView, QueuedItemForm
from competenties import services


class QueuedObservationForm(QueuedItemForm):
    worker = forms.IntegerField(min_value=1)
    text = forms.CharField(max_length=4000, strip=False)
    # Set when the writer saw the personality-word warning and chose to keep the note as written.
    save_as_written = forms.BooleanField(required=False)


class ObservationSyncView(OfflineSyncView):
    required_perm = Perm.ADD_OBSERVATIONS
    item_form = QueuedObservationForm
    warning_codes = frozenset({"personality_words"})

    def save_item(self, data) -> str:
        observation, _created = services.observation_create_once(
            client_id=data["client_id"],
            worker_id=data["worker"],
            text=data["text"],
            observed_at=data["written_at"],
            save_as_written=data["save_as_written"],
            by=self.request.user,
        )
        return _("Observation about %(worker)s noted.") % {"worker": observation.worker.full_name}
