class DomainError(Exception):
    """A business rule refused the request. The message is shown to the user as is,
    so it must be translatable and written for a coach, not a developer."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
