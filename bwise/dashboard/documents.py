"""The dashboard as a PDF, through the documents machinery.

The record is the Organisation: a reader sees exactly their own organisation, and only
with the dashboard permission. The PDF shows the
whole organisation for this calendar year (a document job carries no filters).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm
from bwise.dashboard import selectors
from bwise.dashboard.period import Period
from bwise.documents.registry import DocumentKind, register


def dashboard_context(organisation, reader=None) -> dict:
    period = Period.this_year()
    return {
        "organisation": organisation,
        "period": period,
        "panels": selectors.organisation_panels(organisation, period),
        "print_mode": True,
        "generated_on": timezone.localdate(),
    }


DASHBOARD = register(
    DocumentKind(
        key="dashboard",
        label=_("Dashboard"),
        model="accounts.Organisation",
        template="documents/print/dashboard.html",
        build_context=dashboard_context,
        perm=Perm.VIEW_DASHBOARD,
        name=lambda organisation: f"{_('Dashboard')} {timezone.localdate().year}",
    )
)
