from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from bwise.core.health import broker_status, database_status
from bwise.roles import Role

# Where each role starts its day, the first of a user's roles in this order deciding for a user
# with several: the coach's caseload, HR's list of POPs to agree, the director's dashboard,
# the supervisor's observation page, the administrator's users.
LANDING_PAGES = [
    (Role.COACH, "trajects:caseload"),
    (Role.HR, "competenties:pops_due"),
    (Role.DIRECTIE, "dashboard:dashboard"),
    (Role.BEGELEIDER, "competenties:observation_quick"),
    (Role.BEHEERDER, "accounts:user_list"),
]


@login_required
def home(request):
    if request.user.organisation_id is not None:
        for role, url_name in LANDING_PAGES:
            if request.user.has_role(role):
                return redirect(url_name)
    return render(request, "core/home.html")


def favicon(request):
    """Browsers and monitors that ask for /favicon.ico without reading the page's link."""
    return redirect(static("favicon.png"), permanent=True)


@require_safe
@never_cache
def health(request):
    database = database_status()
    broker = broker_status()
    healthy = database == "ok"
    body = {
        "status": "ok" if healthy and broker == "ok" else "degraded",
        "database": database,
        "broker": broker,
    }
    # The web tier is usable without the broker (work waits in the database), so only
    # the database decides the HTTP status.
    return JsonResponse(body, status=200 if healthy else 503)


def bad_request(request, exception=None):
    """400 in the product's layout, with the messages of the form that refused a parameter."""
    return render(request, "400.html", {"errors": getattr(exception, "messages", [])}, status=400)
