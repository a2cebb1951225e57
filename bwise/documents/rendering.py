"""A document kind's record as HTML and PDF, in the reader's language, minimised for the
reader; the PDF itself is written by ``bwise.core.pdf``."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from bwise.core.pdf import html_to_pdf, logo_data_uri
from bwise.privacy.minimise import Minimiser


def render_html(kind, record, *, organisation, language: str, reader=None) -> str:
    """``reader`` is who asked. The template gets the kind's context already minimised for
    them (``bwise.privacy.minimise``): a special-category field outside their audience does
    not exist in it, whatever the template asks for (no reader, nothing sensitive)."""
    minimiser = Minimiser(reader)
    with translation.override(language):
        context = {
            "kind": kind,
            "record": record,
            "organisation": organisation,
            "logo": logo_data_uri(organisation),
            "printed_at": timezone.localtime(),
            "document_title": kind.title(record),
            **kind.build_context(record, reader),
        }
        return render_to_string(kind.template, minimiser.wrap(context))


def render_pdf(kind, record, *, organisation, language: str, reader=None) -> bytes:
    return html_to_pdf(render_html(kind, record, organisation=organisation, language=language, reader=reader))
