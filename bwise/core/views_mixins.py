"""Small building blocks shared by the apps' views."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from bwise.access import Perm, has_perm
from bwise.audit.services import AccessAction, AccessOutcome, log_access


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
    """Show a service's refusal on the form, next to the field it concerns when known."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
