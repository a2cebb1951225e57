from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A business rule refused the request. The message is shown to the user as is,
    so it must be translatable and written for a coach, not a developer.

    ``code`` names the rule in a way that does not change when the message is reworded:
    tests and API clients match on it, never on the sentence."""

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


def validate(instance, *, exclude=None) -> None:
    """Run the model's own validation and refuse like any other rule: the services' one
    way to call ``full_clean``. The first message of the first field is what the user
    sees; the code is Django's (``required``, ``max_length``, ``unique`` ...)."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as err:
        field, errors = next(iter(err.error_dict.items()))
        first = errors[0]
        message = str(first.message % first.params if first.params else first.message)
        raise DomainError(
            message, field=None if field == "__all__" else field, code=first.code or "invalid"
        ) from err


def validated_save(instance, *, exclude=None, update_fields=None) -> None:
    """Validate and save; a versioned record (``bwise.core.versioning``) is saved only if
    nobody else saved it since the version the edit started from."""
    validate(instance, exclude=exclude)
    getattr(instance, "save_checked", instance.save)(update_fields=update_fields)
