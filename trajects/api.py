"""API resources for workers, trajectories and voortraject records, all through the access layer.

Writes go through ``trajects.services``; a refused rule (``DomainError``) answers 400
with its message. Sensitive worker fields appear only in a single worker's answer,
for the worker's coach and HR, and every such answer is logged.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from bwise.access import Perm
from bwise.accounts.models import Role
from bwise.api.fields import (
    OrganisationUserField,
    ScopedRelatedField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
)
from bwise.api.permissions import HasPerm
from bwise.api.serializers import StrictModelSerializer
from bwise.api.viewsets import CreateWithService, ScopedViewSet, UpdateWithService, assign
from bwise.core.errors import TEXT_MAX_LENGTH
from trajects import services
from trajects.models import (
    CoachingMoment,
    EmploymentEndReason,
    Intake,
    IntakeKind,
    JobDefinition,
    KickOff,
    StarrNote,
    StatuutPeriod,
    Trajectory,
    TrajectoryTransition,
    Worker,
)
from trajects.sensitive import SENSITIVE_WORKER_FIELDS, hidden_fields, sensitive_fields_for
from trajects.state import TRANSITIONS, Outcome, available_transitions

READ_WRITE = [HasPerm.of(Perm.VIEW_WORKERS, Perm.EDIT_WORKERS)]


WORKER_FIELDS = [
    "id",
    "external_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "address",
    "statuut",
    "statuut_start",
    "employment_start",
    "employment_end",
    "employment_end_reason",
    "employment_end_c4_reason",
    "employment_end_notes",
    "team",
    "coach",
    "supervisor",
    "languages",
    "dutch_level",
    "persona",
    "preconditions",
    "precondition_notes",
    "support_network",
    "obstacles",
    "lde_limit_date",
    "lde_warning",
]


class WorkerSerializer(StrictModelSerializer):
    coach = OrganisationUserField(Role.COACH, Role.HR, allow_null=True, required=False)
    supervisor = OrganisationUserField(Role.BEGELEIDER, allow_null=True, required=False)
    preconditions = serializers.ListField(
        child=StrictChoiceField(choices=Worker._meta.get_field("preconditions").base_field.choices),
        required=False,
    )
    lde_limit_date = serializers.DateField(read_only=True, allow_null=True)
    lde_warning = serializers.BooleanField(read_only=True)
    # Empty while the worker is employed.
    employment_end_reason = serializers.ChoiceField(
        choices=EmploymentEndReason.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Worker
        fields = WORKER_FIELDS
        # The end of employment changes through the ``end_employment`` action only.
        read_only_fields = [
            "employment_end",
            "employment_end_reason",
            "employment_end_c4_reason",
            "employment_end_notes",
        ]
        validators = []  # uniqueness per organisation is checked when saving


class EmploymentEndSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = StrictChoiceField(choices=EmploymentEndReason.choices)
    c4_reason = StrictCharField(required=False, allow_blank=True, default="", max_length=300)
    notes = StrictCharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)


class WorkerSensitiveSerializer(WorkerSerializer):
    class Meta(WorkerSerializer.Meta):
        fields = [*WORKER_FIELDS, *SENSITIVE_WORKER_FIELDS]


class WorkerViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    permission_classes = READ_WRITE
    lookup_url_kwarg = "worker_pk"
    model = Worker
    ordering = ("last_name", "first_name", "pk")

    def get_serializer_class(self):
        # Only a single worker's answer (or a write) may carry special-category data, and
        # only for those allowed to see it; lists never do.
        if self.action in ("retrieve", "update", "partial_update") and getattr(self, "_sensitive_ok", False):
            return WorkerSensitiveSerializer
        return WorkerSerializer

    def get_object(self):
        worker = super().get_object()
        self._sensitive_ok = sensitive_fields_for(self.request.user, worker) is not None
        return worker

    def save_with_service(self, worker):
        return services.worker_save(worker=worker, by=self.request.user)

    @extend_schema(request=EmploymentEndSerializer, responses=WorkerSerializer)
    @action(detail=True, methods=["post"], url_path="end-employment")
    def end_employment(self, request, worker_pk=None):
        worker, payload = self.object_and_payload(EmploymentEndSerializer)
        worker = services.employment_end_record(worker=worker, by=request.user, **payload)
        return Response(WorkerSerializer(worker, context=self.get_serializer_context()).data)


class StatuutPeriodSerializer(StrictModelSerializer):
    class Meta:
        model = StatuutPeriod
        fields = ["id", "worker", "statuut", "start", "recorded_at"]


class StatuutPeriodViewSet(ScopedViewSet):
    """The statuut history; it follows the worker's statuut, written through the worker."""

    serializer_class = StatuutPeriodSerializer
    permission_classes = READ_WRITE
    lookup_url_kwarg = "statuutperiod_pk"
    filterset_fields = ["worker"]
    model = StatuutPeriod
    ordering = ("worker", "start", "pk")


