"""API resources for competencies and plans. Every queryset comes from the access layer;
writes go through the services, whose refusals become 400s."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from bwise.access import Perm
from bwise.api.fields import ScopedRelatedField, StrictCharField, StrictChoiceField, StrictIntegerField
from bwise.api.permissions import HasPerm
from bwise.api.serializers import StrictModelSerializer
from bwise.api.viewsets import CreateWithService, DestroyWithService, ScopedViewSet, UpdateWithService, assign
from bwise.core.lookups import visible_or_404
from competenties import selectors, services
from competenties.framework_presets import TEMPLATE_CHOICES
from competenties.models import (
    Assessment,
    Competency,
    Framework,
    Indicator,
    IndicatorScore,
    JobProfile,
    JobProfileRequirement,
    Level,
    Method,
    Observation,
    ObservationClassification,
    Plan,
    PlanAction,
    PlanKind,
    PlanStatus,
)
from trajects.models import Worker


class IndicatorSerializer(StrictModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "description", "level_1", "level_2", "level_3", "level_4", "order"]


class CompetencySerializer(StrictModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Competency
        fields = ["id", "name", "definition", "category", "order", "indicators"]


class FrameworkSerializer(StrictModelSerializer):
    competencies = CompetencySerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = ["id", "name", "description", "template_key", "competencies"]


class FrameworkWriteSerializer(StrictModelSerializer):
    template_key = StrictChoiceField(
        choices=TEMPLATE_CHOICES,
        required=False,
        allow_blank=True,
        help_text="On creation: start from this shipped template, with its competencies and indicators.",
    )

    class Meta:
        model = Framework
        fields = ["id", "name", "description", "template_key"]
        extra_kwargs = {"name": {"required": False}}
        validators = []  # one name per organisation: the service answers in plain words

    def to_representation(self, framework):
        return FrameworkSerializer(framework, context=self.context).data


class FrameworkViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    """Competency frameworks with their competencies and indicators. A new one starts empty
    or, with ``template_key``, as a copy of a shipped template; competencies and indicators
    are edited on the framework's page."""

    serializer_class = FrameworkSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS, Perm.MANAGE_FRAMEWORKS)]
    lookup_url_kwarg = "framework_pk"

    def get_queryset(self):
        return Framework.objects.visible_to(self.request.user).prefetch_related("competencies__indicators")

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return FrameworkWriteSerializer
        return super().get_serializer_class()

    def create_with_service(self, data):
        template_key = data.pop("template_key", "")
        if template_key:
            framework = services.framework_copy_template(
                template_key=template_key, name=data.get("name", ""), by=self.request.user
            )
            if data.get("description"):
                framework.description = data["description"]
                framework = services.framework_save(framework=framework, by=self.request.user)
            return framework
        return services.framework_save(framework=Framework(**data), by=self.request.user)

    def update_with_service(self, framework, data):
        data.pop("template_key", None)  # a template only starts a framework
        return services.framework_save(framework=assign(framework, data), by=self.request.user)


class RequirementSerializer(StrictModelSerializer):
    competency_name = serializers.CharField(source="competency.name", read_only=True)

    class Meta:
        model = JobProfileRequirement
        fields = ["competency", "competency_name", "minimum_level"]


class JobProfileSerializer(StrictModelSerializer):
    requirements = RequirementSerializer(many=True, read_only=True)

    class Meta:
        model = JobProfile
        fields = ["id", "name", "description", "kind", "framework", "requirements"]


class GapRowSerializer(serializers.Serializer):
    competency = serializers.IntegerField()
    competency_name = serializers.CharField()
    required = serializers.IntegerField()
    current = serializers.IntegerField(allow_null=True)
    shortfall = serializers.IntegerField()
    met = serializers.BooleanField()


class GapSerializer(serializers.Serializer):
    worker = serializers.IntegerField()
    job_profile = serializers.IntegerField()
    ready = serializers.BooleanField()
    total_shortfall = serializers.IntegerField()
    rows = GapRowSerializer(many=True)


class RequirementWriteSerializer(serializers.Serializer):
    competency = StrictIntegerField(min_value=1)
    minimum_level = StrictChoiceField(choices=Level.choices)


class JobProfileWriteSerializer(StrictModelSerializer):
    framework = ScopedRelatedField(Framework)
    requirements = RequirementWriteSerializer(
        many=True,
        required=False,
        help_text="The minimum level per competency of the framework; on update, the whole list "
        "(a competency left out has no requirement any more).",
    )

    class Meta:
        model = JobProfile
        fields = ["id", "name", "description", "kind", "framework", "requirements"]

    def to_representation(self, profile):
        return JobProfileSerializer(profile, context=self.context).data


class JobProfileViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    serializer_class = JobProfileSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS, Perm.MANAGE_FRAMEWORKS)]
    lookup_url_kwarg = "jobprofile_pk"

    def get_queryset(self):
        return JobProfile.objects.visible_to(self.request.user).prefetch_related("requirements__competency")

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return JobProfileWriteSerializer
        return super().get_serializer_class()

    def create_with_service(self, data):
        return self._save(JobProfile(), data)

    def update_with_service(self, profile, data):
        return self._save(profile, data)

    def _save(self, profile, data):
        given = data.pop("requirements", None)
        requirements = {}
        if given is not None:
            if profile.pk is not None:
                requirements = dict.fromkeys(profile.requirements.values_list("competency_id", flat=True))
            requirements.update({row["competency"]: row["minimum_level"] for row in given})
        return services.job_profile_save(
            job_profile=assign(profile, data), requirements=requirements, by=self.request.user
        )

    @action(detail=True, methods=["get"], url_path=r"gap/(?P<worker_pk>\d+)", serializer_class=GapSerializer)
    def gap(self, request, jobprofile_pk=None, worker_pk=None):
        """The gap measurement of one worker against this job profile (computed, read-only)."""
        profile = self.get_object()
        worker = visible_or_404(Worker, request.user, pk=worker_pk)
        measurement = selectors.gap_measurement(worker, profile)
        data = {
            "worker": worker.pk,
            "job_profile": profile.pk,
            "ready": measurement.gap.ready,
            "total_shortfall": measurement.gap.total_shortfall,
            "rows": [
                {
                    "competency": row.competency_id,
                    "competency_name": competency.name,
                    "required": row.required,
                    "current": row.current,
                    "shortfall": row.shortfall,
                    "met": row.met,
                }
                for competency, row, _result in measurement.rows
            ],
        }
        return Response(GapSerializer(data).data)


class ScoreSerializer(StrictModelSerializer):
    serializer_related_field = ScopedRelatedField

    class Meta:
        model = IndicatorScore
        fields = ["indicator", "competency", "competency_name", "indicator_text", "level", "evidence"]
        read_only_fields = ["competency", "competency_name", "indicator_text"]
        # The model keeps a score when its indicator is deleted; a new one is always for an indicator.
        extra_kwargs = {"indicator": {"required": True, "allow_null": False}}


class AssessmentSerializer(StrictModelSerializer):
    serializer_related_field = ScopedRelatedField
    scores = ScoreSerializer(many=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "worker",
            "framework",
            "date",
            "rater_role",
            "rater",
            "external_rater_name",
            "entered_by",
            "method",
            "notes",
            "scores",
        ]
        read_only_fields = ["rater", "entered_by"]


class AssessmentViewSet(CreateWithService, ScopedViewSet):
    serializer_class = AssessmentSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS, Perm.ASSESS)]
    lookup_url_kwarg = "assessment_pk"
    filterset_fields = ["worker", "framework", "rater_role"]

    def get_queryset(self):
        return Assessment.objects.visible_to(self.request.user).prefetch_related("scores")

    def create_with_service(self, data):
        scores = {s["indicator"].pk: (s.get("level"), s.get("evidence", "")) for s in data["scores"]}
        return services.assessment_create(
            worker=data["worker"],
            framework=data["framework"],
            date=data["date"],
            rater_role=data["rater_role"],
            external_rater_name=data.get("external_rater_name", ""),
            method=data.get("method", Method.INTERVIEW),
            notes=data.get("notes", ""),
            scores=scores,
            by=self.request.user,
        )


class ClassificationSerializer(StrictModelSerializer):
    class Meta:
        model = ObservationClassification
        fields = ["competency", "valence", "interpretation", "classified_by", "classified_at"]


class ObservationSerializer(StrictModelSerializer):
    serializer_related_field = ScopedRelatedField
    classifications = ClassificationSerializer(many=True, read_only=True)

    class Meta:
        model = Observation
        fields = ["id", "worker", "observer", "observed_at", "text", "classifications"]
        read_only_fields = ["observer"]
        extra_kwargs = {"observed_at": {"required": False}}


