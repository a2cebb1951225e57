"""The main menu: one list of entries, each shown to the users whose permission it names.

The entries are written out below, by URL name, so that the menu stays in one place; an
entry whose URL is not installed is left out. The number next to an entry (unread
reminders) belongs to the app that owns the entry, which registers it with
``register_badge`` from its ``AppConfig.ready``: the menu reads no app's data itself.
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


# URL name -> the number shown next to that entry for a user (0 shows nothing).
_BADGES: dict[str, Callable[[object], int]] = {}


def register_badge(url_name: str, count: Callable[[object], int]) -> None:
    _BADGES[url_name] = count


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
    NavEntry("reminders:inbox", _("Reminders"), None),
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
        if entry.url_name in _BADGES:
            item["badge"] = _BADGES[entry.url_name](user)
        items.append(item)
    if user.is_superuser:
        federation = reverse("dashboard:federation")
        items.append(
            {"url": federation, "label": _("Federation"), "active": request.path.startswith(federation)}
        )
        items.append({"url": reverse("admin:index"), "label": _("Platform"), "active": False})
    return items
