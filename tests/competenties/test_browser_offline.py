"""The werkvloerbegeleider's observation page on a tablet without network, in Chromium."""

import json
import re

import pytest
from playwright.sync_api import expect

from bwise.accounts.models import Role
from bwise.core import offline
from competenties.models import Observation
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SYNC = "**/competencies/observe/sync/"
# The page and the module its script imports are kept by the service worker for offline use.
KEPT = """() => Promise.all(
    [location.pathname, "/static/js/offline_queue.js"].map((url) => caches.match(url))
).then((kept) => kept.every(Boolean))"""


@pytest.fixture
def tablet(browser, live_server, tmp_path):
    """A tablet's own profile: Chromium does not install apps from an incognito context."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        base_url=live_server.url,
        locale="nl-BE",
        viewport={"width": 768, "height": 1024},
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


def _observe(page, worker, text):
    page.click(f"label:has-text('{worker.first_name}')")
    page.fill("textarea[name=text]", text)
    page.click("form.quick-observation button[type=submit]")


def test_observations_written_offline_reach_the_server_once(tablet, organisation, monkeypatch):
    supervisor = UserFactory(username="begeleider", organisation=organisation, roles=[Role.BEGELEIDER])
    ahmed = WorkerFactory(
        organisation=organisation, supervisor=supervisor, first_name="Ahmed", last_name="Benali"
    )
    lotte = WorkerFactory(
        organisation=organisation, supervisor=supervisor, first_name="Lotte", last_name="Peeters"
    )
    page = tablet.pages[0]
    sent = []
    page.on(
        "request", lambda request: sent.append(request.post_data) if request.url.endswith("/sync/") else None
    )
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "begeleider")
    page.fill("input[name=password]", "secret-password-1")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url("**/competencies/observe/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(KEPT)
    cdp = tablet.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

    waiting = page.locator("[data-waiting]")
    tablet.set_offline(True)
    _observe(page, ahmed, "Ahmed zette zijn helm op voor hij de hal binnenging.")
    _observe(page, lotte, "Lotte vroeg uitleg toen de bestelbon onduidelijk was.")
    _observe(page, ahmed, "Ahmed ruimde de paletten op zonder dat iemand het vroeg.")
    expect(waiting).to_have_text(re.compile(r"^3 "))
    page.reload()
    expect(page.locator("label", has_text="Lotte Peeters")).to_be_visible()
    expect(waiting).to_have_text(re.compile(r"^3 "))

    # Back online while the sync still fails, a new service worker takes over: nothing is lost.
    page.route(SYNC, lambda route: route.abort())
    tablet.set_offline(False)
    source = offline.service_worker_source()
    monkeypatch.setattr(offline, "service_worker_source", lambda: source + b"\n// a new version\n")
    page.evaluate(
        """() => new Promise((resolve) => {
            navigator.serviceWorker.addEventListener("controllerchange", resolve);
            navigator.serviceWorker.getRegistration().then((registration) => registration.update());
        })"""
    )
    page.reload()
    expect(waiting).to_have_text(re.compile(r"^3 "))
    assert Observation.objects.count() == 0

    page.unroute(SYNC)
    page.reload()
    expect(waiting).to_be_hidden()
    expect(page.locator("[data-confirmed]")).to_contain_text("Ahmed Benali")
    assert sorted(Observation.objects.values_list("worker__first_name", flat=True)) == [
        "Ahmed",
        "Ahmed",
        "Lotte",
    ]

    # The same request once more, as a retry after a lost answer would send it: nothing new.
    body = next(data for data in reversed(sent) if data)
    token = tablet.request.get("/offline/session/").json()["csrf"]
    replay = tablet.request.post(
        "/competencies/observe/sync/",
        data=body,
        headers={"Content-Type": "application/json", "X-CSRFToken": token},
    )
    assert [answer["status"] for answer in replay.json()["results"]] == ["stored"] * 3
    assert len(json.loads(body)["items"]) == 3
    assert Observation.objects.count() == 3

    # Lotte moved to another supervisor while the tablet was offline: refused, the text stays.
    lotte.supervisor = UserFactory(organisation=organisation, roles=[Role.BEGELEIDER])
    lotte.save()
    tablet.set_offline(True)
    _observe(page, lotte, "Lotte hielp een nieuwe collega met de weegschaal.")
    expect(waiting).to_have_text(re.compile(r"^1 "))
    tablet.set_offline(False)
    refused = page.locator(".refused-item")
    expect(refused).to_have_count(1)
    expect(refused.locator("textarea")).to_have_value("Lotte hielp een nieuwe collega met de weegschaal.")
    expect(refused.locator("[data-reason]")).not_to_be_empty()
    expect(waiting).to_be_hidden()
    assert Observation.objects.count() == 3

    # Personality words: the server's warning reaches the tablet, which can send it as written.
    _observe(page, ahmed, "Ahmed was weer lui bij het opruimen.")
    warned = refused.last
    expect(warned.locator("textarea")).to_have_value("Ahmed was weer lui bij het opruimen.")
    expect(warned.locator("[data-reason]")).to_contain_text("lui")
    expect(page.locator(".refused-item [data-save-as-written]:visible")).to_have_count(1)
    warned.locator("[data-save-as-written]").click()
    expect(refused).to_have_count(1)
    expect(page.locator("[data-confirmed]")).to_contain_text("Ahmed Benali")
    assert Observation.objects.count() == 4

    # The session ends on the shop floor: the observation waits, signing in again sends it
    # (under the new session's key, which the device re-encrypts the queue with).
    tablet.clear_cookies()
    _observe(page, ahmed, "Ahmed meldde zelf dat de heftruck een olielek had.")
    expect(page.locator("[data-expired]")).to_be_visible()
    expect(waiting).to_have_text(re.compile(r"^1 "))
    page.click("[data-expired] a")
    page.fill("input[name=login]", "begeleider")
    page.fill("input[name=password]", "secret-password-1")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url("**/competencies/observe/")
    expect(page.locator("[data-confirmed]")).to_contain_text("Ahmed Benali")
    expect(waiting).to_be_hidden()
    assert Observation.objects.count() == 5

    # Sign-out leaves nothing of the app on the tablet.
    page.evaluate("() => document.querySelector('form[action=\"/accounts/logout/\"]').submit()")
    page.wait_for_url("**/accounts/login/")
    assert page.evaluate("() => indexedDB.databases()") == []
    assert page.evaluate("() => caches.keys()") == []
