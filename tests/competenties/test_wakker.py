"""WAKKER's raw note: personality words draw a warning, and the coach can still save."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bwise.core.errors import DomainError
from competenties import services
from competenties.forms import ObservationForm
from competenties.models import Observation
from competenties.wakker import personality_words
from tests.factories import WorkerFactory


def test_whole_listed_words_are_found_once_in_order():
    assert personality_words("Hij is LUI en koppig, echt lui.") == ["lui", "koppig"]
    # Words that merely start like a listed one are facts: "luisteren", "slimheid" is not listed.
    assert personality_words("Hij luisterde naar de uitleg en stapelde 40 dozen.") == []
    assert personality_words("Gemotiveerde medewerker, soms agressief.") == ["gemotiveerde", "agressief"]


def test_the_form_warns_then_saves_as_written():
    warned = ObservationForm({"text": "Was vandaag weer lui."})
    assert not warned.is_valid()
    assert warned.errors.as_data()["text"][0].code == "personality_words"
    assert not warned.fields["save_as_written"].widget.is_hidden
    assert ObservationForm({"text": "Was vandaag weer lui.", "save_as_written": "on"}).is_valid()
    assert ObservationForm({"text": "Zat 20 minuten op zijn gsm tijdens de ploeg."}).is_valid()


@pytest.mark.django_db
def test_the_supervisor_is_asked_for_facts_on_the_tablet_and_can_still_save(client, begeleider):
    worker = WorkerFactory(organisation=begeleider.organisation, supervisor=begeleider)
    client.force_login(begeleider)
    url = reverse("competenties:observation_quick")
    response = client.post(url, {"worker": worker.pk, "text": "Koppig, wou niet luisteren."})
    assert response.status_code == 200
    assert "koppig" in response.content.decode()
    assert 'name="save_as_written"' in response.content.decode()
    assert not Observation.objects.filter(worker=worker).exists()
    client.post(url, {"worker": worker.pk, "text": "Koppig, wou niet luisteren.", "save_as_written": "on"})
    assert Observation.objects.filter(worker=worker).count() == 1


@pytest.mark.django_db
def test_the_rule_is_the_services_and_the_api_follows_it(begeleider):
    worker = WorkerFactory(organisation=begeleider.organisation, supervisor=begeleider)
    with pytest.raises(DomainError) as warned:
        services.observation_create(worker=worker, text="Agressief tegen een collega.", by=begeleider)
    assert (warned.value.code, warned.value.field) == ("personality_words", "text")
    api = APIClient()
    api.force_authenticate(begeleider)
    body = {"worker": worker.pk, "text": "Agressief tegen een collega."}
    refused = api.post("/api/v1/observations/", body, format="json")
    assert (refused.status_code, refused.json()["code"]) == (400, "personality_words")
    saved = api.post("/api/v1/observations/", body | {"save_as_written": True}, format="json")
    assert saved.status_code == 201
    assert "save_as_written" not in saved.json()
    assert Observation.objects.filter(worker=worker).count() == 1
