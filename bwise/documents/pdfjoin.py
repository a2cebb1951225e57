"""Joining tagged PDFs into one, kept free of Django so that the join of a bulk print runs
as a process of its own (``python pdfjoin.py OUT PART...``, see ``merging.join_parts``).

A merged PDF stays a tagged PDF/UA-1 file, like each document in it: pikepdf copies every
document's structure tree under one ``Document`` element (a ``Part`` per document) and
renumbers the parent tree that ties each page's marked content to its elements, which a
page-by-page merge (pypdf's) drops.

qpdf holds the whole joined file until it is saved, about a quarter of a megabyte per
document; in a process of its own that memory is given back the moment the file is
written, and the Celery worker's processes stay the size of one chunk's rendering.
"""

import argparse
import io
import sys

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem


class TaggedMerge:
    """One PDF made of tagged PDFs, its structure tree the sources' trees in page order."""

    def __init__(self):
        self.pdf = pikepdf.new()
        self.document = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
        self.tree = self.pdf.make_indirect(
            Dictionary(Type=Name.StructTreeRoot, K=Array([self.document]), ParentTree=Dictionary())
        )
        self.document.P = self.tree
        self.parent_tree: list = []
        self.next_key = 0
        self.bookmarks: list[tuple[str, int]] = []

    def add_document(self, source: pikepdf.Pdf, bookmark: str) -> None:
        """A single document: its ``Document`` element becomes a ``Part`` of this one."""
        first_page = len(self.pdf.pages)
        for element in self._copy(source):
            element.S = Name.Part
            self._adopt(element)
        self.bookmarks.append((bookmark, first_page))

    def add_merge(self, source: pikepdf.Pdf) -> None:
        """A merged part: its parts and bookmarks become this file's."""
        first_page = len(self.pdf.pages)
        with source.open_outline() as outline:
            self.bookmarks += [
                (item.title, first_page + pikepdf.Page(item.destination[0]).index) for item in outline.root
            ]
        for element in self._copy(source):
            for part in element.K:
                self._adopt(part)

    def _copy(self, source: pikepdf.Pdf) -> list:
        """Append the source's pages and return its top structure elements, copied: the
        pages first, so that the elements' page references land on the copied pages."""
        first_page, first_object = len(self.pdf.pages), len(self.pdf.objects)
        self.pdf.pages.extend(source.pages)
        tree = self.pdf.copy_foreign(source.Root.StructTreeRoot)
        # A copied stream reads its data from the source when the file is saved, which would
        # keep every source, whole, in memory until then: take the (compressed) data now and
        # let the source go.
        for copied in list(self.pdf.objects)[first_object:]:
            if isinstance(copied, pikepdf.Stream):
                copied.write(
                    copied.read_raw_bytes(),
                    filter=copied.get(Name.Filter),
                    decode_parms=copied.get(Name.DecodeParms),
                    type_check=False,
                )
        source.close()
        offset = self.next_key
        for page in self.pdf.pages[first_page:]:
            if Name.StructParents in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get(Name.Annots, []):
                if Name.StructParent in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        keys = []
        for key, value in _number_tree(tree.ParentTree):
            keys.append(key)
            self.parent_tree += [key + offset, value]
        self.next_key = offset + max(int(tree.get(Name.ParentTreeNextKey, 0)), max(keys, default=-1) + 1)
        for mapping in (Name.RoleMap, Name.ClassMap):
            if mapping in tree:
                own = self.tree.setdefault(mapping, Dictionary())
                for key, value in tree[mapping].items():
                    own[key] = value
        top = tree.K
        return list(top) if isinstance(top, Array) else [top]

    def _adopt(self, element) -> None:
        element.P = self.document
        self.document.K.append(element)

    def save(self, spool, *, title: str = "", language: str = "", author: str = "") -> None:
        pdf = self.pdf
        self.tree.ParentTree = Dictionary(Nums=Array(self.parent_tree))
        self.tree.ParentTreeNextKey = self.next_key
        pdf.Root.StructTreeRoot = self.tree
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        # Opened with the bookmarks shown: one per worker is how the file is found through.
        pdf.Root.PageMode = Name.UseOutlines
        if language:
            pdf.Root.Lang = language
        with pdf.open_outline() as outline:
            outline.root.extend(OutlineItem(bookmark, page) for bookmark, page in self.bookmarks)
        with pdf.open_metadata(set_pikepdf_as_editor=False) as metadata:
            metadata["pdfuaid:part"] = "1"
            if title:
                metadata["dc:title"] = title
            if author:
                metadata["dc:creator"] = [author]
        # Object streams: the structure tree is thousands of small objects.
        pdf.save(spool, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def _number_tree(node):
    """The (key, value) pairs of a PDF number tree, flat or with kids."""
    nums = node.get(Name.Nums, [])
    for index in range(0, len(nums), 2):
        yield int(nums[index]), nums[index + 1]
    for kid in node.get(Name.Kids, []):
        yield from _number_tree(kid)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Join tagged PDFs (each a merged part) into one.")
    parser.add_argument("output")
    parser.add_argument("parts", nargs="+")
    parser.add_argument("--title", default="")
    parser.add_argument("--language", default="")
    parser.add_argument("--author", default="")
    args = parser.parse_args(argv)
    merged = TaggedMerge()
    for part in args.parts:
        # The copied pages read their content from the part until the file is saved;
        # a part in memory, as qpdf reads a Python file object a few bytes at a time.
        with open(part, "rb") as handle:
            merged.add_merge(pikepdf.open(io.BytesIO(handle.read())))
    with open(args.output, "wb") as output:
        merged.save(output, title=args.title, language=args.language, author=args.author)


if __name__ == "__main__":
    sys.exit(main())
