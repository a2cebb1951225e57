"""Small building blocks shared by the apps' views."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from bwise.access import Perm, has_perm


class PermRequiredMixin(LoginRequiredMixin):
    """Declare ``required_perm`` on the view; users without it get 403."""

    required_perm: Perm | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_perm is not None and not has_perm(request.user, self.required_perm):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def apply_domain_error(form, error) -> None:
    """Show a service's refusal on the form, next to the field it concerns when known."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
