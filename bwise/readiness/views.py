from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from bwise.access import Perm, has_perm
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin, ServiceFormView, run_service
from bwise.privacy.exports import ExportMixin
from bwise.readiness import selectors, services
from bwise.readiness.forms import ActionItemForm, ActionStatusForm, SelfAssessmentForm
from bwise.readiness.models import ActionItem, SelfAssessment
from bwise.readiness.statements import MAX_SCORE, STATEMENT_TEXT


class OverviewView(PermRequiredMixin, ExportMixin, TemplateView):
    """The scores over time, the latest assessment per statement and the action plan,
    which exports as a table."""

    required_perm = Perm.VIEW_DASHBOARD
    template_name = "readiness/overview.html"
    export_filename = "readiness-action-plan"

    def export_queryset(self):
        return selectors.action_items_for(self.request.user)

    def export_headers(self):
        return [_("Action"), _("Statement"), _("Owner"), _("Deadline"), _("Status"), _("Note")]

    def export_row(self, item):
        return [
            item.title,
            STATEMENT_TEXT.get(item.statement, ""),
            str(item.owner),
            item.deadline,
            item.get_status_display(),
            item.note,
        ]

    def get_context_data(self, **kwargs):
        scored = selectors.scored_assessments(self.request.user)
        latest = scored[0].assessment if scored else None
        previous = scored[1].assessment if len(scored) > 1 else None
        return {
            **super().get_context_data(**kwargs),
            "scored": scored,
            "max_score": MAX_SCORE,
            "rows": selectors.statement_rows(latest, previous) if latest else [],
            "items": selectors.action_items_for(self.request.user),
        }


class AssessmentCreateView(ServiceFormView):
    required_perm = Perm.VIEW_DASHBOARD
    form_class = SelfAssessmentForm
    template_name = "readiness/assessment_form.html"
    success_message = gettext_lazy("Self-assessment saved.")

    def save(self, form):
        services.self_assessment_create(
            assessed_on=form.cleaned_data["assessed_on"],
            answers=form.answers(),
            note=form.cleaned_data["note"],
            by=self.request.user,
        )
        return reverse("readiness:overview")


class AssessmentDetailView(PermRequiredMixin, TemplateView):
    required_perm = Perm.VIEW_DASHBOARD
    template_name = "readiness/assessment_detail.html"

    def get_context_data(self, **kwargs):
        assessment = visible_or_404(SelfAssessment, self.request.user, pk=self.kwargs["selfassessment_pk"])
        previous = selectors.previous_assessment(assessment)
        rows = selectors.statement_rows(assessment, previous)
        score = sum(row.answer.score for row in rows if row.answer)
        return {
            **super().get_context_data(**kwargs),
            "assessment": assessment,
            "previous": previous,
            "rows": rows,
            "score": score,
            "max_score": MAX_SCORE,
        }


class ActionItemFormView(ServiceFormView):
    required_perm = Perm.VIEW_DASHBOARD
    form_class = ActionItemForm
    template_name = "readiness/action_form.html"

    def get_item(self):
        if "actionitem_pk" not in self.kwargs:
            return ActionItem()
        return visible_or_404(
            ActionItem.objects.filter(organisation_id=self.request.user.organisation_id),
            self.request.user,
            pk=self.kwargs["actionitem_pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.get_item()}

    def save(self, form):
        services.action_item_save(item=form.instance, by=self.request.user)
        return reverse("readiness:overview")


class ActionItemDetailView(LoginRequiredMixin, TemplateView):
    """An action as its owner sees it (the reminder links here), with its status to update."""

    template_name = "readiness/action_detail.html"

    def get_item(self):
        return visible_or_404(
            ActionItem.objects.select_related("owner"), self.request.user, pk=self.kwargs["actionitem_pk"]
        )

    def get_context_data(self, **kwargs):
        item = self.get_item()
        return {
            **super().get_context_data(**kwargs),
            "item": item,
            "statement": STATEMENT_TEXT.get(item.statement, ""),
            "status_form": ActionStatusForm(initial={"status": item.status}),
            "can_edit": has_perm(self.request.user, Perm.VIEW_DASHBOARD),
        }


class ActionItemStatusView(ActionItemDetailView, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = self.get_item()
        form = ActionStatusForm(request.POST)
        if form.is_valid():
            run_service(
                request,
                lambda: services.action_item_set_status(
                    item=item, status=form.cleaned_data["status"], by=request.user
                ),
                success=_("Status updated."),
            )
        else:
            messages.error(request, _("Choose a status."))
        return redirect("readiness:action_detail", actionitem_pk=item.pk)
