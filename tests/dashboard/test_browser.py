import csv
import io

import pytest
from django.utils import timezone

from bwise.accounts.models import Role
from tests.factories import UserFactory, WorkerFactory
from tests.factories_dashboard import trajectory_with_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_filters_follows_a_figure_and_exports_its_list(page, login, organisation):
    UserFactory(username="directie", organisation=organisation, roles=[Role.DIRECTIE])
    year = timezone.localdate().year
    for team, name in [("Atelier", "Yilmaz"), ("Atelier", "Peeters"), ("Keuken", "Janssens")]:
        worker = WorkerFactory(organisation=organisation, team=team, last_name=name)
        trajectory_with_history(worker, started=f"{year}-01-02")
    login("directie")

    page.goto("/dashboard/")
    movements = page.locator("[data-figure=movements]")
    assert movements.locator("table a").first.inner_text() == "3"
    page.select_option("select[name=team]", "Atelier")
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_url("**team=Atelier**")
    assert movements.locator("table a").first.inner_text() == "2"

    movements.locator("table a").first.click()
    page.wait_for_url("**/dashboard/workers/**")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2
    assert "Janssens" not in page.locator("main table").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV exporteren").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as handle:
        table = list(csv.reader(io.StringIO(handle.read()), delimiter=";"))
    names = sorted(row[0].split()[-1] for row in table[1:])
    assert names == ["Peeters", "Yilmaz"]


def test_director_sees_the_state_at_a_glance_at_tablet_and_desktop_width(page, login, organisation):
    from trajects import summaries

    UserFactory(username="directie", organisation=organisation, roles=[Role.DIRECTIE])
    year = timezone.localdate().year
    for n in range(4):
        worker = WorkerFactory(organisation=organisation, team="Atelier", statuut="lde")
        trajectory_with_history(worker, started=f"{year}-01-0{n + 2}")
    summaries.recompute(organisation.pk)
    login("directie")
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/dashboard/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # No chart wider than its panel, nor a table at 1280 px (the Total column stays in
        # view); on a tablet a wide table scrolls within its panel.
        selector = "main table, main svg.bar-chart" if width == 1280 else "main svg.bar-chart"
        overflowing = page.evaluate(
            """selector => [...document.querySelectorAll(selector)]
                .filter(el => el.getBoundingClientRect().right
                              > el.closest('.card').getBoundingClientRect().right + 1)
                .map(el => el.closest('section').dataset.figure)""",
            selector,
        )
        assert overflowing == []
        assert page.locator("[data-figure=deadlines] svg.bar-chart").count() == 1
    in_trajectory = page.locator("[data-headline=in_trajectory] a")
    assert in_trajectory.inner_text() == "4"
    in_trajectory.click()
    page.wait_for_url("**list=in_trajectory**")
    assert page.locator("main table tbody tr").count() == 4