class TransitionSerializer(StrictModelSerializer):
    class Meta:
        model = TrajectoryTransition
        fields = [
            "id",
            "name",
            "at",
            "by",
            "from_phase",
            "to_phase",
            "from_status",
            "to_status",
            "outcome",
            "reason",
        ]


class TrajectorySerializer(StrictModelSerializer):
    worker = ScopedRelatedField(Worker)
    # Empty while the trajectory is open.
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)
    pretext_ruled_out = StrictBooleanField(write_only=True, required=False, default=False)
    distance_confirmed = StrictBooleanField(write_only=True, required=False, default=False)
    distance_reason = StrictCharField(write_only=True, required=False, allow_blank=True, default="")
    job_target = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Trajectory
        fields = [
            "id",
            "worker",
            "phase",
            "status",
            "outcome",
            "trigger",
            "trigger_reason",
            "started_at",
            "phase_since",
            "closed_at",
            "closed_reason",
            "job_target",
            "allowed_transitions",
            "pretext_ruled_out",
            "distance_confirmed",
            "distance_reason",
        ]
        read_only_fields = [
            "phase",
            "status",
            "outcome",
            "started_at",
            "phase_since",
            "closed_at",
            "closed_reason",
        ]
        validators = []  # one open trajectory per worker: the service answers, also under a race

    def get_job_target(self, trajectory) -> str:
        job = getattr(trajectory, "job_definition", None)
        return job.job_target if job else ""

    def get_allowed_transitions(self, trajectory) -> list[str]:
        return [t.name for t in available_transitions(trajectory.phase, trajectory.status)]


class TransitionRequestSerializer(serializers.Serializer):
    transition = StrictChoiceField(choices=sorted(TRANSITIONS))
    reason = StrictCharField(required=False, allow_blank=True, default="")
    outcome = StrictChoiceField(choices=Outcome.choices, required=False, allow_null=True, default=None)


