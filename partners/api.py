"""API resources for the partner register and placements, all through the access layer.

Writes go through ``partners.services``; a refused rule answers 400 with its message.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from bwise.access import Perm, has_perm
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
    MentorLink,
    Partner,
    PartnerContact,
    PartnerEvent,
    Stage,
    TrainingOnTheJob,
    Vacancy,
    Visit,
    VisitChecklist,
)
from partners.models.hires import FollowUpWith
from trajects.models import Worker

REGISTER = [HasPerm.of(Perm.VIEW_PARTNERS, Perm.MANAGE_PARTNERS)]
PLACEMENTS = [HasPerm.of(Perm.VIEW_WORKERS, Perm.EDIT_WORKERS)]


# The register


class PartnerSerializer(StrictModelSerializer):
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


class PartnerContactSerializer(StrictModelSerializer):
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


class VisitSerializer(StrictModelSerializer):
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


class VisitChecklistSerializer(StrictModelSerializer):
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


class PartnerEventSerializer(StrictModelSerializer):
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


class VacancySerializer(StrictModelSerializer):
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


class ShortfallSerializer(serializers.Serializer):
    competency = serializers.IntegerField()
    required = serializers.IntegerField()
    current = serializers.IntegerField(allow_null=True)


class MatchSerializer(serializers.Serializer):
    worker = serializers.IntegerField(source="candidate.key")
    name = serializers.CharField(source="candidate.name")
    distance = serializers.IntegerField()
    shortfalls = serializers.SerializerMethodField()
    blockers = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(ShortfallSerializer(many=True))
    def get_shortfalls(self, match):
        return [
            {"competency": r.competency_id, "required": r.required, "current": r.current}
            for r in match.shortfalls
        ]


class VacancyMatchSerializer(MatchSerializer):
    vacancy = serializers.IntegerField()
    title = serializers.CharField()

    def to_representation(self, instance):
        vacancy, match = instance
        return {"vacancy": vacancy.pk, "title": vacancy.title, **MatchSerializer(match).data}


_WORKER = "The id of the worker to rank the open vacancies for."


class VacancyViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    permission_classes = REGISTER
    serializer_class = VacancySerializer
    lookup_url_kwarg = "vacancy_pk"
    model = Vacancy

    def save_with_service(self, instance):
        return services.vacancy_save(vacancy=instance, by=self.request.user)

    @extend_schema(responses=MatchSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matches(self, request, **kwargs):
        """Workers in job matching (of the caller's scope), best match first, a page at a time."""
        ranked = selectors.matches_for_vacancy(self.get_object(), request.user)
        page = self.paginate_queryset([match for _worker, match in ranked])
        return self.get_paginated_response(MatchSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("worker", {"type": "integer", "minimum": 1}, required=True, description=_WORKER)
        ],
        responses=VacancyMatchSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="for-worker")
    def for_worker(self, request):
        """Open vacancies ranked for one worker, best match first, a page at a time."""
        if not has_perm(request.user, Perm.VIEW_WORKERS):
            raise PermissionDenied
        try:
            worker_pk = int(request.query_params.get("worker", ""))
        except ValueError as err:
            raise ValidationError({"worker": _("Give the id of a worker.")}) from err
        worker = visible_or_404(Worker, request.user, pk=worker_pk)
        page = self.paginate_queryset(selectors.matches_for_worker(worker, request.user))
        return self.get_paginated_response(VacancyMatchSerializer(page, many=True).data)


# Placements


class ApplicationSerializer(StrictModelSerializer):
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


class StageSerializer(StrictModelSerializer):
    worker = ScopedRelatedField(Worker)
    partner = ScopedRelatedField(Partner)
    team = ScopedRelatedField(Worker, many=True, required=False)

    class Meta:
        model = Stage
        exclude = ["created_by", "created_at"]
        read_only_fields = ["trajectory"]


class MentorLinkSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    expires_on = serializers.DateField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    usable = serializers.BooleanField()
    url = serializers.URLField(
        required=False, help_text="Only in the answer that made the link: it is shown once and never stored."
    )

    def to_representation(self, link):
        data = {
            "created_at": link.created_at,
            "expires_on": link.expires_on,
            "revoked_at": link.revoked_at,
            "usable": link.usable(),
        }
        if self.context.get("url"):
            data["url"] = self.context["url"]
        return super().to_representation(data)


class StageViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    permission_classes = PLACEMENTS
    serializer_class = StageSerializer
    lookup_url_kwarg = "stage_pk"
    model = Stage

    @extend_schema(methods=["GET"], request=None, responses=MentorLinkSerializer)
    @extend_schema(methods=["POST"], request=None, responses={201: MentorLinkSerializer})
    @action(detail=True, methods=["get", "post"], url_path="mentor-link")
    def mentor_link(self, request, **kwargs):
        """The host mentor's link of the stage (GET), or a new one replacing it (POST), whose
        address, with the token the mentor uses instead of an account, is in this answer only."""
        stage = self.get_object()
        if request.method == "GET":
            link = getattr(stage, "mentor_link", None)  # the reverse one-to-one may be absent
            if link is None:
                raise NotFound
            return Response(MentorLinkSerializer(link).data)
        token = services.mentor_link_create(stage=stage, by=request.user)
        url = request.build_absolute_uri(reverse("partners:mentor", kwargs={"token": token}))
        link = MentorLink.objects.of_worker(stage.worker).get(stage=stage)
        return Response(MentorLinkSerializer(link, context={"url": url}).data, status=201)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path="mentor-link/revoke")
    def mentor_link_revoke(self, request, **kwargs):
        """Revoke the stage's mentor link: the mentor's page answers 404 from now on."""
        services.mentor_link_revoke(stage=self.get_object(), by=request.user)
        return Response(status=204)

    def create_with_service(self, data):
        team = data.pop("team", [])
        return services.stage_save(stage=Stage(**data), by=self.request.user, team=team)

    def update_with_service(self, stage, data):
        team = data.pop("team", None)
        return services.stage_save(stage=assign(stage, data), by=self.request.user, team=team)


