"""The leak walk for the worker audience: the worker, signed in with their card, walks every
URL (discovered as in test_leaks.py) and meets none of the markers planted in what the
privacy declaration does not give the worker: the declared special-category fields, and
every other text a coach or a supervisor wrote about them (coaching notes, remarks,
observations, intakes, assessments' notes...). The markers planted in the fields that
``WORKER_FIELDS`` does give them appear on their pages, so the walk can fail. Another
worker's allowed fields stay away too.
"""

import pytest
from django.apps import apps

from bwise.access import worker_model
from bwise.privacy.declaration import WORKER_FIELDS
from bwise.privacy.minimise import worker_path_of
from competenties.models import RaterRole, RoundRater
from competenties.plan_state import PlanStatus
from tests.factories import OrganisationFactory
from tests.factories_portal import sign_in_worker
from tests.privacy.test_leaks import QUERY_VARIANTS, body_of, walkable_urls
from tests.privacy_helpers import plant_sensitive_markers, plant_text_markers
from tests.universe import build_universe
from trajects.models import StarrNote

pytestmark = pytest.mark.django_db


def _worker_records(worker) -> dict:
    """Every scoped model's rows of ``worker``, as {model: queryset}."""
    records = {}
    for model in apps.get_models():
        path = worker_path_of(model)
        if path is None:
            continue
        lookup = f"{path}__pk" if path else "pk"
        records[model] = model._base_manager.filter(**{lookup: worker.pk})
    return records


# The universe's plan is a POP: the PDP's columns are not on its page.
PDP_ONLY = {("competenties.PlanAction", "who"), ("competenties.PlanAction", "time_span")}


def _allowed(model, name) -> bool:
    return name in WORKER_FIELDS.get(model._meta.label, ())


def test_the_worker_meets_only_what_the_declaration_gives_them(client):
    organisation = OrganisationFactory()
    universe = build_universe(organisation)
    worker = universe.objects["worker"]
    # A running plan, so that the worker's plan page shows its actions.
    type(universe.objects["plan"])._base_manager.filter(pk=universe.objects["plan"].pk).update(
        status=PlanStatus.IN_PROGRESS
    )
    # The STARR notes shared as stories, so that the stoefboek page shows them; a note the
    # coach keeps is checked in tests/portal/test_worker_pages.py.
    assert (
        StarrNote.objects.unscoped(reason="test")
        .filter(intake__trajectory__worker=worker)
        .update(shared_with_worker=True)
    )
    assert RoundRater.objects.unscoped(reason="test").filter(role=RaterRole.SELF).exists()
    sensitive = plant_sensitive_markers(universe)
    records = _worker_records(worker)
    forbidden = plant_text_markers(
        {
            model: queryset
            for model, queryset in records.items()
            if not any(_allowed(model, f.name) for f in model._meta.concrete_fields)
        },
        prefix="COACHONLY",
    )
    # Models with some allowed fields: a marker in each of their other text fields.
    for model, queryset in records.items():
        for field in model._meta.concrete_fields:
            if (
                _allowed(model, field.name)
                or field.choices
                or field.get_internal_type()
                not in (
                    "TextField",
                    "CharField",
                )
            ):
                continue
            if any(_allowed(model, f.name) for f in model._meta.concrete_fields):
                marker = f"COACHONLY{model.__name__.upper()}{field.name.upper()}"[: field.max_length or 200]
                if queryset.update(**{field.name: marker}):
                    forbidden.append(marker)
    allowed = []
    for label, names in WORKER_FIELDS.items():
        model = apps.get_model(label)
        if model not in records:
            continue
        for name in names:
            if (label, name) in PDP_ONLY:
                continue
            field = model._meta.get_field(name)
            if field.get_internal_type() in ("TextField", "CharField") and not field.choices:
                marker = f"MINE{model.__name__.upper()}{name.upper()}"[: field.max_length or 200]
                if records[model].update(**{name: marker}):
                    allowed.append(marker)
    # Another worker of the same organisation, with their own allowed fields marked.
    other = build_universe(organisation).objects["worker"]
    worker_model().objects.unscoped(reason="test").filter(pk=other.pk).update(first_name="OTHERWORKER")

    sign_in_worker(client, worker)
    found, answered = set(), 0
    for url in walkable_urls(universe):
        for query in QUERY_VARIANTS:
            response = client.get(url + query)
            assert response.status_code < 500, url + query
            if response.status_code == 200:
                answered += 1
            found |= {
                marker for marker in (*forbidden, *sensitive, "OTHERWORKER") if marker in body_of(response)
            }
            text = body_of(response)
            allowed = [marker for marker in allowed if marker not in text]
    assert found == set()
    assert allowed == [], f"allowed fields the worker's pages never showed: {allowed}"
    assert answered > 5 and len(forbidden) > 20
