"""Vragen over mij on a phone (360 px) in Chromium: the worker answers two intake questions,
one per screen, and sends them; the question and the last screen pass axe, do not scroll
sideways and have tap targets of 44 px (the axe walk sees the page only as sent)."""

import pytest

from tests.core.test_axe import _check_phone, with_axe
from tests.factories import WorkerFactory
from tests.factories_portal import make_card, sign_in_in_browser
from tests.factories_trajects import TrajectoryFactory
from tests.portal.test_browser import PHONE
from trajects.models import IntakeAnswers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_answers_two_intake_questions_and_sends_them_on_a_phone(browser, live_server, coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, first_name="Anouk")
    TrajectoryFactory(worker=worker)
    _card, code = make_card(worker)
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=PHONE)
    context.set_default_timeout(30_000)
    with_axe(context)
    page = context.new_page()
    sign_in_in_browser(page, code)

    page.click(".portal-tile[href='/me/about-me/']")
    assert "Vraag 1 van 7" in page.inner_text("main")
    page.get_by_label("Welke school of opleiding heb je gedaan?").fill("Lager onderwijs in Gent")
    page.click("button[name=go][value=next]")
    page.wait_for_url("**/me/about-me/?step=1")
    page.get_by_label("Waar heb je al gewerkt?").fill("Bij een bakker")
    page.click("button[name=go][value=next]")
    page.wait_for_url("**/me/about-me/?step=2")
    found = []
    _check_phone(page, f"{live_server.url}/me/about-me/?step=1", PHONE["width"], found)
    _check_phone(page, f"{live_server.url}/me/about-me/?step=7", PHONE["width"], found)
    assert found == []
    assert "Bij een bakker" in page.inner_text("main")
    page.click("button[name=send]")
    page.wait_for_selector(".alert-success")
    assert "Je hebt je antwoorden verstuurd" in page.inner_text("main")
    assert page.locator("main textarea").count() == 0
    context.close()
    answers = IntakeAnswers.objects.unscoped(reason="test").get(trajectory__worker=worker)
    assert (answers.education, answers.work_history) == ("Lager onderwijs in Gent", "Bij een bakker")
    assert answers.sent_at is not None
