"""The coach hands the tablet to the worker: both draw their signature on the POP's pad with
the mouse, and the printed plan carries both signatures."""

import pytest

from bwise.accounts.models import Role
from bwise.documents.models import Signature
from bwise.documents.registry import get_kind
from bwise.documents.rendering import render_html
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import PlanActionFactory, PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _draw(page, selector):
    box = page.locator(selector).bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(
            box["x"] + 20 + step * 30, box["y"] + box["height"] * (0.7 - 0.05 * (step % 3)), steps=3
        )
    page.mouse.up()


def test_worker_and_coach_sign_the_pop_on_screen(page, login, organisation):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    worker = WorkerFactory(organisation=organisation, coach=coach, first_name="Lieve", last_name="Verstraete")
    plan = PlanFactory(worker=worker)
    PlanActionFactory(plan=plan)

    login("coach")
    page.goto(f"/competencies/plans/{plan.pk}/")
    page.click("#plan-signatures a")
    worker_form = "#sign-worker form"
    page.click(f"{worker_form} button[type=submit]")
    assert page.locator(f"{worker_form} [data-signature-empty]").is_visible()  # nothing drawn, nothing sent

    _draw(page, f"{worker_form} canvas")
    page.click(f"{worker_form} button[type=submit]")
    page.wait_for_selector("#sign-worker img.signature-image")
    _draw(page, "#sign-coach canvas")
    page.click("#sign-coach form button[type=submit]")
    page.wait_for_selector("#signed-complete")
    assert "Lieve Verstraete" in page.locator("#sign-worker .signed-by").inner_text()

    signatures = Signature.objects.of_worker(worker)
    assert sorted(signatures.values_list("role", "recorded_by")) == [
        ("coach", coach.pk),
        ("worker", coach.pk),
    ]
    html = render_html(get_kind("plan"), plan, organisation=organisation, language="nl", reader=coach)
    assert html.count('class="signature-image" src="data:image/png;base64,') == 2
    assert "Handtekening van Lieve Verstraete" in html
