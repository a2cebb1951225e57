from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from bwise.access import Perm, coaches_of
from bwise.audit.services import AccessAction, AccessOutcome, log_access
from bwise.core.filters import filtered
from bwise.core.forms import options_html
from bwise.core.lookups import visible_or_404
from bwise.core.params import OlderForm, clean_query
from bwise.core.views_mixins import (
    PermRequiredMixin,
    ServiceFormView,
    WorkerMixin,
    run_service,
)
from bwise.privacy.exports import ExportMixin, export_response, requested_format
from bwise.privacy.files import PrivateFileView
from bwise.privacy.history import history_context
from trajects import importing, selectors, services
from trajects.forms import (
    CoachingMomentForm,
    EmploymentEndForm,
    ImportUploadForm,
    IntakeForm,
    JobDefinitionForm,
    KickOffForm,
    LdeSettingsForm,
    StarrNoteForm,
    TrajectoryStartForm,
    TransitionForm,
    WorkerForm,
    WorkerSensitiveForm,
)
from trajects.models import (
    ImportJob,
    Intake,
    IntakeKind,
    JobDefinition,
    Precondition,
    StatuutPeriod,
    Trajectory,
    Worker,
)
from trajects.sensitive import (
    SENSITIVE_INTAKE_FIELDS,
    hidden_fields,
    sensitive_fields_for,
)
from trajects.state import Phase, Status, available_transitions


class CaseloadView(PermRequiredMixin, ExportMixin, ListView):
    """The caseload; its export has the page's selector and filters."""

    required_perm = Perm.VIEW_WORKERS
    template_name = "trajects/caseload.html"
    paginate_by = 25
    export_filename = "caseload"
    export_logs_access = True

    # The import's own columns first, so that the export imports back unchanged; the
    # import leaves the figures after them alone.
    IMPORTABLE = ("external_id", "first_name", "last_name", "statuut", "statuut_start", "team", "coach")

    def export_headers(self):
        labels = dict(importing.TEMPLATE_COLUMNS)
        return [
            *(str(labels[name]) for name in self.IMPORTABLE),
            _("Phase"),
            _("Status"),
            _("In this phase since"),
            _("Next due"),
            _("LDE limit"),
        ]

    def export_row(self, worker):
        return [
            worker.external_id,
            worker.first_name,
            worker.last_name,
            worker.get_statuut_display(),
            worker.statuut_start,
            worker.team,
            str(worker.coach or ""),
            Phase(worker.current_phase).label if worker.current_phase else "",
            _("paused") if worker.current_status == Status.PAUSED else "",
            timezone.localtime(worker.phase_since).date() if worker.phase_since else None,
            worker.next_due,
            worker.lde_limit_date,
        ]

    def get_queryset(self):
        self.filterset = selectors.caseload_for(self.request.user, self.request.GET)
        return filtered(self.filterset, self.request.user)

    def get_context_data(self, **kwargs):
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("format", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": self.filterset,
            "query_string": params.urlencode(),
        }


class CoachChoicesView(PermRequiredMixin, View):
    """The coach filter's suggestions for the typed text (``?coach=``): at most
    ``SUGGESTIONS`` of the coaches of the workers the reader sees, as ``<option>`` elements."""

    required_perm = Perm.VIEW_WORKERS
    SUGGESTIONS = 20

    def get(self, request):
        coaches = coaches_of(request.user)
        for term in request.GET.get("coach", "")[:100].split():
            coaches = coaches.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term))
        return HttpResponse(
            options_html((coach.pk, str(coach), False) for coach in coaches[: self.SUGGESTIONS])
        )


