"""HTML to PDF with WeasyPrint, fetching nothing from outside: every PDF the product writes
(documents, data-subject exports) goes through here.

Templates link their CSS and images as ``{% static %}`` URLs; the fetcher serves those
from the static files and data URIs, and refuses everything else (no network, no
arbitrary file on disk), so a value typed by a user cannot make the worker fetch a URL.

Every PDF is tagged and declares PDF/UA-1: WeasyPrint takes the title from ``<title>``,
the language from ``<html lang>`` and the author from ``<meta name="author">``, so a
template that extends ``documents/base_print.html`` gets all three.
"""

import base64
import functools
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://print.bwise.invalid/"
PDF_VARIANT = "pdf/ua-1"


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        static_prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if url.startswith(static_prefix):
            relative = url[len(static_prefix) :].split("?")[0].split("#")[0]
            path = _static_file(relative)
            if path is not None:
                mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, _read_static(path), {"Content-Type": mime_type})
        raise ValueError(f"documents may not fetch {url}")


def _static_file(relative: str) -> Path | None:
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


@functools.lru_cache(maxsize=32)
def _read_static(path: Path) -> bytes:
    # Static files change only with a deployment, which restarts the workers.
    return path.read_bytes()


@functools.lru_cache(maxsize=1)
def font_config() -> FontConfiguration:
    """One font configuration per process: each new one loads the system fonts again
    (about a fifth of a small document's render time)."""
    return FontConfiguration()


def logo_data_uri(organisation) -> str:
    """The organisation's logo, stored privately, inlined so that it needs no URL."""
    if not organisation.logo:
        return ""
    try:
        with organisation.logo.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    mime_type = mimetypes.guess_type(organisation.logo.name)[0] or "image/png"
    return f"data:{mime_type};base64,{base64.b64encode(data).decode('ascii')}"


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(timeout=5)).write_pdf(
        pdf_variant=PDF_VARIANT, font_config=font_config()
    )
