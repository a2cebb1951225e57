"""API resources for competencies and plans. Every queryset comes from the access layer;
writes go through the services, whose refusals become 400s."""

from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bwise.access import Perm
from bwise.api.fields import (
    OrganisationUserField,
    ScopedRelatedField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
)
from bwise.api.permissions import HasPerm
from bwise.api.serializers import StrictModelSerializer
from bwise.api.viewsets import CreateWithService, DestroyWithService, ScopedViewSet, UpdateWithService, assign
from bwise.core.lookups import visible_or_404
from bwise.roles import Role
from competenties import selectors, services
from competenties.combining import RULE_SUMMARY
from competenties.framework_presets import TEMPLATE_CHOICES
from competenties.models import (
    Achievement,
    Assessment,
    CalibrationCase,
    Competency,
    Framework,
    Indicator,
    IndicatorScore,
    JobProfile,
    JobProfileRequirement,
    Level,
    MeasurementRound,
    Method,
    Observation,
    ObservationClassification,
    Plan,
    PlanAction,
    PlanKind,
    PlanStatus,
    RaterRole,
    RoundParticipant,
    RoundRater,
)
from trajects.models import Worker


class IndicatorSerializer(StrictModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "description", "level_1", "level_2", "level_3", "level_4", "order", "version"]
        read_only_fields = ["version"]


