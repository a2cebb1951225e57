"""Frameworks, job profiles and the organisation's list of POPs due."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from bwise.access import Perm, has_perm
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin, ServiceFormView
from bwise.documents.models import BulkFormat
from bwise.privacy.exports import ExportMixin
from competenties import selectors, services
from competenties.forms import CompetencyForm, CopyTemplateForm, FrameworkForm, IndicatorForm, JobProfileForm
from competenties.models import Competency, Framework, Indicator, JobProfile, JobProfileKind


class FrameworkListView(PermRequiredMixin, ListView):
    required_perm = Perm.VIEW_WORKERS
    template_name = "competenties/framework_list.html"
    context_object_name = "frameworks"

    def get_queryset(self):
        return selectors.frameworks_for(self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "copy_form": CopyTemplateForm()}


class FrameworkCopyView(ServiceFormView):
    required_perm = Perm.MANAGE_FRAMEWORKS
    form_class = CopyTemplateForm
    template_name = "competenties/form.html"
    title = _("Copy a template")
    success_message = _("The template was copied. Adapt it to your organisation.")

    def save(self, form):
        return services.framework_copy_template(
            template_key=form.cleaned_data["template_key"],
            name=form.cleaned_data["name"],
            by=self.request.user,
        )

    def success_url_for(self, framework):
        return _framework_url(framework.pk)


class FrameworkDetailView(PermRequiredMixin, TemplateView):
    required_perm = Perm.VIEW_WORKERS
    template_name = "competenties/framework_detail.html"

    def get_context_data(self, **kwargs):
        framework = visible_or_404(Framework, self.request.user, pk=self.kwargs["framework_pk"])
        return {
            **super().get_context_data(**kwargs),
            "framework": framework,
            "competencies": selectors.indicators_with_competencies(framework),
        }


class _ModelFormView(ServiceFormView):
    """Create or edit one framework part through its service; subclasses say which."""

    required_perm = Perm.MANAGE_FRAMEWORKS
    template_name = "competenties/form.html"

    def get_instance(self):
        raise NotImplementedError

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}


def _framework_url(framework_pk):
    return reverse("competenties:framework_detail", kwargs={"framework_pk": framework_pk})


class FrameworkCreateView(_ModelFormView):
    form_class = FrameworkForm
    title = _("New framework")

    def get_instance(self):
        return Framework()

    def save(self, form):
        return services.framework_save(framework=form.save(commit=False), by=self.request.user)

    def success_url_for(self, instance):
        return _framework_url(instance.pk)


class FrameworkUpdateView(FrameworkCreateView):
    title = _("Edit framework")

    def get_instance(self):
        return visible_or_404(Framework, self.request.user, pk=self.kwargs["framework_pk"])


class CompetencyCreateView(_ModelFormView):
    form_class = CompetencyForm
    title = _("New competency")

    def get_instance(self):
        framework = visible_or_404(Framework, self.request.user, pk=self.kwargs["framework_pk"])
        return Competency(framework=framework, order=framework.competencies.count())

    def save(self, form):
        return services.competency_save(competency=form.save(commit=False), by=self.request.user)

    def success_url_for(self, instance):
        return _framework_url(instance.framework_id)


class CompetencyUpdateView(CompetencyCreateView):
    title = _("Edit competency")

    def get_instance(self):
        return visible_or_404(
            Competency.objects.select_related("framework"), self.request.user, pk=self.kwargs["competency_pk"]
        )


class IndicatorCreateView(_ModelFormView):
    form_class = IndicatorForm
    title = _("New behaviour indicator")

    def get_instance(self):
        competency = visible_or_404(
            Competency.objects.select_related("framework"), self.request.user, pk=self.kwargs["competency_pk"]
        )
        return Indicator(competency=competency, order=competency.indicators.count())

    def save(self, form):
        return services.indicator_save(indicator=form.save(commit=False), by=self.request.user)

    def success_url_for(self, instance):
        return _framework_url(instance.competency.framework_id)


class IndicatorUpdateView(IndicatorCreateView):
    title = _("Edit behaviour indicator")

    def get_instance(self):
        return visible_or_404(
            Indicator.objects.select_related("competency__framework"),
            self.request.user,
            pk=self.kwargs["indicator_pk"],
        )


class _DeleteView(PermRequiredMixin, View):
    required_perm = Perm.MANAGE_FRAMEWORKS
    http_method_names = ["post"]


class CompetencyDeleteView(_DeleteView):
    def post(self, request, competency_pk):
        competency = visible_or_404(
            Competency.objects.select_related("framework"), request.user, pk=competency_pk
        )
        services.competency_delete(competency=competency, by=request.user)
        messages.success(request, _("The competency was removed. Past assessments keep their scores."))
        return redirect(_framework_url(competency.framework_id))


class IndicatorDeleteView(_DeleteView):
    def post(self, request, indicator_pk):
        indicator = visible_or_404(
            Indicator.objects.select_related("competency__framework"), request.user, pk=indicator_pk
        )
        services.indicator_delete(indicator=indicator, by=request.user)
        messages.success(request, _("The indicator was removed. Past assessments keep their scores."))
        return redirect(_framework_url(indicator.competency.framework_id))


class JobProfileListView(PermRequiredMixin, ListView):
    required_perm = Perm.VIEW_WORKERS
    template_name = "competenties/jobprofile_list.html"
    context_object_name = "job_profiles"

    def get_queryset(self):
        return selectors.job_profiles_for(self.request.user)


class JobProfileEditView(ServiceFormView):
    """Create (no pk) or edit a job profile with its cut-offs. Reading needs only
    VIEW_WORKERS; saving needs MANAGE_FRAMEWORKS (the service refuses others)."""

    required_perm = Perm.VIEW_WORKERS
    form_class = JobProfileForm
    template_name = "competenties/jobprofile_form.html"

    def get_instance(self):
        if "jobprofile_pk" in self.kwargs:
            return visible_or_404(JobProfile, self.request.user, pk=self.kwargs["jobprofile_pk"])
        return JobProfile()

    def get_initial(self):
        # The vacancy form links here for a profile of the kind it needs.
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in JobProfileKind.values else {}

    def get_form_kwargs(self):
        self.instance = self.get_instance()
        kwargs = {**super().get_form_kwargs(), "instance": self.instance, "user": self.request.user}
        if self.instance.pk:
            # The main framework first, then the organisation's other frameworks.
            kwargs["competencies"] = sorted(
                Competency.objects.visible_to(self.request.user).select_related("framework"),
                key=lambda c: (c.framework_id != self.instance.framework_id, c.framework.name, c.order, c.pk),
            )
            kwargs["requirements"] = dict(
                self.instance.requirements.values_list("competency_id", "minimum_level")
            )
        return kwargs

    def post(self, request, *args, **kwargs):
        if not has_perm(request.user, Perm.MANAGE_FRAMEWORKS):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    success_message = _("Saved. Set the minimum level for the competencies the job needs.")

    def save(self, form):
        return services.job_profile_save(
            job_profile=form.save(commit=False), requirements=form.requirements(), by=self.request.user
        )

    def success_url_for(self, profile):
        return reverse("competenties:jobprofile_edit", kwargs={"jobprofile_pk": profile.pk})

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "job_profile": self.instance}


class PopsDueView(PermRequiredMixin, ExportMixin, ListView):
    required_perm = Perm.VIEW_WORKERS
    template_name = "competenties/pops_due.html"
    paginate_by = 50
    export_filename = "pops-due"
    export_logs_access = True

    def export_headers(self):
        return [_("Worker"), _("Coach"), _("Last POP agreed"), _("Due"), _("Status")]

    def export_row(self, worker):
        state, due = selectors.pop_state(worker.last_pop_agreed_on)
        label = {"overdue": _("Overdue"), "due": _("Due soon")}.get(state, _("Up to date"))
        return [worker.full_name, str(worker.coach or ""), worker.last_pop_agreed_on, due, label]

    def get_queryset(self):
        return selectors.pops_due_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(w, *selectors.pop_state(w.last_pop_agreed_on)) for w in context["object_list"]]
        if has_perm(self.request.user, Perm.PRINT_DOCUMENTS):
            context["month_pop_count"] = selectors.pop_plans_due_in_month(self.request.user).count()
            context["overdue_pop_count"] = selectors.pop_plans_due_in_month(
                self.request.user, overdue=True
            ).count()
            context["output_formats"] = BulkFormat.choices
        return context
