from django.core.exceptions import ValidationError


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


def validate(instance, *, exclude=None) -> None:
    """Run the model's own validation and refuse like any other rule: the services' one
    way to call ``full_clean``. The first message of the first field is the error's own, its
    code Django's (``required``, ``max_length``, ``unique`` ...); the others come along in
    ``more``, so that the user sees them all at once."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as err:
        refusals = [
            (None if field == "__all__" else field, str(e.message % e.params if e.params else e.message))
            for field, errors in err.error_dict.items()
            for e in errors
        ]
        first = next(iter(err.error_dict.values()))[0]
        (field, message), *more = refusals
        raise DomainError(message, field=field, code=first.code or "invalid", more=more) from err


def validated_save(instance, *, exclude=None, update_fields=None) -> None:
    """Validate and save; a versioned record (``bwise.core.versioning``) is saved only if
    nobody else saved it since the version the edit started from."""
    validate(instance, exclude=exclude)
    getattr(instance, "save_checked", instance.save)(update_fields=update_fields)
