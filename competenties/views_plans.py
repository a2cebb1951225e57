"""POP and PDP plans: create, fill in SMART actions, move through the statuses."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from bwise.access import Perm, has_perm
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import (
    PermRequiredMixin,
    ServiceFormView,
    WorkerMixin,
    run_service,
)
from bwise.documents.signatures import signature_state
from competenties import services
from competenties.forms import PDP_FIELDS, POP_FIELDS, PlanActionForm, PlanEditForm, PlanForm, PlanStatusForm
from competenties.models import Plan, PlanAction, PlanKind


def _plan_url(plan_pk) -> str:
    return reverse("competenties:plan_detail", kwargs={"plan_pk": plan_pk})


class PlanCreateView(WorkerMixin, ServiceFormView):
    required_perm = Perm.EDIT_WORKERS
    template_name = "competenties/form.html"
    form_class = PlanForm
    title = _("New plan")
    success_message = None

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind if kind in PlanKind.values else PlanKind.POP, "year": timezone.localdate().year}

    def save(self, form):
        return services.plan_create(worker=self.get_worker(), by=self.request.user, **form.cleaned_data)

    def success_url_for(self, plan):
        return _plan_url(plan.pk)


def _plan_for(request, plan_pk):
    return visible_or_404(
        Plan.objects.select_related("worker", "source_job_profile"), request.user, pk=plan_pk
    )


class PlanDetailView(ServiceFormView):
    """The plan with its actions; the form adds an action (drafts and running plans only)."""

    required_perm = Perm.VIEW_WORKERS
    template_name = "competenties/plan_detail.html"
    form_class = PlanActionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = _plan_for(request, kwargs["plan_pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not has_perm(request.user, Perm.EDIT_WORKERS):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.plan.kind, "instance": PlanAction(plan=self.plan)}

    success_message = _("Action added.")

    def save(self, form):
        services.plan_action_save(action=form.save(commit=False), by=self.request.user)
        return _plan_url(self.plan.pk)

    def get_context_data(self, **kwargs):
        plan = self.plan
        columns = POP_FIELDS if plan.kind == PlanKind.POP else PDP_FIELDS
        actions = list(plan.actions.all())
        return {
            **super().get_context_data(**kwargs),
            "plan": plan,
            "worker": plan.worker,
            "headers": [PlanAction._meta.get_field(name).verbose_name for name in columns],
            "rows": [(action, [_cell(action, name) for name in columns]) for action in actions],
            "status_form": PlanStatusForm(
                allowed=services.allowed_transitions(plan),
                initial={
                    "agreed_by_worker_on": timezone.localdate(),
                    "agreed_by_coach_on": timezone.localdate(),
                },
            ),
            "allowed": services.allowed_transitions(plan),
            "editable": plan.status in ("draft", "in_progress"),
            "changes": list(plan.status_changes.select_related("changed_by")),
            "signature_state": signature_state("plan", plan),
        }


def _cell(action, name):
    value = getattr(action, name)
    if name == "done":
        return action.get_done_display()
    return value if value not in (None, "") else "—"


class PlanUpdateView(ServiceFormView):
    required_perm = Perm.EDIT_WORKERS
    template_name = "competenties/form.html"
    form_class = PlanEditForm
    title = _("Edit plan")
    success_message = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = _plan_for(request, kwargs["plan_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.plan}

    def worker_for_page(self):
        return self.plan.worker

    def save(self, form):
        services.plan_save(plan=form.save(commit=False), by=self.request.user)
        return _plan_url(self.plan.pk)


class PlanStatusView(PermRequiredMixin, View):
    required_perm = Perm.EDIT_WORKERS
    http_method_names = ["post"]

    def post(self, request, plan_pk):
        plan = _plan_for(request, plan_pk)
        form = PlanStatusForm(request.POST, allowed=services.allowed_transitions(plan))
        if not form.is_valid():
            messages.error(request, _("Choose a status this plan can move to."))
            return redirect("competenties:plan_detail", plan_pk=plan.pk)
        run_service(
            request,
            lambda: services.plan_change_status(plan=plan, by=request.user, **form.cleaned_data),
            success=_("The plan's status was changed."),
        )
        return redirect(_plan_url(plan.pk))


class PlanActionUpdateView(ServiceFormView):
    required_perm = Perm.EDIT_WORKERS
    template_name = "competenties/form.html"
    form_class = PlanActionForm
    title = _("Edit action")
    success_message = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.action = visible_or_404(
                PlanAction.objects.select_related("plan"), request.user, pk=kwargs["planaction_pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.action.plan.kind, "instance": self.action}

    def save(self, form):
        services.plan_action_save(action=form.save(commit=False), by=self.request.user)
        return _plan_url(self.action.plan_id)


class PlanActionDeleteView(PermRequiredMixin, View):
    required_perm = Perm.EDIT_WORKERS
    http_method_names = ["post"]

    def post(self, request, planaction_pk):
        action = visible_or_404(PlanAction.objects.select_related("plan"), request.user, pk=planaction_pk)
        run_service(request, lambda: services.plan_action_delete(action=action, by=request.user))
        return redirect(_plan_url(action.plan_id))
