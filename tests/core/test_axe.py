"""axe-core (static/vendor/axe, pinned) in Chromium over every page of every role: no
violation of WCAG 2.2 A/AA as axe checks it, no page scrolling sideways at 1024 px, and a
focus ring that stands out.

Pages are discovered from the resolver as in tests/access/test_urls.py and filled from the
universe; the test client finds, in process, which pages each role opens, and the browser
then checks each page once, as the first role that opens it, plus every role's landing page
(its menu). One browser, one login per role: the run stays around half a minute.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver
from rest_framework.views import APIView

from bwise.accounts.models import Role
from partners.services.stages import mentor_link_create
from tests.access.test_urls import NON_OBJECT_KWARGS, OUR_MODULES, SECRET_URLS, _kwargs_of, _url, _walk
from tests.factories import UserFactory
from tests.factories_portal import PIN, make_card, sign_in_worker
from tests.universe import build_universe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = (Path(settings.BASE_DIR) / "static" / "vendor" / "axe" / "axe.min.js").read_text()
# WCAG 2.0-2.2 A and AA: target-size (24 px for checkboxes and radios on tablets) is 2.2 AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """async (tags) => {
  if (typeof axe === "undefined") throw new Error("axe is not in this page: open its context with with_axe");
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + (n.failureSummary || "").split("\\n")[1]),
  }));
}"""
# Measured once the page's fonts have loaded ("load" already waits for stylesheets and
# images), against the width the content has: the window less any scrollbar.
OVERFLOW = """async () => {
  await document.fonts.ready;
  return document.documentElement.scrollWidth - document.documentElement.clientWidth;
}"""
# What sticks out on the right, to name in the failure: elements, and text that runs out of its
# element (a long unbroken word leaves the element's own box inside the window).
STICKING_OUT = """() => {
  const edge = document.documentElement.clientWidth, found = [];
  for (const e of document.querySelectorAll("body *")) {
    if (e.getBoundingClientRect().right > edge) {
      found.push(e.tagName.toLowerCase() + " " + (e.getAttribute("class") || ""));
    }
  }
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (texts.nextNode()) {
    range.selectNodeContents(texts.currentNode);
    if (range.getBoundingClientRect().right > edge) {
      found.push("text " + JSON.stringify(texts.currentNode.textContent.trim().slice(0, 60)));
    }
  }
  return found.slice(-3);
}"""
# Pages that are not pages: downloads, feeds, the API's schema, and the side effects of a GET.
SKIP = ("format", "export", "download", "feed", "schema", "logout", "favicon", "health", "language")
ROLES = {
    "coach": [Role.COACH],
    "werkvloerbegeleider": [Role.BEGELEIDER],
    "hr": [Role.HR],
    "directie": [Role.DIRECTIE],
    "beheerder": [Role.BEHEERDER],
}


def _page_names():
    for route, pattern, namespace in _walk(get_resolver()):
        module = getattr(pattern.callback, "__module__", "") or ""
        cls = getattr(pattern.callback, "cls", None)
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        if not module.startswith(OUR_MODULES) or not pattern.name or any(word in name for word in SKIP):
            continue
        if isinstance(cls, type) and issubclass(cls, APIView):
            continue
        yield name, tuple(_kwargs_of(route))


def _worker_pages(universe, card) -> list[str]:
    """The worker's own pages (``bwise.portal``) that the universe's worker opens."""
    client = Client()
    sign_in_worker(client, universe.objects["worker"], card)
    urls = []
    for name, kwargs in _page_names():
        if not name.startswith("portal:") or name in SECRET_URLS:
            continue
        url = _url(name, kwargs, universe)
        response = client.get(url)
        if response.status_code == 200 and b"<html" in response.content[:300]:
            urls.append(url)
    return urls


def _pages_by_role(users, universe, mentor_url, shard) -> dict[str, list[str]]:
    """This shard's share of the pages, each for the first role that opens it as an HTML page,
    plus the landing page ("/", the menu) of its share of the roles.

    Each shard asks only for its own share of the URLs: the walk over every page for every
    role cost each shard as much as its browser checks."""
    candidates = sorted(
        {
            _url(name, kwargs, universe)
            for name, kwargs in _page_names()
            if name not in SECRET_URLS and all(k in NON_OBJECT_KWARGS or k.endswith("_pk") for k in kwargs)
        }
        | {mentor_url}
    )
    clients = {}
    for username, user in users.items():
        clients[username] = Client()
        clients[username].force_login(user)
    assigned: dict[str, list[str]] = {
        username: ["/"] if index % SHARDS == shard else [] for index, username in enumerate(users)
    }
    for url in candidates[shard::SHARDS]:
        if url == "/":
            continue
        # The mentor's page is opened through its token link, without an account.
        for username, client in clients.items() if url != mentor_url else [("coach", Client())]:
            response = client.get(url)
            # Whole pages only: the fragments that htmx swaps into a page are checked there.
            if response.status_code == 200 and not response.streaming and b"<html" in response.content[:300]:
                assigned[username].append(url)
                break
    return assigned


# A .btn-check input is hidden behind its button, which is the target.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    "input[type=checkbox]:not(.btn-check), input[type=radio]:not(.btn-check)")]
  .filter(e => e.offsetParent !== null)
  .map(e => e.getBoundingClientRect())
  .filter(box => box.width < 24 || box.height < 24).length"""
