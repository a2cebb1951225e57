"""HTML to PDF with WeasyPrint, fetching nothing from outside: every PDF the product writes
(documents, data-subject exports) goes through here.

Templates link their CSS and images as ``{% static %}`` URLs; the fetcher serves those
from the static files and data URIs, and refuses everything else (no network, no
arbitrary file on disk), so a value typed by a user cannot make the worker fetch a URL.
"""

import base64
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://print.bwise.invalid/"


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
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})
        raise ValueError(f"documents may not fetch {url}")


def _static_file(relative: str) -> Path | None:
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


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
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(timeout=5)).write_pdf()
