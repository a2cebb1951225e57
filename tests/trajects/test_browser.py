import pytest

from bwise.accounts.models import Role
from tests.factories import UserFactory
from trajects.models import Trajectory, TrajectoryTransition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _save(page):
    page.locator("main form input[type=submit]").click()
    page.wait_for_load_state()


def test_coach_runs_the_voortraject_and_sees_it_on_the_timeline(page, login, organisation):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    login("coach")

    page.goto("/workers/new/")
    page.fill("input[name=first_name]", "Yasmina")
    page.fill("input[name=last_name]", "Bouzid")
    page.select_option("select[name=statuut]", "lde")
    page.fill("input[name=statuut_start]", "2023-02-01")
    page.check("input[name=preconditions][value=transport]")
    _save(page)
    assert page.locator("h1").inner_text() == "Yasmina Bouzid"
    assert "2028" in page.get_by_role("status").inner_text()  # the LDE limit, five years on

    page.check("input[name=trigger][value=own_request]")
    page.get_by_role("button", name="Het traject starten").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("phase").inner_text() == "voortraject"

    page.get_by_role("link", name="Het eerste intakegesprek vastleggen").click()
    page.fill("input[name=held_on]", "2026-03-02")
    page.fill("textarea[name=motivation]", "Wil graag buiten werken in het groen")
    page.fill("textarea[name=commitment_statement]", "We werken samen naar een job in de groenzorg")
    page.fill("input[name=agreed_by_worker_on]", "2026-03-02")
    page.fill("input[name=agreed_by_coach_on]", "2026-03-02")
    page.fill("input[name=completed_on]", "2026-03-02")
    _save(page)

    page.get_by_role("link", name="STARR-notitie bij het eerste intakegesprek").click()
    page.fill("textarea[name=situation]", "Vertelt over haar stage in een tuincentrum")
    page.fill("textarea[name=reflection]", "Ziet zelf dat stiptheid beter kan")
    _save(page)

    page.get_by_role("link", name="Job-bepaling").click()
    page.fill("input[name=job_target]", "Medewerker groenonderhoud")
    _save(page)
    assert page.get_by_text("Medewerker groenonderhoud").first.is_visible()

    page.get_by_role("button", name="Doorgaan naar jobmatching").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("phase").inner_text() == "jobmatching"

    page.get_by_role("button", name="Terug naar het voortraject").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("phase").inner_text() == "jobmatching", "a step back needs its reason"
    page.fill("#id_back_to_voortraject_reason", "Eerst haar rijbewijs halen")
    page.get_by_role("button", name="Terug naar het voortraject").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("phase").inner_text() == "voortraject"

    timeline = page.get_by_test_id("timeline").inner_text()
    for text in (
        "Traject gestart",
        "Eerste intakegesprek",
        "Wil graag buiten werken in het groen",
        "STARR-notitie",
        "Vertelt over haar stage in een tuincentrum",
        "Medewerker groenonderhoud",
        "Doorgaan naar jobmatching",
        "Terug naar het voortraject",
        "Eerst haar rijbewijs halen",
    ):
        assert text in timeline, text
    assert timeline.index("Terug naar het voortraject") < timeline.index("Doorgaan naar jobmatching")
    trajectory = Trajectory.objects.get(worker__last_name="Bouzid")
    assert list(TrajectoryTransition.objects.filter(trajectory=trajectory).values_list("name", "by")) == [
        ("back_to_voortraject", coach.pk),
        ("to_jobmatching", coach.pk),
        ("start", coach.pk),
    ]
