from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from bwise.access import Perm
from bwise.accounts import services
from bwise.accounts.forms import InviteForm, UserForm
from bwise.accounts.models import User
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin, ServiceFormView, run_service
from bwise.privacy.history import history_context


class UserListView(PermRequiredMixin, ListView):
    required_perm = Perm.MANAGE_USERS
    template_name = "accounts/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        return User.objects.visible_to(self.request.user).order_by("-is_active", "last_name", "first_name")


class UserInviteView(ServiceFormView):
    required_perm = Perm.MANAGE_USERS
    template_name = "accounts/user_form.html"
    form_class = InviteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": _("Send invitation")}

    def save(self, form):
        data = form.cleaned_data
        return services.user_invite(
            by=self.request.user,
            request=self.request,
            username=data["username"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            roles=data["roles"],
        )

    def get_success_message(self, user):
        return _("%(name)s has been invited by e-mail.") % {"name": user}

    def success_url_for(self, user):
        return reverse("accounts:user_list")


class UserObjectMixin(PermRequiredMixin):
    required_perm = Perm.MANAGE_USERS

    def get_object(self, queryset=None):
        return visible_or_404(User, self.request.user, pk=self.kwargs["user_pk"])


class UserUpdateView(UserObjectMixin, ServiceFormView):
    template_name = "accounts/user_form.html"
    form_class = UserForm

    def get_form_kwargs(self):
        self.object = self.get_object()
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object, "user": self.object}

    def save(self, form):
        data = form.cleaned_data
        services.user_update(
            by=self.request.user,
            user=self.get_object(),
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            roles=data["roles"],
        )
        return reverse("accounts:user_list")

    def get_success_message(self, url):
        return _("The changes have been saved.")


class UserSetActiveView(UserObjectMixin, SingleObjectMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        user = self.get_object()
        active = request.POST.get("active") == "1"
        run_service(
            request,
            lambda: services.user_set_active(by=request.user, user=user, active=active),
            success=_("%(name)s can log in again.") % {"name": user}
            if active
            else _("%(name)s can no longer log in.") % {"name": user},
        )
        return redirect(reverse("accounts:user_list"))


class UserHistoryView(UserObjectMixin, TemplateView):
    template_name = "core/history.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **history_context(self.get_object(), self.request)}
