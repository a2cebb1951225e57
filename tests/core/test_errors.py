"""A refusal by the model's own validation carries every broken rule, and the form shows
them all at once."""

import pytest
from django import forms

from bwise.accounts.models import User
from bwise.core.errors import DomainError, validate
from bwise.core.views_mixins import apply_domain_error

pytestmark = pytest.mark.django_db


def test_validate_refuses_with_the_first_rule_and_carries_the_others():
    with pytest.raises(DomainError) as refusal:
        validate(User(username="", password="", email="not an address"))
    error = refusal.value
    fields = [error.field, *(field for field, _message in error.more)]
    assert {"username", "password", "email"} <= set(fields)
    assert error.code in ("blank", "invalid")
    assert all(message for _field, message in error.more)


class UserishForm(forms.Form):
    username = forms.CharField(required=False)
    email = forms.CharField(required=False)


def test_the_form_shows_every_refusal_next_to_its_field_and_the_rest_on_top():
    form = UserishForm(data={"username": "", "email": "x"})
    assert form.is_valid()
    error = DomainError(
        "Choose a username.",
        field="username",
        more=[("email", "Not an address."), ("password", "Choose a password."), (None, "Not now.")],
    )
    apply_domain_error(form, error)
    assert form.errors["username"] == ["Choose a username."]
    assert form.errors["email"] == ["Not an address."]
    # A field the form does not have, and the whole record: on top of the form.
    assert form.non_field_errors() == ["Choose a password.", "Not now."]


def test_a_refusal_without_more_shows_one_message():
    form = UserishForm(data={})
    form.is_valid()
    apply_domain_error(form, DomainError("No.", field="nothing"))
    assert form.non_field_errors() == ["No."]
    assert "username" not in form.errors


def test_every_refusal_in_the_code_names_its_code():
    """Tests and API clients tell refusals apart by ``code``, not by their Dutch sentence, so
    every ``raise DomainError(...)`` in the apps names one."""
    import ast
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    missing = [
        f"{path.relative_to(root)}:{node.lineno}"
        for package in ("bwise", "trajects", "competenties", "partners")
        for path in sorted((root / package).rglob("*.py"))
        if "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Raise)
        and isinstance(node.exc, ast.Call)
        and getattr(node.exc.func, "id", "") == "DomainError"
        and not any(keyword.arg == "code" for keyword in node.exc.keywords)
    ]
    assert missing == [], "DomainError without code=:\n" + "\n".join(missing)
