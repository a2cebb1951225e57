"""API resources for the partner register and placements, all through the access layer.

Writes go through ``partners.services``; a refused rule answers 400 with its message.
"""

from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from bwise.access import Perm, has_perm
from bwise.api.permissions import HasPerm
from bwise.core.lookups import visible_or_404
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
    Vacancy,
    Visit,
)
from trajects.api import ScopedRelatedField
from trajects.models import Worker

REGISTER = [HasPerm.of(Perm.VIEW_PARTNERS, Perm.MANAGE_PARTNERS)]
PLACEMENTS = [HasPerm.of(Perm.VIEW_WORKERS, Perm.EDIT_WORKERS)]


def scoped(model, **kwargs):
    return ScopedRelatedField(model, **kwargs)


class ServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """CRUD without delete; ``save_with_service`` does every write."""

    model = None
    ordering = ("-pk",)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).order_by(*self.ordering)

    def perform_create(self, serializer):
        serializer.instance = self.save_with_service(self.model(**serializer.validated_data))

    def perform_update(self, serializer):
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        self.save_with_service(instance)

    def save_with_service(self, instance):
        raise NotImplementedError


# The register


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        exclude = ["organisation", "created_at"]


class PartnerViewSet(ServiceViewSet):
    permission_classes = REGISTER
    serializer_class = PartnerSerializer
    lookup_url_kwarg = "partner_pk"
    model = Partner
    ordering = ("name", "pk")

    def save_with_service(self, instance):
        return services.partner_save(partner=instance, by=self.request.user)


class PartnerContactSerializer(serializers.ModelSerializer):
    partner = scoped(Partner)

    class Meta:
        model = PartnerContact
        fields = ["id", "partner", "name", "role", "email", "phone"]


class PartnerContactViewSet(ServiceViewSet):
    permission_classes = REGISTER
    serializer_class = PartnerContactSerializer
    lookup_url_kwarg = "partnercontact_pk"
    model = PartnerContact

    def save_with_service(self, instance):
        return services.partner_child_save(record=instance, by=self.request.user)


class VisitSerializer(serializers.ModelSerializer):
    partner = scoped(Partner)

    class Meta:
        model = Visit
        fields = ["id", "partner", "planned_on", "done_on", "preparation_checklist", "notes", "follow_up"]


class VisitViewSet(PartnerContactViewSet):
    serializer_class = VisitSerializer
    lookup_url_kwarg = "visit_pk"
    model = Visit


class PartnerEventSerializer(serializers.ModelSerializer):
    partner = scoped(Partner, allow_null=True, required=False)

    class Meta:
        model = PartnerEvent
        fields = ["id", "partner", "kind", "title", "held_on", "notes"]


class PartnerEventViewSet(ServiceViewSet):
    permission_classes = REGISTER
    serializer_class = PartnerEventSerializer
    lookup_url_kwarg = "partnerevent_pk"
    model = PartnerEvent

    def save_with_service(self, instance):
        return services.partner_event_save(event=instance, by=self.request.user)


class VacancySerializer(serializers.ModelSerializer):
    partner = scoped(Partner)
    job_profile = scoped(JobProfile)

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


class VacancyViewSet(ServiceViewSet):
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
    worker = scoped(Worker)
    partner = scoped(Partner)
    vacancy = scoped(Vacancy, allow_null=True, required=False)

    class Meta:
        model = Application
        fields = ["id", "worker", "partner", "vacancy", "kind", "sent_on", "interview_on", "result", "notes"]


class ApplicationViewSet(ServiceViewSet):
    permission_classes = PLACEMENTS
    serializer_class = ApplicationSerializer
    lookup_url_kwarg = "application_pk"
    model = Application

    def save_with_service(self, instance):
        return services.application_save(application=instance, by=self.request.user)