class ObservationViewSet(CreateWithService, ScopedViewSet):
    serializer_class = ObservationSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS, Perm.ADD_OBSERVATIONS)]
    lookup_url_kwarg = "observation_pk"
    filterset_fields = ["worker"]

    def get_queryset(self):
        return Observation.objects.visible_to(self.request.user).prefetch_related("classifications")

    def create_with_service(self, data):
        return services.observation_create(
            worker=data["worker"],
            text=data["text"],
            observed_at=data.get("observed_at"),
            by=self.request.user,
        )


class PlanActionSerializer(StrictModelSerializer):
    class Meta:
        model = PlanAction
        exclude = ["plan"]


class PlanActionResourceSerializer(StrictModelSerializer):
    serializer_related_field = ScopedRelatedField

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "plan",
            "order",
            "action",
            "who_helps",
            "due_date",
            "expected_result",
            "technical_competencies",
            "generic_competencies",
            "time_span",
            "who",
            "done",
            "remarks",
            "competency",
            "version",
        ]
        read_only_fields = ["order", "version"]


class PlanActionUpdateSerializer(PlanActionResourceSerializer):
    class Meta(PlanActionResourceSerializer.Meta):
        read_only_fields = [*PlanActionResourceSerializer.Meta.read_only_fields, "plan"]


class PlanActionViewSet(CreateWithService, UpdateWithService, DestroyWithService, ScopedViewSet):
    """The actions of a POP or PDP; a plan that is agreed or evaluated refuses changes (400)."""

    serializer_class = PlanActionResourceSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS, Perm.EDIT_WORKERS)]
    lookup_url_kwarg = "planaction_pk"
    filterset_fields = ["plan"]
    model = PlanAction
    ordering = ("plan", "order", "pk")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PlanActionUpdateSerializer
        return super().get_serializer_class()

    def save_with_service(self, action):
        return services.plan_action_save(action=action, by=self.request.user)

    def destroy_with_service(self, action):
        services.plan_action_delete(action=action, by=self.request.user)


class PlanSerializer(StrictModelSerializer):
    serializer_related_field = ScopedRelatedField
    actions = PlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "worker",
            "kind",
            "year",
            "title",
            "reflection",
            "status",
            "agreed_by_worker_on",
            "agreed_by_coach_on",
            "agreed_on",
            "evaluation",
            "source_job_profile",
            "actions",
        ]
        read_only_fields = [
            "status",
            "agreed_by_worker_on",
            "agreed_by_coach_on",
            "agreed_on",
            "evaluation",
            "source_job_profile",
        ]


class PlanStatusSerializer(serializers.Serializer):
    to_status = StrictChoiceField(choices=PlanStatus.choices)
    agreed_by_worker_on = serializers.DateField(required=False, allow_null=True)
    agreed_by_coach_on = serializers.DateField(required=False, allow_null=True)
    evaluation = StrictCharField(required=False, allow_blank=True)
    note = StrictCharField(required=False, allow_blank=True)


class PlanUpdateSerializer(PlanSerializer):
    """A plan keeps its worker, kind and year; its status moves through ``status``."""

    class Meta(PlanSerializer.Meta):
        read_only_fields = [*PlanSerializer.Meta.read_only_fields, "worker", "kind", "year"]


class PlanViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    serializer_class = PlanSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS, Perm.EDIT_WORKERS)]
    lookup_url_kwarg = "plan_pk"
    filterset_fields = ["worker", "kind", "status"]

    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user).prefetch_related("actions")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PlanUpdateSerializer
        return super().get_serializer_class()

    def save_with_service(self, plan):
        return services.plan_save(plan=plan, by=self.request.user)

    def create_with_service(self, data):
        return services.plan_create(
            worker=data["worker"],
            kind=data.get("kind", PlanKind.POP),
            year=data.get("year"),
            title=data.get("title", ""),
            reflection=data.get("reflection", ""),
            by=self.request.user,
        )

    @extend_schema(request=PlanStatusSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], serializer_class=PlanStatusSerializer)
    def status(self, request, plan_pk=None):
        """Move the plan to another status through the transition table."""
        plan, payload = self.object_and_payload(PlanStatusSerializer)
        plan = services.plan_change_status(plan=plan, by=request.user, **payload)
        return Response(PlanSerializer(plan, context={"request": request}).data, status=status.HTTP_200_OK)


def register(router):
    router.register("frameworks", FrameworkViewSet, basename="framework")
    router.register("job-profiles", JobProfileViewSet, basename="jobprofile")
    router.register("assessments", AssessmentViewSet, basename="assessment")
    router.register("observations", ObservationViewSet, basename="observation")
    router.register("plans", PlanViewSet, basename="plan")
    router.register("plan-actions", PlanActionViewSet, basename="planaction")
