"""The installable app's plumbing: manifest, service worker, the device's key, sign-out wipe."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_manifest_names_the_observation_page_and_icons_that_exist(client):
    manifest = client.get(reverse("web_manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert body["start_url"] == reverse("competenties:observation_quick")
    assert body["display"] == "standalone"
    assert [icon["sizes"] for icon in body["icons"]] == ["192x192", "512x512"]
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_comes_from_the_static_files_at_the_root(client):
    response = client.get(reverse("service_worker"))
    assert reverse("service_worker") == "/sw.js"
    assert response["Content-Type"].startswith("text/javascript")
    with open(finders.find("js/service_worker.js"), "rb") as source:
        assert response.content == source.read()


def test_the_key_belongs_to_the_session_and_goes_with_it(client, begeleider):
    assert client.get(reverse("offline_session")).status_code == 401
    client.force_login(begeleider)
    first = client.get(reverse("offline_session")).json()
    assert first["user"] == begeleider.pk
    assert len(first["key"]) == 44  # 32 bytes, base64
    assert client.get(reverse("offline_session")).json()["key"] == first["key"]
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    client.force_login(begeleider)
    again = client.get(reverse("offline_session")).json()
    assert (again["key"], again["key_id"]) != (first["key"], first["key_id"])


def test_only_the_offline_pages_are_kept_by_the_service_worker(client, begeleider, coach):
    client.force_login(begeleider)
    assert client.get(reverse("competenties:observation_quick"))["X-Offline-Page"] == "1"
    client.force_login(coach)
    assert "X-Offline-Page" not in client.get(reverse("trajects:caseload"))
