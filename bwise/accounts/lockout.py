from time import sleep

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def lockout_username(request, credentials) -> str | None:
    """The username axes locks on, wherever allauth put it.

    allauth's form posts ``login`` but calls ``authenticate(username=...)``; axes must see
    the same name in both places or a locked-out user could still log in.
    """
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("login")
    if not name and request is not None and hasattr(request, "POST"):
        name = request.POST.get("login") or request.POST.get("username")
    return name.strip().lower() if name else None


def failures_across_addresses(username: str) -> int:
    """Failed logins for this username within the cool-off time, from every address together."""
    since = timezone.now() - get_cool_off()
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


def slowdown_seconds(failures: int) -> float:
    after = settings.LOGIN_SLOWDOWN_AFTER
    if failures < after:
        return 0
    return min(float(settings.LOGIN_SLOWDOWN_MAX_SECONDS), 2.0 ** ((failures - after) // after))


def slow_down(request, credentials) -> None:
    """Make every attempt for a username that many addresses got wrong wait before it is checked.

    Locking the username itself would let anyone lock the real user out. Waiting before the
    check (not after a failure) matters: a guesser cannot learn the answer sooner by hanging up.
    """
    username = lockout_username(request, credentials)
    if not username:
        return
    seconds = slowdown_seconds(failures_across_addresses(username))
    if seconds:
        sleep(seconds)
