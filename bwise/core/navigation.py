"""The main menu: one list of entries, each shown to the users whose permission it names.

Later apps register their entries here so that the menu stays in one place.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm, has_perm


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    perm: Perm | None


NAV_ENTRIES: list[NavEntry] = [
    NavEntry("trajects:caseload", _("Caseload"), Perm.VIEW_WORKERS),
    NavEntry("competenties:framework_list", _("Frameworks"), Perm.VIEW_WORKERS),
    NavEntry("competenties:jobprofile_list", _("Job profiles"), Perm.VIEW_WORKERS),
    NavEntry("competenties:pops_due", _("POPs due"), Perm.VIEW_WORKERS),
    NavEntry("competenties:observation_quick", _("Observe"), Perm.ADD_OBSERVATIONS),
    NavEntry("accounts:user_list", _("Users"), Perm.MANAGE_USERS),
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
        items.append({"url": url, "label": entry.label, "active": request.path.startswith(url)})
    if user.is_superuser:
        items.append({"url": reverse("admin:index"), "label": _("Platform"), "active": False})
    return items
