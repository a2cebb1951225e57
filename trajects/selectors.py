"""Reads that depend on who asks. Every list of workers starts from the access layer."""

from trajects.filters import CaseloadFilter
from trajects.models import Worker


def caseload_for(user, params):
    workers = Worker.objects.visible_to(user).select_related("coach", "supervisor")
    return CaseloadFilter(params, queryset=workers, user=user)
