"""Partners and placements. Placements (stages, hires, nazorg follow-ups) live here with the
partner register rather than in trajects: every one of them names a partner as host or
employer, and the trajectory only needs to know that a hire exists (a registered check)."""

from partners.models.hires import ContractType, FollowUp, FollowUpWith, Hire
from partners.models.matching import (
    Application,
    ApplicationKind,
    ApplicationResult,
    TrainingParticipant,
    TrainingSession,
)
from partners.models.register import (
    ActivityKind,
    Commitment,
    EventParticipant,
    Partner,
    PartnerActivity,
    PartnerContact,
    PartnerEvent,
    PartnerEventKind,
    PartnerKind,
    Vacancy,
    VacancyRoute,
    VacancyStatus,
    Visit,
)
from partners.models.stages import (
    Attendance,
    AttendanceStatus,
    DayUnit,
    Evaluation,
    EvaluationKind,
    EvaluationLevel,
    MentorLink,
    Stage,
    StageKind,
    TrainingOnTheJob,
)

__all__ = [
    "ActivityKind",
    "Application",
    "ApplicationKind",
    "ApplicationResult",
    "Attendance",
    "AttendanceStatus",
    "Commitment",
    "ContractType",
    "DayUnit",
    "Evaluation",
    "EvaluationKind",
    "EvaluationLevel",
    "EventParticipant",
    "FollowUp",
    "FollowUpWith",
    "Hire",
    "MentorLink",
    "Partner",
    "PartnerActivity",
    "PartnerContact",
    "PartnerEvent",
    "PartnerEventKind",
    "PartnerKind",
    "Stage",
    "StageKind",
    "TrainingOnTheJob",
    "TrainingParticipant",
    "TrainingSession",
    "Vacancy",
    "VacancyRoute",
    "VacancyStatus",
    "Visit",
]
