"""The worker as a user, in Chromium on a phone and a tablet: signs in with the card and a
PIN, rates themselves, adds a stoefboek item with a photo, signs the running POP on the pad,
shares a competency passport; an employer without an account opens the link; the coach
stops it and the link then refuses. No page the worker or the employer sees scrolls
sideways."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from bwise.accounts.models import Role
from competenties.models import Achievement, Assessment, DigitalAction, DigitalSkillEvidence, RaterRole
from competenties.plan_state import PlanStatus
from competenties.services_portfolio import digital_skills_consent_set_by_worker
from tests import factories_competenties as fc
from tests.competenties.test_passport import closed_round_levels
from tests.core.test_axe import RUN_AXE, SMALL_TAP_TARGETS, TAGS, with_axe
from tests.documents.test_browser_signatures import _draw
from tests.factories import UserFactory, WorkerFactory
from tests.factories_portal import make_card, sign_in_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


def _no_sideways_scroll(page):
    assert page.evaluate(OVERFLOW) <= 0, page.url


def _open(page, selector, path):
    """Follows a link and waits for its page: measured before the new document has loaded,
    the width belongs to the old page, or to none (CI once read a document without an
    element mid-navigation)."""
    page.click(selector)
    page.wait_for_url(f"**{path}")
    page.wait_for_load_state()


def _axe_clean_here(page):
    """The page as it is now (the axe walk opens each page afresh, so it never sees the new
    link, which is shown once): no axe violation and no tap target under 44 px."""
    assert page.evaluate(RUN_AXE, TAGS) == []
    assert page.evaluate(SMALL_TAP_TARGETS) == []


@pytest.mark.parametrize("width", [360, 768])
def test_the_worker_rates_adds_signs_and_shares_until_the_coach_stops_the_link(
    browser, live_server, organisation, width
):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    worker = WorkerFactory(organisation=organisation, coach=coach, first_name="Anouk", last_name="Peeters")
    digital_skills_consent_set_by_worker(worker=worker, given=True)
    _card, code = make_card(worker)
    plan = fc.PlanFactory(worker=worker, status=PlanStatus.IN_PROGRESS)
    fc.PlanActionFactory(plan=plan, action="Leren werken met de heftruck")
    framework = fc.FrameworkFactory(organisation=organisation)
    for behaviour in ("Vraagt hulp als het nodig is", "Komt op tijd"):
        fc.IndicatorFactory(competency__framework=framework, description=behaviour)
    today = timezone.localdate()
    measurement_round = fc.MeasurementRoundFactory(
        organisation=organisation,
        framework=framework,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
    )
    fc.RoundParticipantFactory(round=measurement_round, worker=worker)
    fc.RoundRaterFactory(round=measurement_round, role=RaterRole.SELF)
    shared, _kept = closed_round_levels(worker, [("Samenwerken", 3), ("Stiptheid", 2)])

    viewport = {"width": width, "height": 800}
    phone = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=viewport)
    employer = browser.new_context(locale="nl-BE", viewport=viewport)
    desk = browser.new_context(
        base_url=live_server.url, locale="nl-BE", viewport={"width": 1440, "height": 900}
    )
    try:
        for context in (phone, employer, desk):
            context.set_default_timeout(30_000)
        with_axe(phone)
        page = phone.new_page()
        sign_in_in_browser(page, code)
        _no_sideways_scroll(page)

        # Mijn zelfbeoordeling: both questions, then send.
        _open(page, ".portal-tile[href='/me/self-assessment/']", "/me/self-assessment/")
        _no_sideways_scroll(page)
        page.click("main a.portal-big")
        for step in (1, 2):
            page.click("button.portal-level-3")
            page.wait_for_url(f"**?step={step}")
            _no_sideways_scroll(page)
        page.click("button[name=send]")
        page.wait_for_url("**/me/self-assessment/")
        levels = (
            Assessment.objects.unscoped(reason="test")
            .get(worker=worker)
            .scores.values_list("level", flat=True)
        )
        assert sorted(levels) == [3, 3]

        # Mijn stoefboek: an item with a photo.
        _open(page, ".portal-menu a[href='/me/stoefboek/']", "/me/stoefboek/")
        page.fill("textarea[name=text]", "Ik heb alleen de kassa gesloten.")
        page.set_input_files(
            "input[name=photo]", files=[{"name": "kassa.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
        )
        page.click("main form[enctype] button[type=submit]")
        page.wait_for_selector("main .alert-success")
        _no_sideways_scroll(page)
        assert Achievement.objects.unscoped(reason="test").get(worker=worker).photo

        # Tekenen: the running POP on the pad.
        _open(page, ".portal-menu a[href='/me/sign/']", "/me/sign/")
        # The mouse draws where the pad is on the screen: bring it into view first.
        page.locator("canvas[data-signature-pad]").scroll_into_view_if_needed()
        _draw(page, "canvas[data-signature-pad]")
        page.click("form[data-signature-form] button[type=submit]")
        page.wait_for_selector("#plan-signed")
        _no_sideways_scroll(page)

        # Mijn paspoort: share one agreed level for a month.
        _open(page, ".portal-menu a[href='/me/passport/']", "/me/passport/")
        _no_sideways_scroll(page)
        page.fill("input[name=recipient]", "Colruyt magazijn")
        # Ordered by competency: the first agreed level is Samenwerken.
        page.click("label[for=share-agreed_level-1]")
        assert page.is_checked(f"input[value='agreed_level:{shared.pk}']")
        page.click("label[for=id_days_1]")
        page.click("#passport-form button[type=submit]")
        link = page.locator("#passport-link").input_value()
        _no_sideways_scroll(page)
        # The page's script shows "Kopieer de link" where the clipboard can be written.
        page.wait_for_selector("[data-copy]", state="visible")
        _axe_clean_here(page)

        reader = employer.new_page()
        reader.goto(link)
        text = reader.locator("main").inner_text()
        assert "Anouk Peeters" in text and "Samenwerken" in text and "Stiptheid" not in text
        _no_sideways_scroll(reader)

        # The worker sees the opening.
        page.reload()
        assert page.locator("#passports-active .portal-openings li").count() == 1

        # The coach stops the link on the worker's passports page.
        staff = desk.new_page()
        staff.goto("/accounts/login/")
        staff.fill("input[name=login]", coach.username)
        staff.fill("input[name=password]", "secret-password-1")
        staff.click("main form[method=post] button[type=submit]")
        staff.wait_for_url(lambda url: "/accounts/login/" not in url)
        staff.goto(f"/competencies/workers/{worker.pk}/passports/")
        staff.on("dialog", lambda dialog: dialog.accept())
        staff.click(".passport form button[type=submit]")
        staff.wait_for_selector(".passport .badge.text-bg-secondary")

        refused = reader.goto(link)
        assert refused.status == 410
        assert "Samenwerken" not in reader.locator("main").inner_text()
        _no_sideways_scroll(reader)
    finally:
        for context in (phone, employer, desk):
            context.close()

    actions = set(
        DigitalSkillEvidence.objects.unscoped(reason="test")
        .filter(worker=worker)
        .values_list("action", flat=True)
    )
    assert actions == {
        DigitalAction.SIGN_IN_ALONE,
        DigitalAction.PHOTO,
        DigitalAction.SIGNATURE,
        DigitalAction.PASSPORT_SHARE,
    }
