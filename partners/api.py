"""API resources for the partner register and placements, all through the access layer.

Writes go through ``partners.services``; a refused rule answers 400 with its message.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from bwise.access import Perm, has_perm
from bwise.api.fields import OrganisationUserField, ScopedRelatedField
from bwise.api.permissions import HasPerm
from bwise.api.viewsets import CreateWithService, ScopedViewSet, UpdateWithService, assign
from bwise.core.lookups import visible_or_404
from bwise.roles import Role
from competenties.models import Competency, JobProfile
from partners import selectors, services
from partners.models import (
    Application,
    Attendance,
    Evaluation,
    EvaluationLevel,
    FollowUp,
    Hire,
    Partner,
    PartnerContact,
    PartnerEvent,
    Stage,
    TrainingOnTheJob,
    Vacancy,
    Visit,
    VisitChecklist,
)
from trajects.models import Worker

REGISTER = [HasPerm.of(Perm.VIEW_PARTNERS, Perm.MANAGE_PARTNERS)]
PLACEMENTS = [HasPerm.of(Perm.VIEW_WORKERS, Perm.EDIT_WORKERS)]


# The register


class PartnerSerializer(serializers.ModelSerializer):
    owner = OrganisationUserField(Role.COACH, allow_null=True, required=False)

    class Meta:
        model = Partner
        exclude = ["organisation", "created_at"]


class PartnerViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    permission_classes = REGISTER
    serializer_class = PartnerSerializer
    lookup_url_kwarg = "partner_pk"
    model = Partner
    ordering = ("name", "pk")

    def save_with_service(self, instance):
        return services.partner_save(partner=instance, by=self.request.user)


class PartnerContactSerializer(serializers.ModelSerializer):
    partner = ScopedRelatedField(Partner)

    class Meta:
        model = PartnerContact
        fields = ["id", "partner", "name", "role", "email", "phone"]


class PartnerContactViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    permission_classes = REGISTER
    serializer_class = PartnerContactSerializer
    lookup_url_kwarg = "partnercontact_pk"
    model = PartnerContact

    def save_with_service(self, instance):
        return services.partner_child_save(record=instance, by=self.request.user)


class VisitSerializer(serializers.ModelSerializer):
    partner = ScopedRelatedField(Partner)
    # Who visited whom: our people and the partner's contacts.
    visitors = OrganisationUserField(*Role, many=True, required=False)
    partner_contacts = ScopedRelatedField(PartnerContact, many=True, required=False)

    class Meta:
        model = Visit
        fields = [
            "id",
            "partner",
            "planned_on",
            "done_on",
            "direction",
            "visitors",
            "partner_contacts",
            "preparation_checklist",
            "notes",
            "follow_up",
        ]


class VisitViewSet(PartnerContactViewSet):
    serializer_class = VisitSerializer
    lookup_url_kwarg = "visit_pk"
    model = Visit

    def _save(self, visit, data):
        visitors, contacts = data.pop("visitors", None), data.pop("partner_contacts", None)
        for name, value in data.items():
            setattr(visit, name, value)
        return services.visit_save(
            visit=visit, by=self.request.user, visitors=visitors, partner_contacts=contacts
        )

    def create_with_service(self, data):
        return self._save(Visit(), data)

    def update_with_service(self, visit, data):
        return self._save(visit, data)


@extend_schema_field(OpenApiTypes.INT)
class ParticipantWorkerField(ScopedRelatedField):
    """A worker taking part in an event: written here, read back through the caller's scope."""


class VisitChecklistSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitChecklist
        fields = ["id", "items"]


class VisitChecklistViewSet(UpdateWithService, ScopedViewSet):
    """The organisation's checklist for company visits (none until it writes its own: then the
    default items apply)."""

    permission_classes = REGISTER
    serializer_class = VisitChecklistSerializer
    lookup_url_kwarg = "visitchecklist_pk"
    model = VisitChecklist

    def update_with_service(self, checklist, data):
        return services.visit_checklist_save(items=data.get("items", checklist.items), by=self.request.user)


