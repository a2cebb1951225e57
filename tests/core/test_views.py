"""The shared form view and button helper: a service's refusal is shown, never a 500."""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from bwise.core.errors import DomainError
from bwise.core.views_mixins import ServiceFormView, run_service


class NameForm(forms.Form):
    name = forms.CharField()


def _request(data=None):
    request = RequestFactory().post("/somewhere/", data or {"name": "Nora"})
    request.user = SimpleNamespace(is_authenticated=True)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _view(refusal=None):
    class View(ServiceFormView):
        form_class = NameForm

        def save(self, form):
            if refusal is not None:
                raise refusal
            return "/done/"

        def form_invalid(self, form):
            self.invalid_form = form
            return SimpleNamespace(status_code=200)

    return View


def test_a_saved_form_shows_the_message_and_redirects():
    request = _request()
    response = _view().as_view()(request)
    assert response.status_code == 302 and response.url == "/done/"
    assert [str(m) for m in get_messages(request)] == ["Bewaard."]


@pytest.mark.parametrize(
    ("field", "shown_at"),
    [("name", "name"), ("elsewhere", "__all__"), (None, "__all__")],
    ids=["next to its field", "above the form for another field", "above the form"],
)
def test_a_refusal_shows_on_the_form(field, shown_at):
    request = _request()
    view = _view(DomainError("Dat mag niet.", field=field))()
    view.setup(request)
    view.dispatch(request)
    assert view.invalid_form.errors == {shown_at: ["Dat mag niet."]}
    assert list(get_messages(request)) == []


def test_run_service_turns_a_refusal_into_an_error_message():
    request = _request()

    def refuse():
        raise DomainError("Dat mag niet.")

    assert run_service(request, refuse, success="Gelukt.") == (False, None)
    assert run_service(request, lambda: 42, success="Gelukt.") == (True, 42)
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [
        ("error", "Dat mag niet."),
        ("success", "Gelukt."),
    ]
