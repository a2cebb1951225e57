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