class PartnerEventSerializer(serializers.ModelSerializer):
    partner = ScopedRelatedField(Partner, allow_null=True, required=False)
    # Participants of every kind: workers (by the caller's scope), own staff, partner contacts.
    workers = ParticipantWorkerField(Worker, many=True, required=False, write_only=True)
    staff = OrganisationUserField(*Role, many=True, required=False)
    contacts = ScopedRelatedField(PartnerContact, many=True, required=False)

    class Meta:
        model = PartnerEvent
        fields = [
            "id",
            "partner",
            "kind",
            "title",
            "held_on",
            "notes",
            "workers",
            "staff",
            "contacts",
            "leertafel_kind",
            "duobaan_direction",
            "questionnaire_on",
            "questionnaire_leading",
            "questionnaire_differences",
            "questionnaire_take_home",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        visible = Worker.objects.visible_to(self.context["request"].user)
        data["workers"] = [p.worker_id for p in instance.participants.filter(worker__in=visible)]
        return data


class PartnerEventViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    permission_classes = REGISTER
    serializer_class = PartnerEventSerializer
    lookup_url_kwarg = "partnerevent_pk"
    model = PartnerEvent

    def _save(self, event, data):
        workers = data.pop("workers", None)
        staff, contacts = data.pop("staff", None), data.pop("contacts", None)
        for name, value in data.items():
            setattr(event, name, value)
        return services.partner_event_save(
            event=event, by=self.request.user, participants=workers, staff=staff, contacts=contacts
        )

    def create_with_service(self, data):
        return self._save(PartnerEvent(), data)

    def update_with_service(self, event, data):
        if "workers" in data:
            # Workers outside the caller's scope stay on the event as they are.
            visible = Worker.objects.visible_to(self.request.user)
            hidden = [
                p.worker for p in event.participants.exclude(worker__in=visible).select_related("worker")
            ]
            data["workers"] = [*data["workers"], *hidden]
        return self._save(event, data)


class VacancySerializer(serializers.ModelSerializer):
    partner = ScopedRelatedField(Partner)
    job_profile = ScopedRelatedField(JobProfile)

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "partner",
            "title",
            "description",
            "job_profile",
            "route",
            "needs_own_transport",
            "status",
            "opened_on",
        ]


class MatchSerializer(serializers.Serializer):
    worker = serializers.IntegerField(source="candidate.key")
    name = serializers.CharField(source="candidate.name")
    distance = serializers.IntegerField()
    shortfalls = serializers.SerializerMethodField()
    blockers = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())

    def get_shortfalls(self, match):
        return [
            {"competency": r.competency_id, "required": r.required, "current": r.current}
            for r in match.shortfalls
        ]


class VacancyViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    permission_classes = REGISTER
    serializer_class = VacancySerializer
    lookup_url_kwarg = "vacancy_pk"
    model = Vacancy

    def save_with_service(self, instance):
        return services.vacancy_save(vacancy=instance, by=self.request.user)

    @action(detail=True, methods=["get"])
    def matches(self, request, **kwargs):
        """Workers in job matching (of the caller's scope), best match first."""
        ranked = selectors.matches_for_vacancy(self.get_object(), request.user)
        return Response(MatchSerializer([m for _worker, m in ranked], many=True).data)

    @action(detail=False, methods=["get"], url_path="for-worker")
    def for_worker(self, request):
        """Open vacancies ranked for one worker (``?worker=<id>``), best match first."""
        if not has_perm(request.user, Perm.VIEW_WORKERS):
            raise PermissionDenied
        try:
            worker_pk = int(request.query_params.get("worker", ""))
        except ValueError as err:
            raise ValidationError({"worker": _("Give the id of a worker.")}) from err
        worker = visible_or_404(Worker, request.user, pk=worker_pk)
        ranked = selectors.matches_for_worker(worker, request.user)
        return Response([{"vacancy": v.pk, "title": v.title, **MatchSerializer(m).data} for v, m in ranked])


# Placements


class ApplicationSerializer(serializers.ModelSerializer):
    worker = ScopedRelatedField(Worker)
    partner = ScopedRelatedField(Partner)
    vacancy = ScopedRelatedField(Vacancy, allow_null=True, required=False)

    class Meta:
        model = Application
        fields = ["id", "worker", "partner", "vacancy", "kind", "sent_on", "interview_on", "result", "notes"]


class ApplicationViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    permission_classes = PLACEMENTS
    serializer_class = ApplicationSerializer
    lookup_url_kwarg = "application_pk"
    model = Application

    def save_with_service(self, instance):
        return services.application_save(application=instance, by=self.request.user)


class StageSerializer(serializers.ModelSerializer):
    worker = ScopedRelatedField(Worker)
    partner = ScopedRelatedField(Partner)
    team = ScopedRelatedField(Worker, many=True, required=False)

    class Meta:
        model = Stage
        exclude = ["created_by", "created_at"]
        read_only_fields = ["trajectory"]


class StageViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    permission_classes = PLACEMENTS
    serializer_class = StageSerializer
    lookup_url_kwarg = "stage_pk"
    model = Stage

    def create_with_service(self, data):
        team = data.pop("team", [])
        return services.stage_save(stage=Stage(**data), by=self.request.user, team=team)

    def update_with_service(self, stage, data):
        team = data.pop("team", None)
        return services.stage_save(stage=assign(stage, data), by=self.request.user, team=team)


class AttendanceSerializer(serializers.ModelSerializer):
    stage = ScopedRelatedField(Stage)

    class Meta:
        model = Attendance
        fields = ["id", "stage", "day", "status", "absence_reason", "entered_by", "entered_via", "entered_at"]
        read_only_fields = ["entered_by", "entered_via", "entered_at"]
        validators = []  # one row per day: recording a day again updates it


