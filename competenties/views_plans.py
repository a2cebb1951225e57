"""POP and PDP plans: create, fill in SMART actions, move through the statuses."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View

from bwise.access import Perm, has_perm
from bwise.core.errors import DomainError
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin, apply_domain_error
from competenties import services
from competenties.forms import PDP_FIELDS, POP_FIELDS, PlanActionForm, PlanEditForm, PlanForm, PlanStatusForm
from competenties.models import Plan, PlanAction, PlanKind
from competenties.views_worker import WorkerMixin


class PlanCreateView(WorkerMixin, FormView):
    required_perm = Perm.EDIT_WORKERS
    template_name = "competenties/form.html"
    form_class = PlanForm

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind if kind in PlanKind.values else PlanKind.POP, "year": timezone.localdate().year}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            plan = services.plan_create(worker=self.get_worker(), by=self.request.user, **data)
        except DomainError as error:
            apply_domain_error(form, error)
            return self.form_invalid(form)
        return redirect("competenties:plan_detail", plan_pk=plan.pk)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("New plan")}


def _plan_for(request, plan_pk):
    return visible_or_404(
        Plan.objects.select_related("worker", "source_job_profile"), request.user, pk=plan_pk
    )


class PlanDetailView(PermRequiredMixin, FormView):
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

    def form_valid(self, form):
        try:
            services.plan_action_save(action=form.save(commit=False), by=self.request.user)
        except DomainError as error:
            apply_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Action added."))
        return redirect("competenties:plan_detail", plan_pk=self.plan.pk)

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
        }


def _cell(action, name):
    value = getattr(action, name)
    if name == "done":
        return action.get_done_display()
    return value if value not in (None, "") else "—"


class PlanUpdateView(PermRequiredMixin, FormView):
    required_perm = Perm.EDIT_WORKERS
    template_name = "competenties/form.html"
    form_class = PlanEditForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = _plan_for(request, kwargs["plan_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.plan}

    def form_valid(self, form):
        try:
            services.plan_save(plan=form.save(commit=False), by=self.request.user)
        except DomainError as error:
            apply_domain_error(form, error)
            return self.form_invalid(form)
        return redirect("competenties:plan_detail", plan_pk=self.plan.pk)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Edit plan"), "worker": self.plan.worker}


class PlanStatusView(PermRequiredMixin, View):
    required_perm = Perm.EDIT_WORKERS
    http_method_names = ["post"]

    def post(self, request, plan_pk):
        plan = _plan_for(request, plan_pk)
        form = PlanStatusForm(request.POST, allowed=services.allowed_transitions(plan))
        if not form.is_valid():
            messages.error(request, _("Choose a status this plan can move to."))
            return redirect("competenties:plan_detail", plan_pk=plan.pk)
        try:
            services.plan_change_status(plan=plan, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The plan's status was changed."))
        return redirect("competenties:plan_detail", plan_pk=plan.pk)


class PlanActionUpdateView(PermRequiredMixin, FormView):
    required_perm = Perm.EDIT_WORKERS
    template_name = "competenties/form.html"
    form_class = PlanActionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.action = visible_or_404(
                PlanAction.objects.select_related("plan"), request.user, pk=kwargs["planaction_pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.action.plan.kind, "instance": self.action}

    def form_valid(self, form):
        try:
            services.plan_action_save(action=form.save(commit=False), by=self.request.user)
        except DomainError as error:
            apply_domain_error(form, error)
            return self.form_invalid(form)
        return redirect("competenties:plan_detail", plan_pk=self.action.plan_id)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Edit action")}


class PlanActionDeleteView(PermRequiredMixin, View):
    required_perm = Perm.EDIT_WORKERS
    http_method_names = ["post"]

    def post(self, request, planaction_pk):
        action = visible_or_404(PlanAction.objects.select_related("plan"), request.user, pk=planaction_pk)
        try:
            services.plan_action_delete(action=action, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("competenties:plan_detail", plan_pk=action.plan_id)