class StageSerializer(serializers.ModelSerializer):
    worker = scoped(Worker)
    partner = scoped(Partner)
    team = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Worker.objects.none())

    class Meta:
        model = Stage
        exclude = ["created_by", "created_at"]
        read_only_fields = ["trajectory"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["team"].child_relation.queryset = Worker.objects.visible_to(request.user)


class StageViewSet(ServiceViewSet):
    permission_classes = PLACEMENTS
    serializer_class = StageSerializer
    lookup_url_kwarg = "stage_pk"
    model = Stage

    def perform_create(self, serializer):
        team = serializer.validated_data.pop("team", [])
        serializer.instance = services.stage_save(
            stage=Stage(**serializer.validated_data), by=self.request.user, team=team
        )

    def perform_update(self, serializer):
        team = serializer.validated_data.pop("team", None)
        for name, value in serializer.validated_data.items():
            setattr(serializer.instance, name, value)
        services.stage_save(stage=serializer.instance, by=self.request.user, team=team)


class AttendanceSerializer(serializers.ModelSerializer):
    stage = scoped(Stage)

    class Meta:
        model = Attendance
        fields = ["id", "stage", "day", "status", "absence_reason", "entered_by", "entered_via", "entered_at"]
        read_only_fields = ["entered_by", "entered_via", "entered_at"]
        validators = []  # one row per day: recording a day again updates it


class AttendanceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = PLACEMENTS
    serializer_class = AttendanceSerializer
    lookup_url_kwarg = "attendance_pk"

    def get_queryset(self):
        return Attendance.objects.visible_to(self.request.user).order_by("stage", "day")

    def perform_create(self, serializer):
        serializer.instance = services.attendance_record(**serializer.validated_data, by=self.request.user)


class EvaluationLevelSerializer(serializers.ModelSerializer):
    competency = scoped(Competency)

    class Meta:
        model = EvaluationLevel
        fields = ["competency", "level"]


class EvaluationSerializer(serializers.ModelSerializer):
    stage = scoped(Stage)
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


class EvaluationViewSet(AttendanceViewSet):
    serializer_class = EvaluationSerializer
    lookup_url_kwarg = "evaluation_pk"

    def get_queryset(self):
        return (
            Evaluation.objects.visible_to(self.request.user)
            .prefetch_related("levels")
            .order_by("stage", "held_on", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        levels = {row["competency"]: row["level"] for row in data.pop("levels", [])}
        serializer.instance = services.evaluation_record(**data, levels=levels, by=self.request.user)


class HireSerializer(serializers.ModelSerializer):
    worker = scoped(Worker)
    employer = scoped(Partner)
    vacancy = scoped(Vacancy, allow_null=True, required=False)

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


class HireViewSet(AttendanceViewSet):
    serializer_class = HireSerializer
    lookup_url_kwarg = "hire_pk"

    def get_queryset(self):
        return Hire.objects.visible_to(self.request.user).order_by("-start_date", "-pk")

    def perform_create(self, serializer):
        serializer.instance = services.hire_record(
            hire=Hire(**serializer.validated_data), by=self.request.user
        )


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "hire", "with_whom", "due_on", "done_on", "notes", "done_by"]
        read_only_fields = fields


class FollowUpLogSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    notes = serializers.CharField()


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = PLACEMENTS
    serializer_class = FollowUpSerializer
    lookup_url_kwarg = "followup_pk"

    def get_queryset(self):
        return FollowUp.objects.visible_to(self.request.user).select_related("hire").order_by("due_on", "pk")

    @action(detail=True, methods=["post"], serializer_class=FollowUpLogSerializer)
    def log(self, request, **kwargs):
        """Log the contact with its notes; the last one closes the trajectory (extern doorgestroomd)."""
        follow_up = self.get_object()  # outsiders get 404 before their input is looked at
        payload = FollowUpLogSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        follow_up = services.follow_up_log(follow_up=follow_up, by=request.user, **payload.validated_data)
        return Response(FollowUpSerializer(follow_up).data)


def register(router):
    router.register("partners", PartnerViewSet, basename="partner")
    router.register("partner-contacts", PartnerContactViewSet, basename="partnercontact")
    router.register("visits", VisitViewSet, basename="visit")
    router.register("partner-events", PartnerEventViewSet, basename="partnerevent")
    router.register("vacancies", VacancyViewSet, basename="vacancy")
    router.register("applications", ApplicationViewSet, basename="application")
    router.register("stages", StageViewSet, basename="stage")
    router.register("attendance", AttendanceViewSet, basename="attendance")
    router.register("evaluations", EvaluationViewSet, basename="evaluation")
    router.register("hires", HireViewSet, basename="hire")
    router.register("follow-ups", FollowUpViewSet, basename="followup")
