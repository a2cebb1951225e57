from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from bwise.core.errors import DomainError


def exception_handler(exc, context):
    """A refused business rule answers 400 with its message, never 500."""
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "field": exc.field}, status=400)
    return drf_exception_handler(exc, context)