class CompetencySerializer(StrictModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Competency
        fields = ["id", "name", "definition", "category", "order", "indicators", "version"]
        read_only_fields = ["version"]


class FrameworkSerializer(StrictModelSerializer):
    competencies = CompetencySerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = ["id", "name", "description", "template_key", "competencies", "version"]
        read_only_fields = ["version"]


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
    or, with ``template_key``, as a copy of a shipped template; its competencies and their
    indicators are written through ``/competencies/`` and ``/indicators/``."""

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


class CompetencyResourceSerializer(StrictModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Competency
        fields = ["id", "framework", "name", "definition", "category", "order", "indicators", "version"]
        read_only_fields = ["version"]
        extra_kwargs = {"order": {"help_text": "Its place in the framework; on creation, last by default."}}


class CompetencyUpdateSerializer(CompetencyResourceSerializer):
    class Meta(CompetencyResourceSerializer.Meta):
        read_only_fields = [*CompetencyResourceSerializer.Meta.read_only_fields, "framework"]


class CompetencyViewSet(CreateWithService, UpdateWithService, DestroyWithService, ScopedViewSet):
    """The competencies of the organisation's frameworks, each with its indicators. Deleting
    one keeps the scores of past assessments; job profiles lose its requirement."""

    serializer_class = CompetencyResourceSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS, Perm.MANAGE_FRAMEWORKS)]
    lookup_url_kwarg = "competency_pk"
    filterset_fields = ["framework"]
    model = Competency
    ordering = ("framework", "order", "pk")

    def get_queryset(self):
        return super().get_queryset().select_related("framework").prefetch_related("indicators")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return CompetencyUpdateSerializer
        return super().get_serializer_class()

    def create_with_service(self, data):
        data.setdefault("order", data["framework"].competencies.count())
        return self.save_with_service(Competency(**data))

    def save_with_service(self, competency):
        return services.competency_save(competency=competency, by=self.request.user)

    def destroy_with_service(self, competency):
        services.competency_delete(competency=competency, by=self.request.user)


class IndicatorResourceSerializer(StrictModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "competency",
            "description",
            "level_1",
            "level_2",
            "level_3",
            "level_4",
            "order",
            "version",
        ]
        read_only_fields = ["version"]
        extra_kwargs = {"order": {"help_text": "Its place in the competency; on creation, last by default."}}


class IndicatorUpdateSerializer(IndicatorResourceSerializer):
    class Meta(IndicatorResourceSerializer.Meta):
        read_only_fields = [*IndicatorResourceSerializer.Meta.read_only_fields, "competency"]


class IndicatorViewSet(CreateWithService, UpdateWithService, DestroyWithService, ScopedViewSet):
    """The behaviour indicators of a competency, described at each of the four levels.
    Deleting one keeps the scores of past assessments."""

    serializer_class = IndicatorResourceSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS, Perm.MANAGE_FRAMEWORKS)]
    lookup_url_kwarg = "indicator_pk"
    filterset_fields = ["competency"]
    model = Indicator
    ordering = ("competency", "order", "pk")

    def get_queryset(self):
        return super().get_queryset().select_related("competency__framework")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return IndicatorUpdateSerializer
        return super().get_serializer_class()

    def create_with_service(self, data):
        data.setdefault("order", data["competency"].indicators.count())
        return self.save_with_service(Indicator(**data))

    def save_with_service(self, indicator):
        return services.indicator_save(indicator=indicator, by=self.request.user)

    def destroy_with_service(self, indicator):
        services.indicator_delete(indicator=indicator, by=self.request.user)


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
    provisional = serializers.BooleanField(help_text="Not yet agreed in a closed round.")
    shortfall = serializers.IntegerField()
    met = serializers.BooleanField()


class GapSerializer(serializers.Serializer):
    worker = serializers.IntegerField()
    job_profile = serializers.IntegerField()
    ready = serializers.BooleanField(
        help_text="Every cut-off met, by at least two professional observers on at least two days."
    )
    cutoffs_met = serializers.BooleanField()
    missing = serializers.ListField(
        child=serializers.ChoiceField(choices=["cutoffs", "observers", "days"]),
        help_text="What stands in the way of the ready verdict.",
    )
    observers = serializers.IntegerField()
    days = serializers.IntegerField()
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
            "ready": measurement.verdict.ready,
            "cutoffs_met": measurement.gap.ready,
            "missing": measurement.verdict.missing,
            "observers": measurement.verdict.evidence.observers,
            "days": measurement.verdict.evidence.days,
            "total_shortfall": measurement.gap.total_shortfall,
            "rows": [
                {
                    "competency": row.competency_id,
                    "competency_name": competency.name,
                    "required": row.required,
                    "current": row.current,
                    "provisional": bool(result and result.provisional),
                    "shortfall": row.shortfall,
                    "met": row.met,
                }
                for competency, row, result in measurement.rows
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
    save_as_written = StrictBooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="A text with personality words (lazy, stubborn, ...) is refused with the code "
        "`personality_words` unless this is true.",
    )

    class Meta:
        model = Observation
        fields = ["id", "worker", "observer", "observed_at", "text", "classifications", "save_as_written"]
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
            save_as_written=data["save_as_written"],
            by=self.request.user,
        )


class AchievementSerializer(StrictModelSerializer):
    # The stored name only, and only for the photo's audience: the photo itself is downloaded
    # from its own page, which checks and logs who reads it.
    photo = serializers.CharField(source="photo.name", read_only=True, default="")

    class Meta:
        model = Achievement
        fields = [
            "id",
            "worker",
            "text",
            "achieved_on",
            "photo",
            "competencies",
            "added_by_worker",
            "confirmed_at",
        ]


class AchievementViewSet(ScopedViewSet):
    """The stoefboek, read only: items are written with the worker, on their pages or the
    coach's (``competenties.services_portfolio``)."""

    serializer_class = AchievementSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS)]
    lookup_url_kwarg = "achievement_pk"
    filterset_fields = ["worker"]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return (
            Achievement.objects.visible_to(self.request.user)
            .select_related("worker")
            .prefetch_related("competencies")
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


class RoundRaterSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoundRater
        fields = ["id", "role", "user", "external_name"]


class RaterInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=RaterRole.choices)
    user = OrganisationUserField(
        Role.COACH, Role.BEGELEIDER, required=False, allow_null=True, pk_field=serializers.IntegerField()
    )
    external_name = serializers.CharField(required=False, allow_blank=True, max_length=200)


class MeasurementRoundSerializer(serializers.ModelSerializer):
    serializer_related_field = ScopedRelatedField
    workers = serializers.SerializerMethodField()
    raters = RoundRaterSerializer(many=True, read_only=True)

    class Meta:
        model = MeasurementRound
        fields = [
            "id",
            "title",
            "framework",
            "job_profile",
            "starts_on",
            "ends_on",
            "status",
            "closed_at",
            "workers",
            "raters",
        ]
        read_only_fields = ["status", "closed_at"]

    def get_workers(self, measurement_round) -> list[int]:
        """The workers of the round the caller may see."""
        return [p.worker_id for p in measurement_round.visible_participants]