class WorkerDetailView(WorkerMixin, DetailView):
    template_name = "trajects/worker_detail.html"
    context_object_name = "worker"

    def get_object(self, queryset=None):
        return self.get_worker()

    def get_context_data(self, **kwargs):
        worker = self.get_worker()
        user = self.request.user
        trajectory = selectors.current_trajectory(worker)
        transition_forms = []
        if trajectory is not None:
            transition_forms = [
                TransitionForm(trajectory=trajectory, step=step)
                for step in available_transitions(trajectory.phase, trajectory.status)
            ]
        sensitive = sensitive_fields_for(user, worker)
        intakes = list(trajectory.intakes.order_by("kind")) if trajectory else []
        return {
            **super().get_context_data(**kwargs),
            "trajectory": trajectory,
            "preconditions": ", ".join(str(Precondition(value).label) for value in worker.preconditions),
            "intakes": intakes,
            "intake_answers": selectors.sent_intake_answers(trajectory, user) if trajectory else None,
            "questionnaires": {
                intake.pk
                for intake in intakes
                if intake.questionnaire_scan
                and "questionnaire_scan" not in hidden_fields(user, worker, "trajects.Intake")
            },
            "transition_forms": transition_forms,
            "sensitive": [
                (Worker._meta.get_field(name).verbose_name, value) for name, value in sensitive.items()
            ]
            if sensitive is not None
            else None,
            "past_trajectories": worker.trajectories.closed(),
            "timeline": selectors.timeline_for(
                worker, reader=user, before=clean_query(OlderForm(self.request.GET))["before"]
            ),
            "start_form": TrajectoryStartForm(worker=worker) if trajectory is None else None,
            "statuut_periods": list(StatuutPeriod.objects.of_worker(worker).order_by("start", "pk")),
            "end_proposal": None if worker.employment_end else services.employment_end_proposal(worker),
        }


class WorkerHistoryView(WorkerMixin, TemplateView):
    required_perm = Perm.VIEW_HISTORY
    template_name = "core/history.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **history_context(self.get_worker(), self.request)}


class WriteFormView(ServiceFormView):
    """A worker's record saved through a service; ``save`` returns the worker, whose page comes next."""

    required_perm = Perm.EDIT_WORKERS

    def success_url_for(self, worker: Worker) -> str:
        return reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk})


class WorkerCreateView(WriteFormView):
    form_class = WorkerForm

    @property
    def title(self):
        return _("New worker")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"coach": self.request.user.pk}

    def save(self, form):
        return services.worker_save(worker=form.instance, by=self.request.user)