class AttendanceSerializer(StrictModelSerializer):
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


class TrainingOnTheJobSerializer(StrictModelSerializer):
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


class EvaluationLevelSerializer(StrictModelSerializer):
    competency = ScopedRelatedField(Competency)

    class Meta:
        model = EvaluationLevel
        fields = ["competency", "level"]


class EvaluationSerializer(StrictModelSerializer):
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


class HireSerializer(StrictModelSerializer):
    warnings = serializers.SerializerMethodField()
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
            "agreed_wage",
            "wage_subsidy",
            "c4_reason",
            "activa_applied_on",
            "activa_accompanied",
            "warnings",
        ]
        read_only_fields = ["trajectory", "activa_applied_on", "activa_accompanied"]

    def get_warnings(self, hire) -> list[str]:
        return services.hire_warnings(hire)


class FollowUpAddSerializer(serializers.Serializer):
    with_whom = StrictChoiceField(choices=FollowUpWith.choices)
    due_on = serializers.DateField()


class ActivaSerializer(serializers.Serializer):
    applied_on = serializers.DateField()
    accompanied = StrictBooleanField()


class HireUpdateSerializer(HireSerializer):
    """A recorded hire stays with its worker, employer and vacancy: only the contract changes."""

    worker = serializers.PrimaryKeyRelatedField(read_only=True)
    employer = serializers.PrimaryKeyRelatedField(read_only=True)
    vacancy = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)


class FollowUpSerializer(StrictModelSerializer):
    class Meta:
        model = FollowUp
        fields = [
            "id",
            "hire",
            "with_whom",
            "due_on",
            "done_on",
            "notes",
            "skipped_on",
            "skip_reason",
            "done_by",
        ]
        read_only_fields = fields


class HireViewSet(CreateWithService, UpdateWithService, ScopedViewSet):
    permission_classes = PLACEMENTS
    serializer_class = HireSerializer
    lookup_url_kwarg = "hire_pk"
    model = Hire
    ordering = ("-start_date", "-pk")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return HireUpdateSerializer
        return super().get_serializer_class()

    def create_with_service(self, data):
        return services.hire_record(hire=Hire(**data), by=self.request.user)

    def save_with_service(self, hire):
        return services.hire_save(hire=hire, by=self.request.user)

    @extend_schema(request=ActivaSerializer, responses=HireSerializer)
    @action(detail=True, methods=["post"], serializer_class=ActivaSerializer)
    def activa(self, request, **kwargs):
        """Record the ACTIVA-werkkaart application (after the end of employment)."""
        hire, payload = self.object_and_payload(ActivaSerializer)
        hire = services.activa_application_record(hire=hire, by=request.user, **payload)
        return Response(HireSerializer(hire, context=self.get_serializer_context()).data)

    @extend_schema(request=FollowUpAddSerializer, responses={201: FollowUpSerializer})
    @action(detail=True, methods=["post"], url_path="follow-ups", serializer_class=FollowUpAddSerializer)
    def add_follow_up(self, request, **kwargs):
        """Add a contact beyond the default schedule."""
        hire, payload = self.object_and_payload(FollowUpAddSerializer)
        follow_up = services.follow_up_add(hire=hire, by=request.user, **payload)
        return Response(FollowUpSerializer(follow_up).data, status=201)


class FollowUpLogSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    notes = StrictCharField()


class FollowUpSkipSerializer(serializers.Serializer):
    reason = StrictCharField()


class FollowUpRescheduleSerializer(serializers.Serializer):
    due_on = serializers.DateField()


class FollowUpViewSet(ScopedViewSet):
    permission_classes = PLACEMENTS
    serializer_class = FollowUpSerializer
    lookup_url_kwarg = "followup_pk"

    def get_queryset(self):
        return FollowUp.objects.visible_to(self.request.user).select_related("hire").order_by("due_on", "pk")

    @extend_schema(request=FollowUpLogSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"], serializer_class=FollowUpLogSerializer)
    def log(self, request, **kwargs):
        """Log the contact with its notes; the coach closes the trajectory, not the last contact."""
        follow_up, payload = self.object_and_payload(FollowUpLogSerializer)
        follow_up = services.follow_up_log(follow_up=follow_up, by=request.user, **payload)
        return Response(FollowUpSerializer(follow_up).data)

    @extend_schema(request=FollowUpSkipSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"], serializer_class=FollowUpSkipSerializer)
    def skip(self, request, **kwargs):
        """Leave the contact out of the schedule, with the reason."""
        follow_up, payload = self.object_and_payload(FollowUpSkipSerializer)
        follow_up = services.follow_up_skip(follow_up=follow_up, by=request.user, **payload)
        return Response(FollowUpSerializer(follow_up).data)

    @extend_schema(request=FollowUpRescheduleSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"], serializer_class=FollowUpRescheduleSerializer)
    def reschedule(self, request, **kwargs):
        follow_up, payload = self.object_and_payload(FollowUpRescheduleSerializer)
        follow_up = services.follow_up_reschedule(follow_up=follow_up, by=request.user, **payload)
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
