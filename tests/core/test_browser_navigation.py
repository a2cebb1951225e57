"""The menu as each role meets it in Dutch: nothing wider than the window at a desktop, a
small laptop and a tablet width, the user menu and "Afmelden" always within reach; and the
error summary after a refused save."""

import pytest

from bwise.accounts.models import Role
from tests.factories import UserFactory
from tests.factories_documents import ReminderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The widest menu: every role at once.
ROLES = {
    "coach": [Role.COACH],
    "hr": [Role.HR],
    "directie": [Role.DIRECTIE],
    "beheerder": [Role.BEHEERDER],
    "werkvloerbegeleider": [Role.BEGELEIDER],
    "alle_rollen": [Role.BEHEERDER, Role.DIRECTIE, Role.HR, Role.COACH, Role.BEGELEIDER],
}

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


# 1200: the narrowest width at which the menu is spread out on one line. One login per role,
# then the window is resized: a login per width cost a browser test's setup each time.
WIDTHS = (1280, 1200, 1024, 768)


@pytest.mark.parametrize("username", list(ROLES))
def test_the_menu_fits_the_window_and_logout_stays_reachable(page, login, organisation, username):
    # A long first name and a reminder badge: the widest the menu gets.
    user = UserFactory(
        username=username, first_name="Anne-Catherine", organisation=organisation, roles=ROLES[username]
    )
    ReminderFactory(recipient=user)
    login(username)
    assert page.locator("html").get_attribute("lang") == "nl-be"

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        assert page.evaluate(OVERFLOW) <= 0, f"the page is wider than the window at {width} px"
        toggler = page.locator("nav .navbar-toggler")
        if width >= 1200:
            assert not toggler.is_visible()
            # One line: every top-level entry starts at the same height, none wraps.
            boxes = [link.bounding_box() for link in page.locator("#mainnav > ul > li > .nav-link").all()]
            assert len({round(box["y"]) for box in boxes}) == 1, f"the menu wraps at {width} px"
            assert max(box["height"] for box in boxes) < 60
        else:
            toggler.click()
            page.locator("#mainnav.collapse.show").wait_for()
        page.get_by_role("button", name="Anne-Catherine").click()
        logout = page.get_by_role("button", name="Afmelden")
        assert logout.is_visible(), f"logout is hidden at {width} px"
        assert page.evaluate(OVERFLOW) <= 0, f"the open menu is wider than the window at {width} px"
        box = logout.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"logout is cut off at {width} px"

    logout.click()
    page.wait_for_url("**/accounts/login/**")


def test_a_refused_save_lists_every_error_at_the_top_with_links_and_takes_the_focus(
    page, login, organisation
):
    UserFactory(username="beheerder", organisation=organisation, roles=[Role.BEHEERDER])
    login("beheerder")
    page.goto("/organisation/users/invite/")
    page.fill("input[name=username]", "geen geldige naam")
    # What a browser without form validation sends: the server's rules alone decide.
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    links = summary.locator("a")
    targets = [link.get_attribute("href") for link in links.all()]
    # All four refused fields at once, in the form's order.
    assert targets == ["#id_username", "#id_first_name", "#id_last_name", "#id_email"]
    assert summary.bounding_box()["y"] < page.locator("main h1").bounding_box()["y"]

    links.nth(3).click()
    assert page.evaluate("document.activeElement.id") == "id_email"
