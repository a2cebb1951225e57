"""What every printed document shares: one date format and the signature block."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()

# Belgian day-month-year with leading zeros, in every language a document is printed in:
# a document is handed over and filed, so it never mixes ISO, US or unpadded dates.
DOCUMENT_DATE_FORMAT = "%d-%m-%Y"
DOCUMENT_DATETIME_FORMAT = "%d-%m-%Y %H:%M"


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def docdate(value) -> str:
    """``30-11-2026``; a date-time on its local day; nothing for no date."""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    if isinstance(value, datetime.date):
        return value.strftime(DOCUMENT_DATE_FORMAT)
    return ""


@register.filter
def docdatetime(value) -> str:
    """``30-11-2026 14:05`` in local time, for logs and histories."""
    if isinstance(value, datetime.datetime):
        return _local(value).strftime(DOCUMENT_DATETIME_FORMAT)
    return docdate(value)


@register.filter
def docvalue(value):
    """A table cell of any type: dates in the document format, anything else as it is."""
    if isinstance(value, datetime.datetime):
        return docdatetime(value)
    if isinstance(value, datetime.date):
        return docdate(value)
    return value


@register.inclusion_tag("documents/includes/signature_block.html", takes_context=True)
def signature_block(context, signers, drawn_up_on=None, place=""):
    """A line per signer with role, name and, when they already agreed in the product, the
    date they did. ``signers`` holds ``(role, name)``, ``(role, name, agreed_on)`` or
    ``(role, name, agreed_on, signed)``, where ``signed`` is the signature drawn on screen
    under this version of the document (``bwise.documents.signatures.SignedMark``) or None.
    An agreement (the kind says so) first says where, when and in how many copies it was
    drawn up: one for each party."""
    rows = []
    for signer in signers:
        role, name, *rest = signer
        signed = rest[1] if len(rest) > 1 else None
        rows.append(
            {
                "role": role,
                "name": (signed.name if signed else name) or "",
                "signed_on": rest[0] if rest else None,
                "signed": signed,
            }
        )
    kind = context.get("kind")
    return {
        "signers": rows,
        "agreement": bool(getattr(kind, "agreement", False)),
        "copies": len(rows),
        "drawn_up_on": drawn_up_on,
        "place": place,
    }