class TrajectoryViewSet(CreateWithService, ScopedViewSet):
    """Creating a trajectory starts it; its state changes only through the ``transition`` action."""

    serializer_class = TrajectorySerializer
    permission_classes = READ_WRITE
    lookup_url_kwarg = "trajectory_pk"
    filterset_fields = ["worker", "phase", "status"]

    def get_queryset(self):
        return (
            Trajectory.objects.visible_to(self.request.user)
            .select_related("job_definition")
            .order_by("-started_at", "pk")
        )

    def create_with_service(self, data):
        return services.trajectory_start(
            worker=data["worker"],
            trigger=data["trigger"],
            trigger_reason=data.get("trigger_reason", ""),
            pretext_ruled_out=data.get("pretext_ruled_out", False),
            distance_confirmed=data.get("distance_confirmed", False),
            distance_reason=data.get("distance_reason", ""),
            by=self.request.user,
        )

    @extend_schema(request=TransitionRequestSerializer, responses=TrajectorySerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, trajectory_pk=None):
        trajectory, payload = self.object_and_payload(TransitionRequestSerializer)
        services.trajectory_transition(trajectory=trajectory, by=request.user, **payload)
        return Response(self.get_serializer(self.get_queryset().get(pk=trajectory.pk)).data)

    @extend_schema(responses=TransitionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def transitions(self, request, trajectory_pk=None):
        """The trajectory's phase and status changes, newest first, a page at a time."""
        trajectory = self.get_object()
        page = self.paginate_queryset(trajectory.transitions.all())
        return self.get_paginated_response(TransitionSerializer(page, many=True).data)


class IntakeSerializer(StrictModelSerializer):
    trajectory = ScopedRelatedField(Trajectory)
    # The stored name only: the scan is downloaded from its own page, which checks and logs
    # who reads it, and is uploaded there too.
    questionnaire_scan = serializers.CharField(source="questionnaire_scan.name", read_only=True, default="")
    second_coach = OrganisationUserField(Role.COACH, Role.HR, allow_null=True, required=False)

    class Meta:
        model = Intake
        exclude = ["created_by", "created_at"]
        validators = []  # one intake of each kind: the service answers in plain words


def _without_hidden(data: dict, user, worker) -> dict:
    """A write may not touch (nor probe) a field its author may not see."""
    hidden = hidden_fields(user, worker, "trajects.Intake")
    return {name: value for name, value in data.items() if name not in hidden}


class IntakeViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    serializer_class = IntakeSerializer
    permission_classes = READ_WRITE
    lookup_url_kwarg = "intake_pk"
    filterset_fields = ["trajectory", "kind"]

    def get_queryset(self):
        return (
            Intake.objects.visible_to(self.request.user)
            .select_related("trajectory__worker")
            .order_by("trajectory", "kind")
        )

    def create_with_service(self, data):
        data = _without_hidden(data, self.request.user, data["trajectory"].worker)
        intake = Intake(**data)
        intake.kind = data.get("kind", IntakeKind.FIRST)
        return self.save_with_service(intake)

    def update_with_service(self, intake, data):
        data = _without_hidden(data, self.request.user, intake.trajectory.worker)
        # An intake stays where and what it is.
        data = {name: value for name, value in data.items() if name not in ("trajectory", "kind")}
        return self.save_with_service(assign(intake, data))

    def save_with_service(self, intake):
        return services.intake_save(intake=intake, by=self.request.user)


class StarrNoteSerializer(StrictModelSerializer):
    intake = ScopedRelatedField(Intake)
    competencies = ScopedRelatedField(
        StarrNote._meta.get_field("competencies").related_model, many=True, required=False
    )

    class Meta:
        model = StarrNote
        fields = [
            "id",
            "intake",
            "situation",
            "task",
            "activities",
            "result",
            "reflection",
            "competencies",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class StarrNoteViewSet(CreateWithService, ScopedViewSet):
    serializer_class = StarrNoteSerializer
    permission_classes = READ_WRITE
    lookup_url_kwarg = "starrnote_pk"
    filterset_fields = ["intake"]
    model = StarrNote
    ordering = ("created_at", "pk")

    def create_with_service(self, data):
        intake = data.pop("intake")
        return services.starr_note_create(intake=intake, by=self.request.user, **data)


class JobDefinitionSerializer(StrictModelSerializer):
    trajectory = ScopedRelatedField(Trajectory)

    class Meta:
        model = JobDefinition
        fields = [
            "id",
            "trajectory",
            "dreams_and_interests",
            "job_target",
            "intermediate_steps",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = ["updated_by", "updated_at"]
        validators = []  # one per trajectory: writing it again updates it


class JobDefinitionUpdateSerializer(JobDefinitionSerializer):
    trajectory = serializers.PrimaryKeyRelatedField(read_only=True)


class JobDefinitionViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    """The job definition (job-bepaling) of a trajectory: one per trajectory; a POST for a
    trajectory that has one updates it."""

    permission_classes = READ_WRITE
    serializer_class = JobDefinitionSerializer
    lookup_url_kwarg = "jobdefinition_pk"
    filterset_fields = ["trajectory"]
    model = JobDefinition

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return JobDefinitionUpdateSerializer
        return super().get_serializer_class()

    def create_with_service(self, data):
        trajectory = data.pop("trajectory")
        return services.job_definition_save(trajectory=trajectory, by=self.request.user, **data)

    def update_with_service(self, job, data):
        return services.job_definition_save(trajectory=job.trajectory, by=self.request.user, **data)


class CoachingMomentSerializer(StrictModelSerializer):
    worker = ScopedRelatedField(Worker)

    class Meta:
        model = CoachingMoment
        fields = ["id", "worker", "trajectory", "kind", "held_on", "notes", "next_steps", "next_steps_due"]
        read_only_fields = ["trajectory"]


class CoachingMomentViewSet(CreateWithService, ScopedViewSet):
    serializer_class = CoachingMomentSerializer
    permission_classes = READ_WRITE
    lookup_url_kwarg = "coachingmoment_pk"
    filterset_fields = ["worker", "trajectory"]
    model = CoachingMoment
    ordering = ("-held_on", "-pk")

    def create_with_service(self, data):
        worker = data.pop("worker")
        return services.coaching_moment_create(worker=worker, by=self.request.user, **data)


class KickOffSerializer(StrictModelSerializer):
    participants = ScopedRelatedField(Worker, many=True)

    class Meta:
        model = KickOff
        fields = ["id", "held_on", "notes", "participants", "created_at"]
        read_only_fields = ["created_at"]

    def to_representation(self, kick_off):
        data = super().to_representation(kick_off)
        # Only the participants the reader sees: the others stay out of the answer.
        visible = set(
            Worker.objects.visible_to(self.context["request"].user)
            .filter(pk__in=data["participants"])
            .values_list("pk", flat=True)
        )
        data["participants"] = [pk for pk in data["participants"] if pk in visible]
        return data


class KickOffViewSet(CreateWithService, ScopedViewSet):
    serializer_class = KickOffSerializer
    permission_classes = READ_WRITE
    lookup_url_kwarg = "kickoff_pk"
    model = KickOff
    ordering = ("-held_on", "-pk")

    def create_with_service(self, data):
        return services.kick_off_create(by=self.request.user, workers=data.pop("participants"), **data)


def register(router):
    router.register("workers", WorkerViewSet, basename="worker")
    router.register("statuut-periods", StatuutPeriodViewSet, basename="statuutperiod")
    router.register("trajectories", TrajectoryViewSet, basename="trajectory")
    router.register("intakes", IntakeViewSet, basename="intake")
    router.register("starr-notes", StarrNoteViewSet, basename="starrnote")
    router.register("coaching-moments", CoachingMomentViewSet, basename="coachingmoment")
    router.register("job-definitions", JobDefinitionViewSet, basename="jobdefinition")
    router.register("kick-offs", KickOffViewSet, basename="kickoff")
