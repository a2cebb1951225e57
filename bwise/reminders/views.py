import contextlib

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django.views.i18n import set_language

from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import run_service
from bwise.reminders import ical, services
from bwise.reminders.models import Reminder, ReminderPreference


class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "reminders/inbox.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        reminders = list(Reminder.objects.visible_to(user).in_inbox()[:200])
        # Seen now: the navigation's count goes down, the page still marks them as new.
        services.reminders_mark_read(
            user=user, reminders=Reminder.objects.visible_to(user).filter(pk__in=[r.pk for r in reminders])
        )
        return {
            **super().get_context_data(**kwargs),
            "reminders": reminders,
            "today": timezone.localdate(),
            "snooze_days": services.SNOOZE_DAYS,
        }


class ReminderObjectMixin(LoginRequiredMixin):
    def get_reminder(self) -> Reminder:
        return visible_or_404(Reminder, self.request.user, pk=self.kwargs["reminder_pk"])


class ReminderOpenView(ReminderObjectMixin, View):
    """Follow a reminder to its record, marking it read."""

    def get(self, request, **kwargs):
        reminder = self.get_reminder()
        services.reminders_mark_read(
            user=request.user, reminders=Reminder.objects.visible_to(request.user).filter(pk=reminder.pk)
        )
        if reminder.url and url_has_allowed_host_and_scheme(reminder.url, allowed_hosts={request.get_host()}):
            return redirect(reminder.url)
        return redirect("reminders:inbox")


class ReminderDoneView(ReminderObjectMixin, View):
    def post(self, request, **kwargs):
        reminder = self.get_reminder()
        run_service(request, lambda: services.reminder_mark_done(reminder=reminder, by=request.user))
        return redirect("reminders:inbox")


class ReminderSnoozeView(ReminderObjectMixin, View):
    def post(self, request, **kwargs):
        reminder = self.get_reminder()
        try:
            days = int(request.POST.get("days", ""))
        except ValueError:
            days = 0
        run_service(request, lambda: services.reminder_snooze(reminder=reminder, days=days, by=request.user))
        return redirect("reminders:inbox")


class PreferencesView(LoginRequiredMixin, TemplateView):
    template_name = "reminders/preferences.html"

    def get_context_data(self, **kwargs):
        preference = services.preference_for(self.request.user)
        feed_path = reverse("reminders:feed", kwargs={"token": preference.feed_token})
        return {
            **super().get_context_data(**kwargs),
            "preference": preference,
            "feed_url": self.request.build_absolute_uri(feed_path),
        }

    def post(self, request):
        if "revoke" in request.POST:
            services.feed_token_revoke(user=request.user)
            messages.success(request, _("Your calendar link was replaced; the old one no longer works."))
        else:
            # The digest speaks the language the user works in now.
            services.preference_update(
                user=request.user,
                digest_enabled=request.POST.get("digest") == "on",
                language=translation.get_language(),
            )
            messages.success(request, _("Your preferences were saved."))
        return redirect("reminders:preferences")


def language_switch(request):
    """Django's language switch, which also records the chosen language for the digest of a
    signed-in user."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        with contextlib.suppress(LookupError):
            language = translation.get_supported_language_variant(request.POST.get("language", ""))
            services.preference_language_record(user=request.user, language=language)
    return response


class CalendarFeedView(View):
    """The personal iCal feed: the secret token is the only credential (calendar apps
    cannot log in), so an unknown or revoked token is a plain 404."""

    def get(self, request, token):
        preference = (
            ReminderPreference.objects.select_related("user")
            .filter(feed_token=token, user__is_active=True)
            .first()
        )
        if preference is None:
            raise Http404
        user = preference.user
        reminders = Reminder.objects.visible_to(user).filter(status="open").order_by("due_date")[:500]
        body = ical.calendar(
            [ical.reminder_event(reminder) for reminder in reminders],
            name=_("B-WISE Doorstroom reminders"),
            base_url=f"{request.scheme}://{request.get_host()}",
            host=request.get_host().split(":")[0],
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, no-store"
        return response


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(TemplateView):
    """The digest's unsubscribe link: the signed token is the credential, as mail programs
    post to it without a session (RFC 8058 one-click) or open it in a browser."""

    template_name = "reminders/unsubscribe.html"

    def post(self, request, token):
        if not services.digest_unsubscribe(token=token):
            raise Http404
        return self.render_to_response({"done": True})

    def get(self, request, token):
        if not services.unsubscribe_token_valid(token):
            raise Http404
        return self.render_to_response({"done": False})
