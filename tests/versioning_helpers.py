"""Two people editing one record at once, through the pages (``bwise.core.versioning``)."""

from django.test import Client
from django.utils.translation import gettext

from bwise.core.versioning import stale_error


def stale_message() -> str:
    """The refusal in the active language (Dutch once the merger compiled the catalogue)."""
    return str(stale_error().message)


def now_is(form, name: str, value: str) -> str:
    return gettext("%(field)s is now: %(value)s") % {"field": form[name].label, "value": value}


def form_data(response) -> dict:
    """What the browser would post back for the page's form, unchanged."""
    data = {}
    for bound in response.context["form"]:
        value = bound.value()
        if value is None or value is False or bound.field.disabled:
            continue
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        else:
            formatted = bound.field.widget.format_value(value)
            data[bound.html_name] = formatted[0] if isinstance(formatted, list) else (formatted or "")
    return data


def opened(user, url):
    """A browser of ``user`` with the edit form of ``url`` open, and what it would post."""
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="edit_version"' in response.content.decode(), "the page renders the hidden state"
    return client, form_data(response)


def edit_at_once(url, first_user, first_change: dict, second_user, second_change: dict, reload):
    """Both open the form; the first saves, then the second: refused, with the first change
    named, their own input back, and a second save that keeps both changes.

    ``first_change`` and ``second_change`` touch different fields; ``reload()`` reads the
    record from the database."""
    first, first_data = opened(first_user, url)
    second, second_data = opened(second_user, url)
    assert first.post(url, {**first_data, **first_change}).status_code == 302

    response = second.post(url, {**second_data, **second_change})
    assert response.status_code == 200
    page = response.content.decode()
    assert stale_message() in page
    errors = list(response.context["form"].non_field_errors())
    [(name, value)] = first_change.items()
    assert now_is(response.context["form"], name, value) in errors
    again = form_data(response)
    for key, typed in second_change.items():
        assert again[key] == typed, "the second user's input is kept"
    record = reload()
    for key, typed in first_change.items():
        assert str(getattr(record, key)) == typed, "the first change is kept"
    for key, typed in second_change.items():
        assert str(getattr(record, key)) != typed, "the stale save wrote nothing"

    # The form now carries the other's change in the field the second user left alone.
    assert again[name] == value
    assert second.post(url, again).status_code == 302
    record = reload()
    for key, typed in {**first_change, **second_change}.items():
        assert str(getattr(record, key)) == typed
    return record
