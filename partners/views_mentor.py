"""The host mentor's page: no account, the link's token is the credential.

The page is for an outside company: it receives only what the "external mentor"
audience of ``bwise.privacy.declaration`` allows (the worker's first name, the stage's
attendance, and what the mentor entered), through ``partners.selectors.mentor_page``,
never the coach's records themselves. An unknown, revoked or expired token gets the
same 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from bwise.core.errors import DomainError
from partners.forms import AttendanceForm, EvaluationForm
from partners.selectors import mentor_page
from partners.services import mentor_link_resolve
from partners.views_placements import (
    _month,
    evaluation_competencies,
    record_attendance,
    record_evaluation,
)


@method_decorator(never_cache, name="dispatch")
class MentorView(TemplateView):
    template_name = "partners/mentor.html"

    def get_link(self):
        if not hasattr(self, "_link"):
            self._link = mentor_link_resolve(self.kwargs["token"])
            if self._link is None:
                raise Http404
        return self._link

    def get_context_data(self, **kwargs):
        link = self.get_link()
        stage = link.stage
        return {
            **super().get_context_data(**kwargs),
            **mentor_page(link, _month(self.request, stage)),
            "attendance_form": kwargs.get("attendance_form")
            or AttendanceForm(initial={"day": timezone.localdate()}),
            "evaluation_form": kwargs.get("evaluation_form")
            or EvaluationForm(
                competencies=evaluation_competencies(stage),
                by_mentor=True,
                initial={"held_on": timezone.localdate()},
            ),
        }

    def post(self, request, *args, **kwargs):
        link = self.get_link()
        stage = link.stage
        if request.POST.get("form") == "evaluation":
            form = EvaluationForm(request.POST, competencies=evaluation_competencies(stage), by_mentor=True)
            record, key = record_evaluation, "evaluation_form"
        else:
            form = AttendanceForm(request.POST)
            record, key = record_attendance, "attendance_form"
        if form.is_valid():
            try:
                record(stage, form, via=link)
            except DomainError as err:
                form.add_error(None, err.message)
            else:
                messages.success(request, _("Thank you, this has been passed on to the coach."))
                return redirect(request.path)
        return self.render_to_context(**{key: form})

    def render_to_context(self, **forms):
        return self.render_to_response(self.get_context_data(**forms))
