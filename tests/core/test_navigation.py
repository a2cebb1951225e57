"""The menu's groups: entries that belong together share a dropdown, a group of one entry
shows that entry alone, and each user sees only what their capabilities allow."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from bwise.access import Perm
from bwise.accounts.models import Role
from bwise.core import navigation
from bwise.core.navigation import NavEntry, NavGroup

pytestmark = pytest.mark.django_db


def _menu(client, user):
    client.force_login(user)
    return client.get(reverse("reminders:inbox")).context["nav_items"]


def _labels(menu):
    return [
        (str(item["label"]), [str(child["label"]) for child in item.get("children", [])]) for item in menu
    ]


def test_hr_sees_groups_of_competencies_partners_and_administration(client, make_user):
    # The group label through gettext: the project catalogue gets "Beheer" with the next message merge.
    assert _labels(_menu(client, make_user(Role.HR))) == [
        ("Dashboard", []),
        ("Caseload", []),
        (
            "Competenties",
            [gettext("Measurement rounds"), "POP-opvolging", "Competentiekaders", "Functieprofielen"],
        ),
        ("Partners", ["Partners", "Evenementen"]),
        ("Documenten", []),
        (gettext("Administration"), ["Register van toegang", "Bewaartermijn"]),
        ("Herinneringen", []),
    ]


def test_the_administrator_finds_users_and_the_register_under_administration(client, make_user):
    assert _labels(_menu(client, make_user(Role.BEHEERDER))) == [
        ("Partners", ["Partners", "Evenementen"]),
        (gettext("Administration"), ["Gebruikers", "Register van toegang"]),
        ("Herinneringen", []),
    ]


def test_a_group_with_one_entry_for_the_user_shows_that_entry_alone(client, make_user, monkeypatch):
    group = NavGroup(
        "Beheer",
        (
            NavEntry("accounts:user_list", "Gebruikers", Perm.MANAGE_USERS),
            NavEntry("privacy:retention", "Bewaartermijn", Perm.DATA_SUBJECT_RIGHTS),
        ),
    )
    monkeypatch.setattr(navigation, "NAV_ENTRIES", [group])
    assert _menu(client, make_user(Role.BEHEERDER)) == [
        {"url": reverse("accounts:user_list"), "label": "Gebruikers", "active": False}
    ]


def test_the_supervisor_finds_observing_first_in_competencies(client, make_user):
    menu = _menu(client, make_user(Role.BEGELEIDER))
    competencies = next(item for item in menu if item.get("children"))
    assert competencies["children"][0]["url"] == reverse("competenties:observation_quick")


def test_a_group_is_active_on_the_page_of_one_of_its_entries(client, make_user):
    client.force_login(make_user(Role.COACH))
    menu = client.get(reverse("partners:event_list")).context["nav_items"]
    partners = next(item for item in menu if str(item["label"]) == "Partners")
    assert partners["active"]
    assert [child["active"] for child in partners["children"]] == [False, True]
    assert not any(item["active"] for item in menu if item is not partners)
