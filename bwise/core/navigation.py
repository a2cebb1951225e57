"""The main menu: one list of entries, each shown to the users whose permission it names.

Later apps register their entries here so that the menu stays in one place.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm, has_perm


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    perm: Perm | None
    # A number shown next to the label (e.g. unread reminders); 0 shows nothing.
    badge: Callable[[object], int] | None = None


def _unread_reminders(user) -> int:
    from bwise.reminders.selectors import unread_count

    return unread_count(user)


NAV_ENTRIES: list[NavEntry] = [
    NavEntry("dashboard:dashboard", _("Dashboard"), Perm.VIEW_DASHBOARD),
    NavEntry("trajects:caseload", _("Caseload"), Perm.VIEW_WORKERS),
    NavEntry("competenties:framework_list", _("Frameworks"), Perm.VIEW_WORKERS),
    NavEntry("competenties:jobprofile_list", _("Job profiles"), Perm.VIEW_WORKERS),
    NavEntry("partners:partner_list", _("Partners"), Perm.VIEW_PARTNERS),
    NavEntry("partners:event_list", _("Events"), Perm.VIEW_PARTNERS),
    NavEntry("competenties:pops_due", _("POPs due"), Perm.VIEW_WORKERS),
    NavEntry("competenties:observation_quick", _("Observe"), Perm.ADD_OBSERVATIONS),
    NavEntry("accounts:user_list", _("Users"), Perm.MANAGE_USERS),
    NavEntry("documents:job_list", _("Documents"), Perm.PRINT_DOCUMENTS),
    NavEntry("privacy:register", _("Access register"), Perm.VIEW_PROCESSING_REGISTER),
    NavEntry("privacy:retention", _("Retention"), Perm.DATA_SUBJECT_RIGHTS),
    NavEntry("reminders:inbox", _("Reminders"), None, badge=_unread_reminders),
]


def nav_items_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for entry in NAV_ENTRIES:
        if entry.perm is not None and not has_perm(user, entry.perm):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        item = {"url": url, "label": entry.label, "active": request.path.startswith(url)}
        if entry.badge is not None:
            item["badge"] = entry.badge(user)
        items.append(item)
    if user.is_superuser:
        federation = reverse("dashboard:federation")
        items.append(
            {"url": federation, "label": _("Federation"), "active": request.path.startswith(federation)}
        )
        items.append({"url": reverse("admin:index"), "label": _("Platform"), "active": False})
    return items