# The first element the keyboard reaches: its ring's colour, width, and the colour behind it.
FOCUS_RING = """() => {
  const e = document.activeElement, style = getComputedStyle(e);
  let behind = e.parentElement, colour = "rgba(0, 0, 0, 0)";
  while (behind && (colour = getComputedStyle(behind).backgroundColor) === "rgba(0, 0, 0, 0)") {
    behind = behind.parentElement;
  }
  return [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor,
          behind ? colour : "rgb(255, 255, 255)"];
}"""


# Links and buttons whose text colour is their own background's: axe leaves such a control
# as "incomplete" when a pictogram sits beside its text (the worker's "Start" was blue on the
# bar's blue and passed). Colour of each visible control with text, and the colour behind it.
CONTROL_COLOURS = """() => [...document.querySelectorAll("a, button")]
  .filter(e => e.offsetParent !== null && e.innerText.trim())
  .map(e => {
    let behind = e, colour = "rgba(0, 0, 0, 0)";
    while (behind && (colour = getComputedStyle(behind).backgroundColor) === "rgba(0, 0, 0, 0)") {
      behind = behind.parentElement;
    }
    const text = e.innerText.trim().slice(0, 40);
    return [text, getComputedStyle(e).color, behind ? colour : "rgb(255, 255, 255)"];
  })"""


def _unreadable_controls(page) -> list[str]:
    return [
        f"{text!r} {colour} on {behind}"
        for text, colour, behind in page.evaluate(CONTROL_COLOURS)
        if "rgba" not in behind and contrast(colour, behind) < 3
    ]


