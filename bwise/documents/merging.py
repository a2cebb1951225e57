"""The files of a bulk print: each chunk of documents is written to a part file on disk,
and the parts are joined into the one file the user downloads.

A part of a merged PDF has a bookmark per document, named after its worker; the joined
file keeps them and gets the title, language and author that a single document has. A
ZIP's parts are copied entry by entry, so neither step holds more than one part's pages
or one document's bytes at a time.
"""

import io
import tempfile
import zipfile
from collections.abc import Iterable

from django.core.files import File
from django.core.files.storage import Storage
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from bwise.documents.models import BulkFormat


def write_part(
    storage: Storage, name: str, output_format: str, documents: Iterable[tuple[str, str, bytes]]
) -> str:
    """Store one chunk's documents, given as (bookmark, file name, PDF bytes), under ``name``."""
    with tempfile.TemporaryFile() as spool:
        if output_format == BulkFormat.PDF:
            writer = PdfWriter()
            for bookmark, _file_name, pdf in documents:
                writer.append(io.BytesIO(pdf), outline_item=bookmark, import_outline=False)
            writer.write(spool)
        else:
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
                for _bookmark, file_name, pdf in documents:
                    archive.writestr(file_name, pdf)
        spool.seek(0)
        if storage.exists(name):
            storage.delete(name)
        return storage.save(name, File(spool, name=name))


def join_parts(
    storage: Storage,
    parts: list[str],
    name: str,
    output_format: str,
    *,
    title: str,
    language: str,
    author: str,
) -> str:
    """Join the stored parts, in order, into one file stored under ``name``."""
    with tempfile.TemporaryFile() as spool:
        if output_format == BulkFormat.PDF:
            writer = PdfWriter()
            for part in parts:
                with storage.open(part, "rb") as handle:
                    writer.append(PdfReader(handle), import_outline=True)
            writer.add_metadata({"/Title": title, "/Author": author})
            writer.root_object[NameObject("/Lang")] = TextStringObject(language)
            writer.create_viewer_preferences()
            writer.viewer_preferences.display_doctitle = True
            # Opened with the bookmarks shown: one per worker is how the file is found through.
            writer.page_mode = "/UseOutlines"
            writer.write(spool)
        else:
            _join_archives(storage, parts, spool)
        spool.seek(0)
        if storage.exists(name):
            storage.delete(name)
        return storage.save(name, File(spool, name=name))


def _join_archives(storage: Storage, parts: list[str], spool) -> None:
    taken = set()
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            with storage.open(part, "rb") as handle, zipfile.ZipFile(handle) as source:
                for entry in source.infolist():
                    archive.writestr(_unique(entry.filename, taken), source.read(entry))


def _unique(file_name: str, taken: set) -> str:
    """Two workers of the same name keep a file each: the second gets ``-2`` and so on."""
    stem, dot, extension = file_name.rpartition(".")
    candidate, number = file_name, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}{dot}{extension}"
    taken.add(candidate)
    return candidate