class WorkerEditView(WorkerMixin, WriteFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = WorkerForm

    @property
    def title(self):
        return _("Edit %(name)s") % {"name": self.get_worker().full_name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.get_worker()}

    def save(self, form):
        return services.worker_save(worker=form.instance, by=self.request.user)


class WorkerSensitiveEditView(WorkerMixin, WriteFormView):
    required_perm = Perm.VIEW_SENSITIVE
    form_class = WorkerSensitiveForm

    @property
    def title(self):
        return _("Special-category data of %(name)s") % {"name": self.get_worker().full_name}

    def get_form_kwargs(self):
        worker = self.get_worker()
        if sensitive_fields_for(self.request.user, worker) is None:
            # Not the worker's coach nor HR: the data stays out of reach, as if absent,
            # and the attempt is on record.
            log_access(
                user=self.request.user,
                action=AccessAction.REFUSED,
                outcome=AccessOutcome.REFUSED,
                record=worker,
                worker_id=worker.pk,
                detail={"fields": "sensitive"},
            )
            raise Http404
        return {**super().get_form_kwargs(), "instance": worker}

    def save(self, form):
        return services.worker_save(worker=form.instance, by=self.request.user)


class TrajectoryStartView(WorkerMixin, WriteFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = TrajectoryStartForm

    @property
    def title(self):
        return _("Start a trajectory for %(name)s") % {"name": self.get_worker().full_name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "worker": self.get_worker()}

    def save(self, form):
        worker = self.get_worker()
        services.trajectory_start(worker=worker, by=self.request.user, **form.cleaned_data)
        return worker


class LdeSettingsView(ServiceFormView):
    required_perm = Perm.MANAGE_USERS
    form_class = LdeSettingsForm
    success_message = _("The setting has been saved.")

    @property
    def title(self):
        return _("Reminder for LDE workers without a trajectory")

    def get_initial(self):
        return {"months": self.request.user.organisation.lde_trajectory_reminder_months}

    def save(self, form):
        services.lde_reminder_months_set(
            organisation=self.request.user.organisation,
            months=form.cleaned_data["months"],
            by=self.request.user,
        )
        return reverse("trajects:lde_settings")


class EmploymentEndView(WorkerMixin, WriteFormView):
    """The end of the worker's employment; a hire in the regular economy proposes it."""

    required_perm = Perm.EDIT_WORKERS
    form_class = EmploymentEndForm

    @property
    def title(self):
        return _("End of employment of %(name)s") % {"name": self.get_worker().full_name}

    def get_initial(self):
        worker = self.get_worker()
        if worker.employment_end:
            return {
                "on": worker.employment_end,
                "reason": worker.employment_end_reason,
                "c4_reason": worker.employment_end_c4_reason,
                "notes": worker.employment_end_notes,
            }
        return services.employment_end_proposal(worker) or {}

    def save(self, form):
        return services.employment_end_record(
            worker=self.get_worker(), by=self.request.user, **form.cleaned_data
        )


class TrajectoryObjectMixin:
    def get_trajectory(self) -> Trajectory:
        if not hasattr(self, "_trajectory"):
            self._trajectory = visible_or_404(
                Trajectory.objects.select_related("worker"),
                self.request.user,
                pk=self.kwargs["trajectory_pk"],
            )
        return self._trajectory

    def worker_for_page(self):
        return self.get_trajectory().worker


class TrajectoryTransitionView(PermRequiredMixin, TrajectoryObjectMixin, View):
    """Applies one transition; refusals come back as a message on the worker page."""

    required_perm = Perm.EDIT_WORKERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        trajectory = self.get_trajectory()
        form = TransitionForm(request.POST, trajectory=trajectory)
        target = redirect(reverse("trajects:worker_detail", kwargs={"worker_pk": trajectory.worker_id}))
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return target
        run_service(
            request,
            lambda: services.trajectory_transition(
                trajectory=trajectory,
                transition=form.cleaned_data["transition"],
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
                outcome=form.cleaned_data.get("outcome") or None,
            ),
            success=_("The trajectory has been updated."),
        )
        return target


class WorkerAnswersMixin:
    """The intake forms show what the worker answered on their own pages (Vragen over mij)
    once they sent it, so that the coach goes through it with them and completes the intake
    in the conversation. On the coach's request (``?from_answers=1``) the answers start the
    texts of the intake's fields that match them (the first intake's motivation, the second's
    education and work history), which the coach edits and saves: nothing is copied without
    that save."""

    template_name = "trajects/intake_form.html"

    def intake_for_answers(self) -> tuple[Trajectory, str, Intake | None]:
        raise NotImplementedError

    def worker_answers(self):
        if not hasattr(self, "_worker_answers"):
            trajectory, _kind, _intake = self.intake_for_answers()
            self._worker_answers = (
                selectors.sent_intake_answers(trajectory, self.request.user)
                if self.form_class is IntakeForm
                else None
            )
        return self._worker_answers

    def from_answers(self) -> bool:
        return self.request.method == "GET" and self.request.GET.get("from_answers") == "1"

    def get_initial(self):
        initial = super().get_initial()
        answers = self.worker_answers()
        if answers is not None and self.from_answers():
            initial.update(selectors.intake_starting_text(answers, self.intake_for_answers()[2]))
        return initial

    def get_context_data(self, **kwargs):
        _trajectory, kind, _intake = self.intake_for_answers()
        return {
            **super().get_context_data(**kwargs),
            "first_intake": kind == IntakeKind.FIRST and self.form_class is IntakeForm,
            "kind": kind,
            "worker_answers": self.worker_answers(),
            "from_answers": self.from_answers(),
        }


class IntakeCreateView(WorkerAnswersMixin, TrajectoryObjectMixin, WriteFormView):
    form_class = IntakeForm

    def kind(self):
        return IntakeKind.SECOND if self.request.GET.get("kind") == IntakeKind.SECOND else IntakeKind.FIRST

    @property
    def title(self):
        return IntakeKind(self.kind()).label

    def intake_for_answers(self):
        return self.get_trajectory(), self.kind(), None

    def get_form_kwargs(self):
        trajectory = self.get_trajectory()
        instance = Intake(trajectory=trajectory, kind=self.kind())
        return {
            **super().get_form_kwargs(),
            "kind": self.kind(),
            "user": self.request.user,
            "instance": instance,
        }

    def save(self, form):
        services.intake_save(intake=form.instance, by=self.request.user)
        return self.get_trajectory().worker


class IntakeEditView(WorkerAnswersMixin, WriteFormView):
    form_class = IntakeForm

    def get_intake(self) -> Intake:
        if not hasattr(self, "_intake"):
            self._intake = visible_or_404(
                Intake.objects.select_related("trajectory__worker"),
                self.request.user,
                pk=self.kwargs["intake_pk"],
            )
        return self._intake

    @property
    def title(self):
        return self.get_intake().get_kind_display()

    def intake_for_answers(self):
        intake = self.get_intake()
        return intake.trajectory, intake.kind, intake

    def get(self, request, *args, **kwargs):
        intake = self.get_intake()
        if self.form_class is IntakeForm and intake.kind == IntakeKind.SECOND:
            worker = intake.trajectory.worker
            if set(SENSITIVE_INTAKE_FIELDS) - hidden_fields(request.user, worker, "trajects.Intake"):
                # The form shows the declared personal situation: a view of sensitive data.
                log_access(
                    user=request.user,
                    action=AccessAction.VIEW,
                    record=intake,
                    worker_id=worker.pk,
                    detail={"fields": "sensitive"},
                )
        return super().get(request, *args, **kwargs)

    def worker_for_page(self):
        return self.get_intake().trajectory.worker

    def get_form_kwargs(self):
        intake = self.get_intake()
        return {
            **super().get_form_kwargs(),
            "kind": intake.kind,
            "user": self.request.user,
            "instance": intake,
        }

    def save(self, form):
        services.intake_save(intake=form.instance, by=self.request.user)
        return self.worker_for_page()


class StarrNoteCreateView(IntakeEditView):
    form_class = StarrNoteForm

    @property
    def title(self):
        return _("STARR note for the %(intake)s") % {"intake": self.get_intake().get_kind_display()}

    def get_form_kwargs(self):
        self.get_intake()
        return {**FormView.get_form_kwargs(self), "user": self.request.user}

    def save(self, form):
        services.starr_note_create(intake=self.get_intake(), by=self.request.user, **form.cleaned_data)
        return self.worker_for_page()


class IntakeQuestionnaireView(PrivateFileView):
    """The scanned intake questionnaire, for whoever may see it (the privacy declaration)."""

    model = Intake
    select_related = ("trajectory__worker",)
    field = "questionnaire_scan"
    pk_kwarg = "intake_pk"

    def download_name(self, record, worker, suffix):
        return f"intake-questionnaire-{worker.pk}.{suffix}"


class KickOffCreateView(WriteFormView):
    form_class = KickOffForm
    success_message = _("The kick-off meeting is on the timeline of each participant.")

    @property
    def title(self):
        return _("Kick-off meeting with fellow candidates")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"held_on": timezone.localdate()}

    def save(self, form):
        services.kick_off_create(by=self.request.user, **form.cleaned_data)
        return reverse("trajects:caseload")


class JobDefinitionEditView(TrajectoryObjectMixin, WriteFormView):
    form_class = JobDefinitionForm

    @property
    def title(self):
        return _("Job definition")

    def get_form_kwargs(self):
        trajectory = self.get_trajectory()
        instance = JobDefinition.objects.of_worker(trajectory.worker).filter(trajectory=trajectory).first()
        return {**super().get_form_kwargs(), "instance": instance}

    def save(self, form):
        services.job_definition_save(
            trajectory=self.get_trajectory(), by=self.request.user, **form.cleaned_data
        )
        return self.get_trajectory().worker


class CoachingMomentCreateView(WorkerMixin, WriteFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = CoachingMomentForm

    @property
    def title(self):
        return _("Coaching moment with %(name)s") % {"name": self.get_worker().full_name}

    def save(self, form):
        worker = self.get_worker()
        services.coaching_moment_create(worker=worker, by=self.request.user, **form.cleaned_data)
        return worker


SESSION_IMPORT_KEY = "trajects_import_token"


class WorkerImportView(ServiceFormView):
    """Step 1: upload. The file is kept privately and referenced from the session only."""

    required_perm = Perm.IMPORT_WORKERS
    form_class = ImportUploadForm
    template_name = "trajects/import_upload.html"

    @property
    def title(self):
        return _("Import workers")

    def save(self, form):
        return importing.save_upload(form.cleaned_data["file"], by=self.request.user)

    def saved(self, token):
        previous = self.request.session.get(SESSION_IMPORT_KEY)
        if previous:
            importing.discard_upload(previous)
        self.request.session[SESSION_IMPORT_KEY] = token
        return redirect("trajects:worker_import_preview")


def _start_in_background(token, user):
    """The job of a large import, None for one small enough to save while the user waits."""
    if not importing.runs_in_background(importing.load_table(token)):
        return None
    return importing.import_job_start(token=token, by=user)


class ImportJobView(PermRequiredMixin, TemplateView):
    """A large import under way: how far the check is, then what was imported or why not."""

    required_perm = Perm.IMPORT_WORKERS
    template_name = "trajects/import_job.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["trajects/includes/import_job_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        job = visible_or_404(ImportJob, self.request.user, pk=self.kwargs["importjob_pk"])
        return {**super().get_context_data(**kwargs), "job": job, "title": _("Import workers")}


class WorkerImportTemplateView(PermRequiredMixin, View):
    """The import template as CSV or XLSX: the columns the import reads and an example row."""

    required_perm = Perm.IMPORT_WORKERS

    def get(self, request):
        headers, rows = importing.template_rows(by=request.user)
        filename = _("import-workers")
        return export_response(
            headers=headers, rows=rows, filename=filename, fmt=requested_format(request, required=True)
        )


class WorkerImportPreviewView(PermRequiredMixin, TemplateView):
    """Step 2: every row with its errors; confirming saves all rows or none."""

    required_perm = Perm.IMPORT_WORKERS
    template_name = "trajects/import_preview.html"

    def get(self, request, *args, **kwargs):
        token = request.session.get(SESSION_IMPORT_KEY)
        if not token:
            return redirect("trajects:worker_import")
        readable, rows = run_service(
            request, lambda: importing.check_rows(importing.load_table(token), by=request.user)
        )
        if not readable:
            return redirect("trajects:worker_import")
        bad = [row for row in rows if row.errors]
        return self.render_to_response(
            self.get_context_data(
                rows=rows, bad=bad, columns=importing.COLUMNS.keys(), title=_("Check the import")
            )
        )

    def post(self, request, *args, **kwargs):
        token = request.session.get(SESSION_IMPORT_KEY)
        if not token:
            return redirect("trajects:worker_import")
        started, job = run_service(request, lambda: _start_in_background(token, request.user))
        if not started:
            return redirect("trajects:worker_import_preview")
        if job is not None:
            del request.session[SESSION_IMPORT_KEY]
            return redirect("trajects:worker_import_job", importjob_pk=job.pk)
        imported, counts = run_service(
            request, lambda: importing.workers_import(table=importing.load_table(token), by=request.user)
        )
        if not imported:
            return redirect("trajects:worker_import_preview")
        created, updated = counts
        importing.discard_upload(token)
        del request.session[SESSION_IMPORT_KEY]
        messages.success(
            request,
            _("Import done: %(created)s new workers, %(updated)s updated.")
            % {"created": created, "updated": updated},
        )
        return redirect("trajects:caseload")
