"""The worker's journeys on a phone (360 px) in Chromium: the coach issues a card, the worker
signs in with its QR code and a PIN of their own, rates themselves, ticks their plan, stops,
and the back button shows nothing of them; a worker with an e-mail address opens the mailed
link and signs the commitment statement."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from bwise.documents.models import SignerRole
from bwise.documents.signatures import signature_state
from bwise.portal import services
from competenties.models import Assessment, PlanAction, RaterRole
from competenties.plan_state import PlanStatus
from partners.models import CurriculumVitae
from tests import factories_competenties as fc
from tests.documents.test_browser_signatures import _draw
from tests.factories import WorkerFactory
from tests.factories_partners import CurriculumVitaeFactory
from tests.factories_portal import make_card, sign_in_in_browser
from tests.factories_trajects import IntakeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def test_a_worker_signs_in_with_a_card_rates_themselves_ticks_the_plan_and_stops(browser, live_server, coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, first_name="Anouk")
    action = fc.PlanActionFactory(
        plan=fc.PlanFactory(worker=worker, status=PlanStatus.IN_PROGRESS),
        action="Leren werken met de heftruck",
    )
    indicator = fc.IndicatorFactory(
        competency__framework__organisation=coach.organisation, description="Vraagt hulp als het nodig is"
    )
    today = timezone.localdate()
    measurement_round = fc.MeasurementRoundFactory(
        organisation=coach.organisation,
        framework=indicator.competency.framework,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
    )
    fc.RoundParticipantFactory(round=measurement_round, worker=worker)
    fc.RoundRaterFactory(round=measurement_round, role=RaterRole.SELF)

    staff = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=PHONE)
    staff.set_default_timeout(30_000)
    desk = staff.new_page()
    desk.goto("/accounts/login/")
    desk.fill("input[name=login]", coach.username)
    desk.fill("input[name=password]", "secret-password-1")
    desk.click("main form[method=post] button[type=submit]")
    desk.wait_for_url(lambda url: "/accounts/login/" not in url)
    desk.goto(f"/cards/{worker.pk}/")
    desk.click("main form:has(input[value=issue]) button")
    code = desk.inner_text("[data-testid=card-code]")
    assert desk.locator(".portal-qr svg").count() == 1
    staff.close()

    context = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=PHONE)
    context.set_default_timeout(30_000)
    page = context.new_page()
    # What the QR code opens: the code after "#" is filled in and sent by the page.
    page.goto(f"/me/sign-in/#{code}")
    page.wait_for_url("**/me/pin/")
    page.fill("input[name=pin]", "4826")
    page.fill("input[name=repeat]", "4826")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/me/")
    assert "Anouk" in page.inner_text("main")

    page.click(".portal-tile[href='/me/self-assessment/']")
    page.click("main a.portal-big")
    assert "Vraagt hulp als het nodig is" in page.inner_text("main")
    page.click("button.portal-level-3")
    page.click("button[name=send]")
    page.wait_for_url("**/me/self-assessment/")
    assert Assessment.objects.unscoped(reason="test").get(worker=worker).scores.get().level == 3

    page.click(".portal-menu a[href='/me/plan/']")
    page.click(f"label[for=done-{action.pk}-3]")
    page.fill(f"#comment-{action.pk}", "Gelukt!")
    page.click(f"#action-{action.pk} button[type=submit]")
    page.wait_for_url("**/me/plan/*")
    assert PlanAction.objects.unscoped(reason="test").get(pk=action.pk).done == "+"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    page.click(".portal-stop")
    page.wait_for_url("**/me/stop/")
    page.go_back()
    page.wait_for_load_state()
    shown = page.content()
    assert "Anouk" not in shown and "heftruck" not in shown
    assert "/me/sign-in/" in page.url
    context.close()


def test_a_worker_writes_about_themselves_in_their_cv_on_a_phone(browser, live_server, coach):
    worker = WorkerFactory(
        organisation=coach.organisation, coach=coach, email="anouk.peeters.werkzoekend@example.org"
    )
    CurriculumVitaeFactory(worker=worker, work_experience="2024 – vandaag: productiemedewerker bij de vzw")
    _card, code = make_card(worker)
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=PHONE)
    context.set_default_timeout(30_000)
    page = context.new_page()
    sign_in_in_browser(page, code)
    page.click(".portal-tile[href='/me/cv/']")
    page.fill("#id_profile", "Ik werk graag buiten en in een team.")
    page.click("#cv-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.input_value("#id_profile") == "Ik werk graag buiten en in een team."
    cv = CurriculumVitae.objects.unscoped(reason="test").get(worker=worker)
    assert cv.profile == "Ik werk graag buiten en in een team."
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()


def test_a_worker_opens_the_mailed_link_and_signs_the_commitment_statement(browser, live_server, coach):
    worker = WorkerFactory(
        organisation=coach.organisation, coach=coach, first_name="Anouk", email="anouk@example.org"
    )
    trajectory = IntakeFactory(
        trajectory__worker=worker,
        commitment_statement="We werken samen aan je doorstroom.",
        milestones="Tegen juni een stage.",
    ).trajectory
    services.sign_in_link_send(worker=worker, by=coach, page_url=f"{live_server.url}/me/link/")
    [link] = re.findall(r"http://\S+/me/link/#\S+", mail.outbox[-1].body)

    context = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=PHONE)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(link)
    # The code waits for the worker's tap, and has left the address.
    page.wait_for_function("!window.location.hash")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/me/pin/")
    page.fill("input[name=pin]", "4826")
    page.fill("input[name=repeat]", "4826")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/me/")

    page.click(".portal-tile[href='/me/sign/']")
    assert "Tegen juni een stage." in page.inner_text("#commitment")
    # On a phone the pad is below the statement: drawing happens where it is on screen.
    page.locator("#commitment canvas").scroll_into_view_if_needed()
    _draw(page, "#commitment canvas")
    page.click("#commitment button[type=submit]")
    page.wait_for_selector("#commitment-signed")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()
    assert SignerRole.WORKER in signature_state("commitment_statement", trajectory).current