class AttendanceViewSet(CreateWithService, ScopedViewSet):
    permission_classes = PLACEMENTS
    serializer_class = AttendanceSerializer
    lookup_url_kwarg = "attendance_pk"
    model = Attendance
    ordering = ("stage", "day")

    def create_with_service(self, data):
        return services.attendance_record(**data, by=self.request.user)


class TrainingOnTheJobSerializer(serializers.ModelSerializer):
    stage = ScopedRelatedField(Stage)

    class Meta:
        model = TrainingOnTheJob
        fields = ["id", "stage", "given_on", "topic", "given_by", "notes", "entered_by"]
        read_only_fields = ["entered_by"]


class TrainingOnTheJobViewSet(CreateWithService, ScopedViewSet):
    permission_classes = PLACEMENTS
    serializer_class = TrainingOnTheJobSerializer
    lookup_url_kwarg = "trainingonthejob_pk"
    model = TrainingOnTheJob
    ordering = ("stage", "given_on", "pk")

    def create_with_service(self, data):
        return services.training_on_the_job_record(training=TrainingOnTheJob(**data), by=self.request.user)


class EvaluationLevelSerializer(serializers.ModelSerializer):
    competency = ScopedRelatedField(Competency)

    class Meta:
        model = EvaluationLevel
        fields = ["competency", "level"]


class EvaluationSerializer(serializers.ModelSerializer):
    stage = ScopedRelatedField(Stage)
    levels = EvaluationLevelSerializer(many=True, required=False)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "stage",
            "kind",
            "method",
            "held_on",
            "critical_incidents",
            "notes",
            "contract_in_prospect",
            "levels",
            "entered_by",
            "entered_via",
            "entered_at",
        ]
        read_only_fields = ["entered_by", "entered_via", "entered_at"]


class EvaluationViewSet(CreateWithService, ScopedViewSet):
    permission_classes = PLACEMENTS
    serializer_class = EvaluationSerializer
    lookup_url_kwarg = "evaluation_pk"

    def get_queryset(self):
        return (
            Evaluation.objects.visible_to(self.request.user)
            .prefetch_related("levels")
            .order_by("stage", "held_on", "pk")
        )

    def create_with_service(self, data):
        levels = {row["competency"]: row["level"] for row in data.pop("levels", [])}
        return services.evaluation_record(**data, levels=levels, by=self.request.user)


class HireSerializer(serializers.ModelSerializer):
    worker = ScopedRelatedField(Worker)
    employer = ScopedRelatedField(Partner)
    vacancy = ScopedRelatedField(Vacancy, allow_null=True, required=False)

    class Meta:
        model = Hire
        fields = [
            "id",
            "worker",
            "trajectory",
            "employer",
            "vacancy",
            "contract_type",
            "start_date",
            "wage_subsidy",
            "c4_reason",
        ]
        read_only_fields = ["trajectory"]


class HireViewSet(CreateWithService, ScopedViewSet):
    permission_classes = PLACEMENTS
    serializer_class = HireSerializer
    lookup_url_kwarg = "hire_pk"
    model = Hire
    ordering = ("-start_date", "-pk")

    def create_with_service(self, data):
        return services.hire_record(hire=Hire(**data), by=self.request.user)


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "hire", "with_whom", "due_on", "done_on", "notes", "done_by"]
        read_only_fields = fields


class FollowUpLogSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    notes = serializers.CharField()


class FollowUpViewSet(ScopedViewSet):
    permission_classes = PLACEMENTS
    serializer_class = FollowUpSerializer
    lookup_url_kwarg = "followup_pk"

    def get_queryset(self):
        return FollowUp.objects.visible_to(self.request.user).select_related("hire").order_by("due_on", "pk")

    @action(detail=True, methods=["post"], serializer_class=FollowUpLogSerializer)
    def log(self, request, **kwargs):
        """Log the contact with its notes; the last one closes the trajectory (extern doorgestroomd)."""
        follow_up, payload = self.object_and_payload(FollowUpLogSerializer)
        follow_up = services.follow_up_log(follow_up=follow_up, by=request.user, **payload)
        return Response(FollowUpSerializer(follow_up).data)


def register(router):
    router.register("partners", PartnerViewSet, basename="partner")
    router.register("partner-contacts", PartnerContactViewSet, basename="partnercontact")
    router.register("visits", VisitViewSet, basename="visit")
    router.register("visit-checklists", VisitChecklistViewSet, basename="visitchecklist")
    router.register("partner-events", PartnerEventViewSet, basename="partnerevent")
    router.register("vacancies", VacancyViewSet, basename="vacancy")
    router.register("applications", ApplicationViewSet, basename="application")
    router.register("stages", StageViewSet, basename="stage")
    router.register("attendance", AttendanceViewSet, basename="attendance")
    router.register("evaluations", EvaluationViewSet, basename="evaluation")
    router.register("stage-training", TrainingOnTheJobViewSet, basename="trainingonthejob")
    router.register("hires", HireViewSet, basename="hire")
    router.register("follow-ups", FollowUpViewSet, basename="followup")
