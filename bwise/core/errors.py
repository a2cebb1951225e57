from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# The longest free text any field accepts: a few pages, far more than a note, an intake
# answer or a description needs, and far less than a pasted document. One rule for every
# text field, whatever reaches it (form, API, import): ``validate`` applies it to models'
# TextFields, ``bwise.core.forms.limit_text`` to forms' free-text fields.
TEXT_MAX_LENGTH = 10_000


class DomainError(Exception):
    """A business rule refused the request. The message is shown to the user as is,
    so it must be translatable and written for a coach, not a developer.

    ``code`` names the rule in a way that does not change when the message is reworded:
    tests and API clients match on it, never on the sentence."""

    def __init__(self, message, *, field: str | None = None, code: str = "invalid", more=()):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        # The other rules the same request broke, as (field, message) pairs, so that a form
        # shows every error at once instead of one per save.
        self.more: tuple[tuple[str | None, str], ...] = tuple(more)


class Rules:
    """The rules one request broke, gathered so that the user sees them all at once.

    A service refuses with ``rules.refuse(...)`` (or runs a check that raises inside
    ``with rules.check():``) and keeps going; ``validated_save(..., rules=rules)`` adds the
    model's own validation and raises one ``DomainError`` carrying every refusal, the first
    as its own message and code, the others in ``more``. Rules that make the rest
    meaningless (another organisation, a closed trajectory, no permission) still raise at
    once."""

    def __init__(self):
        self.refusals: list[tuple[str | None, str, str]] = []

    def refuse(self, message, *, code: str, field: str | None = None) -> None:
        self.refusals.append((field, message, code))

    @contextmanager
    def check(self):
        try:
            yield
        except DomainError as error:
            self.refuse(error.message, field=error.field, code=error.code)
            self.refusals.extend((field, message, "invalid") for field, message in error.more)

    @property
    def fields(self) -> set[str]:
        return {field for field, _message, _code in self.refusals if field}

    def validate(self, instance, *, exclude=None) -> None:
        """The model's own validation, except on fields a rule already refused (one message
        per field is enough)."""
        with self.check():
            validate(instance, exclude=[*(exclude or ()), *sorted(self.fields)])

    def raise_any(self) -> None:
        if self.refusals:
            (field, message, code), *more = self.refusals
            raise DomainError(message, field=field, code=code, more=[(f, m) for f, m, _c in more])


def _text_too_long(instance) -> dict[str, list[ValidationError]]:
    return {
        field.name: [
            ValidationError(
                _("Keep this text to at most %(limit)s characters (it has %(length)s).")
                % {"limit": TEXT_MAX_LENGTH, "length": len(value)},
                code="max_length",
            )
        ]
        for field in instance._meta.concrete_fields
        if isinstance(field, models.TextField)
        and isinstance(value := getattr(instance, field.attname, None), str)
        and len(value) > TEXT_MAX_LENGTH
    }


def validate(instance, *, exclude=None) -> None:
    """Run the model's own validation and refuse like any other rule: the services' one
    way to call ``full_clean``. The first message of the first field is the error's own, its
    code Django's (``required``, ``max_length``, ``unique`` ...); the others come along in
    ``more``, so that the user sees them all at once. Free text longer than
    ``TEXT_MAX_LENGTH`` is refused here for every model."""
    errors = {name: found for name, found in _text_too_long(instance).items() if name not in (exclude or ())}
    try:
        instance.full_clean(exclude=[*(exclude or ()), *errors])
    except ValidationError as err:
        errors.update(err.error_dict)
    if not errors:
        return
    refusals = [
        (None if field == "__all__" else field, str(e.message % e.params if e.params else e.message))
        for field, found in errors.items()
        for e in found
    ]
    first = next(iter(errors.values()))[0]
    (field, message), *more = refusals
    raise DomainError(message, field=field, code=first.code or "invalid", more=more)


def validated_save(instance, *, exclude=None, update_fields=None, rules: Rules | None = None) -> None:
    """Validate and save; a versioned record (``bwise.core.versioning``) is saved only if
    nobody else saved it since the version the edit started from. With ``rules``, the
    refusals the service gathered come out together with the model's own."""
    if rules is None:
        validate(instance, exclude=exclude)
    else:
        rules.validate(instance, exclude=exclude)
        rules.raise_any()
    getattr(instance, "save_checked", instance.save)(update_fields=update_fields)
