"""Small building blocks shared by the apps' views: the permission check, the worker of the
URL, the form that saves through a service and the button that calls one."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from bwise.access import Perm, has_perm, worker_model
from bwise.audit.services import AccessAction, AccessOutcome, log_access
from bwise.core.errors import DomainError
from bwise.core.lookups import visible_or_404
from bwise.core.versioning import check_form, guard, show_stale


class PermRequiredMixin(LoginRequiredMixin):
    """Declare ``required_perm`` on the view; users without it get 403."""

    required_perm: Perm | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_perm is not None and not has_perm(request.user, self.required_perm):
            _log_refused_page(request, kwargs, self.required_perm)
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _log_refused_page(request, kwargs, perm) -> None:
    """A page refused for lack of a capability is a refused access too: one access-log row,
    naming the worker when the URL does (never the worker's data: ids only)."""
    ids = [f"{key}={value}" for key, value in sorted(kwargs.items()) if key.endswith("_pk")]
    log_access(
        user=request.user,
        action=AccessAction.REFUSED,
        outcome=AccessOutcome.REFUSED,
        record=(request.resolver_match.view_name if request.resolver_match else "page", ",".join(ids)[:64]),
        worker_id=kwargs.get("worker_pk"),
        detail={"missing_capability": str(perm)},
    )


def apply_domain_error(form, error) -> None:
    """Show a service's refusal on the form, each message next to the field it concerns
    when known."""
    for field, message in [(error.field, error.message), *error.more]:
        form.add_error(field if field in form.fields else None, message)


class WorkerMixin(PermRequiredMixin):
    """The worker the URL names (``worker_pk``), found through the user's scope: 404 outside it."""

    required_perm = Perm.VIEW_WORKERS

    def get_worker(self):
        if not hasattr(self, "_worker"):
            self._worker = visible_or_404(
                worker_model().objects.select_related("organisation"),
                self.request.user,
                pk=self.kwargs["worker_pk"],
            )
        return self._worker

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "worker": self.get_worker()}


class ServiceFormView(PermRequiredMixin, FormView):
    """A form that saves through a service.

    ``save(form)`` calls the service and returns what it saved (or a URL); a ``DomainError``
    shows on the form, next to its field when the service named one, and the form comes
    back. An edit of a versioned record carries the state it was opened with and is refused,
    with what changed in between, when someone else saved the record since
    (``bwise.core.versioning``). Otherwise ``saved()`` shows ``success_message`` and redirects to
    ``success_url_for(result)`` (by default the result itself: a URL or a model with
    ``get_absolute_url``).
    """

    template_name = "core/form.html"
    title = ""
    success_message = _("Saved.")

    def get_context_data(self, **kwargs):
        context = {**super().get_context_data(**kwargs), "title": self.title}
        page_worker = self.worker_for_page()
        if page_worker is not None:
            context["worker"] = page_worker
        return context

    def worker_for_page(self):
        """The worker the form concerns when the URL names another record (an intake, a stage)."""
        return None

    def save(self, form):
        raise NotImplementedError

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        guard(form)
        return form

    def form_valid(self, form):
        try:
            check_form(form)
            result = self.save(form)
        except DomainError as error:
            if error.code == "stale":
                show_stale(form, error)
            else:
                apply_domain_error(form, error)
            return self.form_invalid(form)
        return self.saved(result)

    def saved(self, result):
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.success_url_for(result))

    def get_success_message(self, result) -> str:
        return self.success_message

    def success_url_for(self, result):
        return result


def run_service(request, call, *, success=None) -> tuple[bool, object]:
    """Call a service for a POST that shows no form again (a button, a status choice).

    A ``DomainError`` becomes an error message for the next page instead of a 500;
    otherwise ``success`` is shown. Returns ``(True, result)`` or ``(False, None)``.
    """
    try:
        result = call()
    except DomainError as error:
        messages.error(request, error.message)
        return False, None
    if success:
        messages.success(request, success)
    return True, result
