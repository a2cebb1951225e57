"""The main menu: one list of entries, each shown to the users whose permission it names.

The entries are written out below, by URL name, so that the menu stays in one place; an
entry whose URL is not installed is left out. Entries that belong together sit in a group
(a dropdown), so that the menu of the user with the most roles still fits on one line at
1280 px in Dutch; a group of which the user sees one entry shows that entry alone. The
number next to an entry (unread reminders) belongs to the app that owns the entry, which
registers it with ``register_badge`` from its ``AppConfig.ready``: the menu reads no app's
data itself.
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


@dataclass(frozen=True)
class NavGroup:
    label: str
    entries: tuple[NavEntry, ...]


# URL name -> the number shown next to that entry for a user (0 shows nothing).
_BADGES: dict[str, Callable[[object], int]] = {}


def register_badge(url_name: str, count: Callable[[object], int]) -> None:
    _BADGES[url_name] = count


NAV_ENTRIES: list[NavEntry | NavGroup] = [
    NavEntry("dashboard:dashboard", _("Dashboard"), Perm.VIEW_DASHBOARD),
    NavEntry("trajects:caseload", _("Caseload"), Perm.VIEW_WORKERS),
    NavGroup(
        _("Competencies"),
        (
            NavEntry("competenties:observation_quick", _("Observe"), Perm.ADD_OBSERVATIONS),
            NavEntry("competenties:round_list", _("Measurement rounds"), Perm.VIEW_WORKERS),
            NavEntry("competenties:pops_due", _("POP follow-up"), Perm.VIEW_WORKERS),
            NavEntry("competenties:framework_list", _("Frameworks"), Perm.VIEW_WORKERS),
            NavEntry("competenties:jobprofile_list", _("Job profiles"), Perm.VIEW_WORKERS),
        ),
    ),
    NavGroup(
        _("Partners"),
        (
            NavEntry("partners:partner_list", _("Partners"), Perm.VIEW_PARTNERS),
            NavEntry("partners:event_list", _("Events"), Perm.VIEW_PARTNERS),
        ),
    ),
    NavEntry("documents:job_list", _("Documents"), Perm.PRINT_DOCUMENTS),
    NavGroup(
        _("Administration"),
        (
            NavEntry("accounts:user_list", _("Users"), Perm.MANAGE_USERS),
            NavEntry("privacy:register", _("Access register"), Perm.VIEW_PROCESSING_REGISTER),
            NavEntry("privacy:retention", _("Retention"), Perm.DATA_SUBJECT_RIGHTS),
        ),
    ),
    NavEntry("reminders:inbox", _("Reminders"), None),
]


def _item(request, entry: NavEntry) -> dict | None:
    user = request.user
    if entry.perm is not None and not has_perm(user, entry.perm):
        return None
    try:
        url = reverse(entry.url_name)
    except NoReverseMatch:
        return None
    item = {"url": url, "label": entry.label, "active": False}
    if entry.url_name in _BADGES:
        item["badge"] = _BADGES[entry.url_name](user)
    return item


def nav_items_for(request) -> list[dict]:
    """The user's menu: links (``url``, ``label``, ``active``, maybe ``badge``) and groups
    (``url`` None, ``label``, ``active``, ``children``: links)."""
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for entry in NAV_ENTRIES:
        if isinstance(entry, NavEntry):
            item = _item(request, entry)
            if item is not None:
                items.append(item)
            continue
        children = [item for child in entry.entries if (item := _item(request, child)) is not None]
        if len(children) == 1:
            items.extend(children)
        elif children:
            items.append({"url": None, "label": entry.label, "active": False, "children": children})
    if user.is_superuser:
        items.append({"url": reverse("dashboard:federation"), "label": _("Federation"), "active": False})
        items.append({"url": reverse("admin:index"), "label": _("Platform"), "active": False})
    _mark_active(items, request.path)
    return items


def _mark_active(items: list[dict], path: str) -> None:
    """The entry whose URL is the longest start of the path is the current page (on
    /partners/events/ that is Events, not Partners), and so is its group."""
    links = [(item, None) for item in items if not item.get("children")]
    links += [(child, item) for item in items for child in item.get("children", [])]
    matching = [(link, group) for link, group in links if path.startswith(link["url"])]
    if matching:
        link, group = max(matching, key=lambda pair: len(pair[0]["url"]))
        link["active"] = True
        if group is not None:
            group["active"] = True