def _luminance(colour: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"[\d.]+", colour)[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _check_focus_ring(page, url, found):
    """The first element the keyboard reaches, then the first in the page's content:
    Chromium keeps showing the ring once the keyboard was used."""
    page.keyboard.press("Tab")
    for where in ("first element", "content"):
        if where == "content":
            focusable = "document.querySelector('main a[href], main button, main input, main select')"
            # A page whose content has nothing to reach (a read-only card) has no ring to show.
            if not page.evaluate(f"(() => {{ const e = {focusable}; if (e) e.focus(); return !!e; }})()"):
                continue
        style, width, colour, behind = page.evaluate(FOCUS_RING)
        if style == "none" or width < 2 or contrast(colour, behind) < 3:
            found.append(f"{url}: focus ring on the {where}: {style} {width}px {colour} on {behind}")


def with_axe(context):
    """axe in every page the context opens, put there by the browser before the page's own
    scripts (a script the test adds would be inline, which the pages' CSP refuses). Sent to
    Chromium once: intercepting a request for it on every page cost about 75 ms a page."""
    context.add_init_script(script=AXE_SOURCE)
    return context


def _check(page, url, found):
    # "load": the stylesheet applied, or an unstyled page measures wider than it is.
    page.goto(url, wait_until="load")
    for violation in page.evaluate(RUN_AXE, TAGS):
        found.append(f"{url}: {violation['id']} ({violation['help']}) {json.dumps(violation['nodes'])}")
    if page.evaluate(OVERFLOW) > 0:
        found.append(f"{url}: wider than the window at 1024 px: {page.evaluate(STICKING_OUT)}")
    if small := page.evaluate(SMALL_TARGETS):
        found.append(f"{url}: {small} checkboxes or radio buttons under 24 px")
    if unreadable := _unreadable_controls(page):
        found.append(f"{url}: controls in their background's colour: {unreadable}")


# The pages are split into shards that the test processes take in parallel: one test over
# every page took about a minute, the longest single test of the suite.
SHARDS = 3


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_page_of_every_role_passes_axe(browser, live_server, organisation, shard):
    universe = build_universe(organisation)
    # A pasted link: a long unbroken word on the worker page's timeline, narrower at 1024 px
    # than the link. The random name of the intake scan did the same, by a different width each
    # run, and made the page wider than the window now and then.
    moment = universe.objects["coachingmoment"]
    moment.notes = (
        "Vacature: https://www.vdab.be/vindeenjob/vacatures/71234567/magazijnier-orderpicker?regio=gent"
    )
    moment.save(update_fields=["notes"])
    users = {
        "coach": universe.coach,
        "werkvloerbegeleider": universe.supervisor,
        **{
            username: UserFactory(organisation=organisation, roles=roles)
            for username, roles in ROLES.items()
            if username not in ("coach", "werkvloerbegeleider")
        },
    }
    for username, user in users.items():
        user.username = username
        user.save(update_fields=["username"])
    stage = universe.objects["stage"]
    mentor_url = f"/partners/mentor/{mentor_link_create(stage=stage, by=universe.coach)}/"
    mine = _pages_by_role(users, universe, mentor_url, shard)
    assert sum(map(len, mine.values())) > 60 // SHARDS, mine

    found: list[str] = []
    for username, urls in mine.items():
        if not urls:
            continue
        # A tablet in landscape: the narrowest width where every page must still fit.
        context = browser.new_context(
            base_url=live_server.url, locale="nl-BE", viewport={"width": 1024, "height": 768}
        )
        context.set_default_timeout(15_000)
        with_axe(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=login]", username)
        page.fill("input[name=password]", "secret-password-1")
        page.click("main form[method=post] button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for url in urls:
            _check(page, url, found)
        if urls[0] == "/":
            _check_focus_ring(page, "/", found)
        context.close()
    assert found == [], f"{len(found)} accessibility problems:\n" + "\n".join(found)


# Every element a finger taps: at least 44 by 44 CSS pixels on the worker's pages (the skip
# link is 1 px until it has the focus).
SMALL_TAP_TARGETS = """() => [...document.querySelectorAll(
    "a[href], button, input:not([type=hidden]):not(.btn-check), select, textarea, label.btn")]
  .filter(e => e.offsetParent !== null)
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, box]) => box.width > 1 && (box.width < 44 || box.height < 44))
  .map(([e, box]) => [e.tagName.toLowerCase(), Math.round(box.width) + "x" + Math.round(box.height),
                      e.textContent.trim().slice(0, 30)].join(" "))"""


def _check_phone(page, url, width, found):
    page.goto(url, wait_until="load")
    for violation in page.evaluate(RUN_AXE, TAGS):
        found.append(
            f"{url} at {width}: {violation['id']} ({violation['help']}) {json.dumps(violation['nodes'])}"
        )
    if page.evaluate(OVERFLOW) > 0:
        found.append(f"{url}: wider than the window at {width} px: {page.evaluate(STICKING_OUT)}")
    if small := page.evaluate(SMALL_TAP_TARGETS):
        found.append(f"{url} at {width}: tap targets under 44 px: {small}")
    if unreadable := _unreadable_controls(page):
        found.append(f"{url} at {width}: controls in their background's colour: {unreadable}")


def test_the_workers_pages_pass_axe_on_a_phone_and_a_tablet(browser, live_server, organisation):
    """The worker's pages, signed in with a card as a worker is, at 360 px (a phone) and
    768 px (the shared tablet): axe, no sideways scrolling, tap targets of 44 px."""
    from competenties.models import Plan
    from competenties.plan_state import PlanStatus

    universe = build_universe(organisation)
    plan = universe.objects["plan"]
    Plan._base_manager.filter(pk=plan.pk).update(status=PlanStatus.IN_PROGRESS)
    card, code = make_card(universe.objects["worker"])
    urls = _worker_pages(universe, card)
    assert len(urls) >= 5, urls
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", viewport={"width": 360, "height": 740}
    )
    context.set_default_timeout(15_000)
    with_axe(context)
    page = context.new_page()
    found: list[str] = []
    _check_phone(page, "/me/sign-in/", 360, found)
    _check_phone(page, "/me/link/", 360, found)
    # From another page: on the sign-in page itself, adding "#code" would not load it again.
    page.goto("about:blank")
    page.goto(f"{live_server.url}/me/sign-in/#{code}")
    page.wait_for_url("**/me/pin/")
    _check_phone(page, "/me/pin/", 360, found)
    page.fill("input[name=pin]", PIN)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/me/")
    for width, height in ((360, 740), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        for url in urls:
            _check_phone(page, url, width, found)
    context.close()
    assert found == [], f"{len(found)} problems on the worker's pages:\n" + "\n".join(found)
