from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bwise.access import Perm, has_perm
from bwise.core.health import broker_status, database_status


@login_required
def home(request):
    if has_perm(request.user, Perm.VIEW_WORKERS):
        return redirect("trajects:caseload")
    if has_perm(request.user, Perm.MANAGE_USERS):
        return redirect("accounts:user_list")
    return render(request, "core/home.html")


@require_GET
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
