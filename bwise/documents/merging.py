"""The files of a bulk print: each chunk of documents is written to a part file on disk,
and the parts are joined into the one file the user downloads.

A merged PDF stays a tagged PDF/UA-1 file, like each document in it (``pdfjoin``). A part
has a bookmark per document, named after its worker; the joined file keeps them and gets the
title, language and author that a single document has. The PDF join writes one part at a
time, in a process of its own; a ZIP's parts are copied entry by entry.
"""

import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pikepdf
from django.core.files import File
from django.core.files.storage import Storage

from bwise.documents import pdfjoin
from bwise.documents.models import BulkFormat

# Generous: 500 POPs join in a few seconds.
JOIN_SECONDS = 600


def write_part(
    storage: Storage, name: str, output_format: str, documents: Iterable[tuple[str, str, bytes]]
) -> str:
    """Store one chunk's documents, given as (bookmark, file name, PDF bytes), under ``name``."""
    with tempfile.TemporaryFile() as spool:
        if output_format == BulkFormat.PDF:
            merged = pdfjoin.TaggedMerge()
            for bookmark, _file_name, pdf in documents:
                merged.add_document(pikepdf.open(io.BytesIO(pdf)), bookmark)
            merged.save(spool)
        else:
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
                for _bookmark, file_name, pdf in documents:
                    archive.writestr(file_name, pdf)
        return _save(storage, name, spool)


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
    if output_format != BulkFormat.PDF:
        with tempfile.TemporaryFile() as spool:
            _join_archives(storage, parts, spool)
            return _save(storage, name, spool)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, part in enumerate(parts):
            paths.append(Path(folder) / f"part-{index}.pdf")
            with storage.open(part, "rb") as source, open(paths[-1], "wb") as copy:
                shutil.copyfileobj(source, copy)
        output = Path(folder) / "joined.pdf"
        # One argument each, so that a title starting with "-" is not read as an option.
        options = [f"--title={title}", f"--language={language}", f"--author={author}"]
        # The module's own file, not ``-m``: the process needs pikepdf, not Django or Celery;
        # ``-P``: its folder's modules (``selectors``) must not hide the standard library's.
        command = [sys.executable, "-P", pdfjoin.__file__, str(output), *map(str, paths), *options]
        subprocess.run(command, check=True, capture_output=True, timeout=JOIN_SECONDS)  # noqa: S603 - our own script
        with open(output, "rb") as spool:
            return _save(storage, name, spool)


def _save(storage: Storage, name: str, spool) -> str:
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
