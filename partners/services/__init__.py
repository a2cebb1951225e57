"""Writes on partners and placements; views and the API call these, never ``save()``."""

from partners.services.hires import follow_up_log, hire_record, nazorg_schedule
from partners.services.register import (
    application_save,
    partner_child_save,
    partner_event_save,
    partner_save,
    training_session_save,
    vacancy_save,
    visit_checklist_lines,
    visit_checklist_save,
    visit_save,
)
from partners.services.stages import (
    attendance_record,
    evaluation_record,
    mentor_link_create,
    mentor_link_resolve,
    mentor_link_revoke,
    stage_save,
    training_on_the_job_record,
)

__all__ = [
    "application_save",
    "attendance_record",
    "evaluation_record",
    "follow_up_log",
    "hire_record",
    "mentor_link_create",
    "mentor_link_resolve",
    "mentor_link_revoke",
    "nazorg_schedule",
    "partner_child_save",
    "partner_event_save",
    "partner_save",
    "stage_save",
    "training_on_the_job_record",
    "training_session_save",
    "vacancy_save",
    "visit_checklist_lines",
    "visit_checklist_save",
    "visit_save",
]