# Plain serializers have no model to read an id's type from: ``pk_field`` gives the schema one.
class RoundOpenSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    framework = ScopedRelatedField(
        Framework, required=False, allow_null=True, pk_field=serializers.IntegerField()
    )
    job_profile = ScopedRelatedField(
        JobProfile, required=False, allow_null=True, pk_field=serializers.IntegerField()
    )
    workers = ScopedRelatedField(Worker, many=True, pk_field=serializers.IntegerField())
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    raters = RaterInputSerializer(many=True)


class RoundRatingSerializer(serializers.Serializer):
    worker = ScopedRelatedField(Worker, pk_field=serializers.IntegerField())
    rater = serializers.IntegerField()
    date = serializers.DateField()
    method = serializers.ChoiceField(choices=Method.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    scores = ScoreSerializer(many=True)


class AgreedInputSerializer(serializers.Serializer):
    competency = serializers.IntegerField()
    level = serializers.IntegerField(min_value=1, max_value=4, allow_null=True)
    justification = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ConsensusSerializer(serializers.Serializer):
    worker = ScopedRelatedField(Worker, pk_field=serializers.IntegerField())
    levels = AgreedInputSerializer(many=True)


class RoundSheetRowSerializer(serializers.Serializer):
    competency = serializers.IntegerField()
    competency_name = serializers.CharField()
    levels = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    disagreement = serializers.BooleanField()
    provisional = serializers.IntegerField(allow_null=True)
    agreed = serializers.IntegerField(allow_null=True)
    justification = serializers.CharField(allow_blank=True)


class RoundSheetSerializer(serializers.Serializer):
    """The answer of a round's sheet for one worker: declared, so that the schema says it."""

    visible = serializers.BooleanField()
    combining_rule = serializers.CharField()
    raters = serializers.ListField(child=serializers.IntegerField())
    submitted = serializers.ListField(child=serializers.IntegerField())
    rows = RoundSheetRowSerializer(many=True)


def _figures(result) -> dict:
    return {
        "pairs": result.pairs,
        "exact": result.exact,
        "within_one": result.within_one,
        "weighted_kappa": result.kappa,
    }


class MeasurementRoundViewSet(CreateWithService, ScopedViewSet):
    """Measurement rounds: several raters rate the same workers independently, the coach
    records the agreed level per competency and closes the round."""

    serializer_class = MeasurementRoundSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS, Perm.EDIT_WORKERS)]
    lookup_url_kwarg = "measurementround_pk"
    filterset_fields = ["status", "framework"]

    def get_queryset(self):
        user = self.request.user
        return (
            MeasurementRound.objects.visible_to(user)
            .prefetch_related(
                "raters",
                Prefetch(
                    "participants",
                    queryset=RoundParticipant.objects.visible_to(user),
                    to_attr="visible_participants",
                ),
            )
            .order_by("-starts_on", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return RoundOpenSerializer
        return super().get_serializer_class()

    def create(self, request, *args, **kwargs):
        payload = RoundOpenSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        measurement_round = services.round_open(
            title=data.get("title", ""),
            framework=data.get("framework"),
            job_profile=data.get("job_profile"),
            workers=data["workers"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            raters=[(r["role"], r.get("user"), r.get("external_name", "")) for r in data["raters"]],
            by=request.user,
        )
        body = self._render(measurement_round)
        body["warnings"] = services.round_warnings(measurement_round, len(data["workers"]))
        return Response(body, status=status.HTTP_201_CREATED)

    def _render(self, measurement_round):
        return MeasurementRoundSerializer(
            self.get_queryset().get(pk=measurement_round.pk), context=self.get_serializer_context()
        ).data

    @action(
        detail=True,
        methods=["post"],
        serializer_class=RoundRatingSerializer,
        permission_classes=[HasPerm.of(Perm.VIEW_WORKERS, Perm.ASSESS)],
    )
    def ratings(self, request, measurementround_pk=None):
        """Submit one invited rater's rating of one worker (once)."""
        measurement_round, data = self.object_and_payload(RoundRatingSerializer)
        rater = measurement_round.raters.filter(pk=data["rater"]).first()
        if rater is None:
            raise NotFound
        assessment = services.round_rating_submit(
            measurement_round=measurement_round,
            worker=data["worker"],
            rater=rater,
            date=data["date"],
            method=data.get("method", ""),
            notes=data.get("notes", ""),
            scores={s["indicator"].pk: (s.get("level"), s.get("evidence", "")) for s in data["scores"]},
            by=request.user,
        )
        return Response({"assessment": assessment.pk}, status=status.HTTP_201_CREATED)

    @extend_schema(responses=RoundSheetSerializer)
    @action(detail=True, methods=["get"], url_path=r"sheet/(?P<worker_pk>\d+)")
    def sheet(self, request, measurementround_pk=None, worker_pk=None):
        """The ratings of one worker side by side, hidden from an invited rater who has not
        submitted yet; the provisional and agreed level per competency."""
        measurement_round = self.get_object()
        worker = visible_or_404(Worker, request.user, pk=worker_pk)
        sheet = selectors.round_sheet(measurement_round, worker, request.user)
        return Response(
            {
                "visible": sheet.visible,
                "combining_rule": RULE_SUMMARY,
                "raters": [r.pk for r in sheet.raters],
                "submitted": sorted(sheet.submitted),
                "rows": [
                    {
                        "competency": row.competency.pk,
                        "competency_name": row.competency.name,
                        "levels": row.levels,
                        "disagreement": row.disagreement,
                        "provisional": row.provisional,
                        "agreed": row.agreed.level if row.agreed else None,
                        "justification": row.agreed.justification if row.agreed else "",
                    }
                    for row in sheet.rows
                ],
            }
        )

    @action(detail=True, methods=["post"], serializer_class=ConsensusSerializer)
    def consensus(self, request, measurementround_pk=None):
        """Record agreed levels (with a justification where the raters disagree)."""
        measurement_round, payload = self.object_and_payload(ConsensusSerializer)
        saved = services.round_consensus_record(
            measurement_round=measurement_round,
            worker=payload["worker"],
            levels={
                item["competency"]: (item["level"], item.get("justification", ""))
                for item in payload["levels"]
            },
            by=request.user,
        )
        return Response({"saved": len(saved)})

    @action(detail=True, methods=["post"])
    def close(self, request, measurementround_pk=None):
        """Close the round: its agreed levels become the workers' levels."""
        measurement_round = services.round_close(measurement_round=self.get_object(), by=request.user)
        return Response(self._render(measurement_round))

    @action(detail=True, methods=["get"])
    def agreement(self, request, measurementround_pk=None):
        """Agreement between each pair of professional raters, and over all pairs (linear-weighted kappa)."""
        measurement_round = self.get_object()
        if not selectors.round_overview(measurement_round, request.user).visible:
            raise NotFound
        pairs, pooled = selectors.round_agreement(measurement_round, request.user)

        return Response(
            {
                "weights": "linear",
                "pairs": [{"raters": [p.rater_a.pk, p.rater_b.pk], **_figures(p.result)} for p in pairs],
                "all_pairs": _figures(pooled),
            }
        )


class CalibrationCaseSerializer(StrictModelSerializer):
    serializer_related_field = ScopedRelatedField
    rater_count = serializers.SerializerMethodField()

    class Meta:
        model = CalibrationCase
        fields = ["id", "title", "description", "framework", "created_by", "created_at", "rater_count"]
        read_only_fields = ["created_by", "created_at"]

    def get_rater_count(self, case) -> int:
        return case.rater_count


class CalibrationLevelSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    level = serializers.IntegerField(min_value=1, max_value=4, allow_null=True)


class CalibrationRatingSerializer(serializers.Serializer):
    levels = CalibrationLevelSerializer(many=True)


class AgreementFiguresSerializer(serializers.Serializer):
    pairs = serializers.IntegerField()
    exact = serializers.FloatField(allow_null=True)
    within_one = serializers.FloatField(allow_null=True)
    weighted_kappa = serializers.FloatField(allow_null=True)


class CalibrationPairSerializer(AgreementFiguresSerializer):
    raters = serializers.ListField(child=serializers.IntegerField())


class CalibrationRowSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    competency_name = serializers.CharField()
    indicator_text = serializers.CharField()
    levels = serializers.ListField(child=serializers.IntegerField(allow_null=True))


class CalibrationResultSerializer(serializers.Serializer):
    """The answer of a calibration exercise's result: declared, so that the schema says it."""

    visible = serializers.BooleanField()
    rated = serializers.BooleanField()
    weights = serializers.CharField()
    raters = serializers.ListField(child=serializers.IntegerField())
    rows = CalibrationRowSerializer(many=True)
    pairs = CalibrationPairSerializer(many=True)
    all_pairs = AgreementFiguresSerializer(allow_null=True)


class CalibrationCaseViewSet(CreateWithService, ScopedViewSet):
    """Calibration exercises: several staff rate the same recorded case (no real worker) once
    each, and then see their levels side by side and how far they agree."""

    serializer_class = CalibrationCaseSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS, Perm.EDIT_WORKERS)]
    lookup_url_kwarg = "calibrationcase_pk"
    filterset_fields = ["framework"]

    def get_queryset(self):
        return (
            CalibrationCase.objects.visible_to(self.request.user)
            .annotate(rater_count=Count("ratings__rater", distinct=True))
            .order_by("-created_at", "-pk")
        )

    def create_with_service(self, data):
        case = services.calibration_case_create(
            framework=data["framework"],
            title=data["title"],
            description=data["description"],
            by=self.request.user,
        )
        return self.get_queryset().get(pk=case.pk)

    @action(
        detail=True,
        methods=["post"],
        serializer_class=CalibrationRatingSerializer,
        permission_classes=[HasPerm.of(Perm.VIEW_WORKERS, Perm.ASSESS)],
    )
    def ratings(self, request, calibrationcase_pk=None):
        """Submit the caller's levels for the recorded case, once; a level may be null for
        a behaviour the case does not show."""
        case, data = self.object_and_payload(CalibrationRatingSerializer)
        given = services.calibration_rate(
            case=case, levels={item["indicator"]: item["level"] for item in data["levels"]}, by=request.user
        )
        return Response({"rated": given}, status=status.HTTP_201_CREATED)

    @extend_schema(responses=CalibrationResultSerializer)
    @action(detail=True, methods=["get"])
    def result(self, request, calibrationcase_pk=None):
        """The levels side by side and the agreement per pair of raters (linear-weighted
        kappa), hidden from a rater who has not rated yet."""
        result = selectors.calibration_result(self.get_object(), request.user)
        visible = result.overall is not None
        return Response(
            {
                "visible": visible,
                "rated": result.rated,
                "weights": "linear",
                "raters": [rater.pk for rater in result.raters] if visible else [],
                "rows": [
                    {
                        "indicator": indicator.pk,
                        "competency_name": indicator.competency.name,
                        "indicator_text": indicator.description,
                        "levels": levels,
                    }
                    for indicator, levels in result.rows
                ],
                "pairs": [
                    {"raters": [p.rater_a.pk, p.rater_b.pk], **_figures(p.result)} for p in result.pairs
                ],
                "all_pairs": _figures(result.overall) if visible else None,
            }
        )


def register(router):
    router.register("frameworks", FrameworkViewSet, basename="framework")
    router.register("competencies", CompetencyViewSet, basename="competency")
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("job-profiles", JobProfileViewSet, basename="jobprofile")
    router.register("assessments", AssessmentViewSet, basename="assessment")
    router.register("observations", ObservationViewSet, basename="observation")
    router.register("achievements", AchievementViewSet, basename="achievement")
    router.register("plans", PlanViewSet, basename="plan")
    router.register("rounds", MeasurementRoundViewSet, basename="measurementround")
    router.register("calibration-cases", CalibrationCaseViewSet, basename="calibrationcase")
    router.register("plan-actions", PlanActionViewSet, basename="planaction")
