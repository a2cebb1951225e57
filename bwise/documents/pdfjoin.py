"""Joining tagged PDFs into one, kept free of Django: the join of a bulk print runs as a
process of its own (``python pdfjoin.py OUT PART...``, see ``merging.join_parts``).

A merged PDF stays a tagged PDF/UA-1 file, like each document in it: every document's
structure tree goes under one ``Document`` element (a ``Part`` per document), and the parent
tree that ties each page's marked content to its elements is renumbered, which a
page-by-page merge (pypdf's) drops. ``TaggedMerge`` does this in memory for the documents of
one chunk; ``StreamingJoin`` writes the chunks' files one after the other, so that joining
1,000 documents holds one chunk at a time (qpdf keeps about a quarter of a megabyte per
document in memory until it saves a file).
"""

import argparse
import secrets
import struct
import sys
import zlib
from decimal import Decimal

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

    def save(self, spool) -> None:
        """The chunk's part file: what ``StreamingJoin`` reads (the pages, the structure
        tree and a bookmark per document); the joined file gets the rest."""
        self.tree.ParentTree = Dictionary(Nums=Array(self.parent_tree))
        self.tree.ParentTreeNextKey = self.next_key
        self.pdf.Root.StructTreeRoot = self.tree
        with self.pdf.open_outline() as outline:
            outline.root.extend(OutlineItem(bookmark, page) for bookmark, page in self.bookmarks)
        # Object streams: the structure tree is thousands of small objects.
        self.pdf.save(spool, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def _number_tree(node):
    """The (key, value) pairs of a PDF number tree, flat or with kids."""
    nums = node.get(Name.Nums, [])
    for index in range(0, len(nums), 2):
        yield int(nums[index]), nums[index + 1]
    for kid in node.get(Name.Kids, []):
        yield from _number_tree(kid)


# Objects per object stream: qpdf's own default.
OBJECTS_PER_STREAM = 100


class StreamingJoin:
    """Merged parts (each a ``TaggedMerge``'s file) written one after the other into one
    tagged PDF, so that only one part is in memory at a time however many there are.

    Each part's objects are written as they are, renumbered, with its pages under one page
    tree, its ``Part`` elements under one ``Document`` element and its structure parents
    shifted past the parts before it; the page tree, the structure tree's root, the parent
    tree, the bookmarks and the catalog are written last, from numbers kept on the way."""

    def __init__(self, output):
        self.output = output
        self.position = 0
        # Per object: (1, offset, 0) written at an offset, (2, stream, index) in an object stream.
        self.offsets: list[tuple[int, int, int] | None] = []
        self.batch: list[tuple[int, bytes]] = []
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.pages_root, self.document, self.tree_root = self._new(), self._new(), self._new()
        self.pages: list[int] = []
        self.parts: list[int] = []
        self.parent_tree: list[bytes] = []
        self.next_key = 0
        self.bookmarks: list[tuple[str, int]] = []
        self.mappings: dict[str, dict[str, bytes]] = {"/RoleMap": {}, "/ClassMap": {}}

    def add(self, source: pikepdf.Pdf) -> None:
        root = source.Root
        tree = root.StructTreeRoot
        top = tree.K
        (document,) = list(top) if isinstance(top, Array) else [top]
        numbers = {tree.objgen: self.tree_root, document.objgen: self.document}
        self._map_page_tree(root.Pages, numbers)
        pending: list = []
        offset = self.next_key

        def number(obj) -> int:
            if obj.objgen not in numbers:
                numbers[obj.objgen] = self._new()
                pending.append(obj)
            return numbers[obj.objgen]

        def unparse(obj) -> bytes:
            if isinstance(obj, bool):
                return b"true" if obj else b"false"
            if isinstance(obj, int):
                return b"%d" % obj
            if isinstance(obj, Decimal | float):
                return f"{Decimal(obj):f}".encode()
            if obj is None:
                return b"null"
            if obj.is_indirect:
                return b"%d 0 R" % number(obj)
            return body(obj)

        def body(obj) -> bytes:
            if isinstance(obj, pikepdf.Array):
                return b"[" + b" ".join(unparse(item) for item in obj) + b"]"
            if isinstance(obj, pikepdf.Dictionary):
                return entries(obj.items())
            return obj.unparse()

        def entries(items, extra: bytes = b"") -> bytes:
            written = []
            for key, value in items:
                if key in ("/StructParents", "/StructParent"):
                    value = int(value) + offset
                written.append(Name(key).unparse() + b" " + unparse(value))
            return b"<< " + b" ".join(written) + extra + b" >>"

        def stream(obj) -> bytes:
            raw = obj.read_raw_bytes()
            items = [(key, value) for key, value in obj.stream_dict.items() if key != "/Length"]
            return entries(items, b" /Length %d" % len(raw)) + b"\nstream\n" + raw + b"\nendstream"

        self.pages += [number(page.obj) for page in source.pages]
        parts = document.K
        self.parts += [number(part) for part in (parts if isinstance(parts, Array) else [parts])]
        keys = []
        for key, value in _number_tree(tree.ParentTree):
            keys.append(key)
            self.parent_tree.append(b"%d %s" % (key + offset, unparse(value)))
        self.next_key = offset + max(int(tree.get(Name.ParentTreeNextKey, 0)), max(keys, default=-1) + 1)
        for mapping, kept in self.mappings.items():
            for key, value in tree.get(mapping, Dictionary()).items():
                kept[key] = unparse(value)
        with source.open_outline() as outline:
            self.bookmarks += [(item.title, number(item.destination[0])) for item in outline.root]
        while pending:
            obj = pending.pop()
            if isinstance(obj, pikepdf.Stream):
                self._object(numbers[obj.objgen], stream(obj))
            else:
                self._packed(numbers[obj.objgen], body(obj))
        source.close()

    def finish(self, *, title: str = "", language: str = "", author: str = "") -> None:
        def refs(numbers) -> bytes:
            return b" ".join(b"%d 0 R" % number for number in numbers)

        self._object(
            self.pages_root, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs(self.pages), len(self.pages))
        )
        self._object(
            self.document,
            b"<< /Type /StructElem /S /Document /P %d 0 R /K [%s] >>" % (self.tree_root, refs(self.parts)),
        )
        mappings = b"".join(
            b" %s << %s >>"
            % (Name(mapping).unparse(), b" ".join(Name(k).unparse() + b" " + v for k, v in kept.items()))
            for mapping, kept in self.mappings.items()
            if kept
        )
        self._object(
            self.tree_root,
            b"<< /Type /StructTreeRoot /K [%d 0 R] /ParentTree << /Nums [%s] >> /ParentTreeNextKey %d%s >>"
            % (self.document, b" ".join(self.parent_tree), self.next_key, mappings),
        )
        outlines = self._new()
        items = [self._new() for _ in self.bookmarks]
        for index, (bookmark, page) in enumerate(self.bookmarks):
            links = b"".join(
                b" /%s %d 0 R" % (name, items[other])
                for name, other in ((b"Prev", index - 1), (b"Next", index + 1))
                if 0 <= other < len(items)
            )
            self._object(
                items[index],
                b"<< /Title %s /Parent %d 0 R /Dest [%d 0 R /Fit]%s >>"
                % (pikepdf.String(bookmark).unparse(), outlines, page, links),
            )
        if items:
            self._object(
                outlines,
                b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
                % (items[0], items[-1], len(items)),
            )
        else:
            self._object(outlines, b"<< /Type /Outlines /Count 0 >>")
        metadata = self._new()
        xmp = _xmp(title=title, author=author)
        self._object(
            metadata,
            b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream" % (len(xmp), xmp),
        )
        info = self._new()
        self._object(
            info,
            b"<< /Title %s /Author %s >>"
            % (pikepdf.String(title).unparse(), pikepdf.String(author).unparse()),
        )
        catalog = self._new()
        lang = b" /Lang %s" % pikepdf.String(language).unparse() if language else b""
        self._object(
            catalog,
            b"<< /Type /Catalog /Pages %d 0 R /StructTreeRoot %d 0 R /MarkInfo << /Marked true >>"
            b" /ViewerPreferences << /DisplayDocTitle true >> /PageMode /UseOutlines /Outlines %d 0 R"
            b" /Metadata %d 0 R%s >>" % (self.pages_root, self.tree_root, outlines, metadata, lang),
        )
        self._flush()
        # A cross-reference stream, as objects in object streams need: per object its kind
        # (0 free, 1 at an offset, 2 in an object stream), where, and its generation or index.
        xref = self._new()
        self.offsets[xref - 1] = (1, self.position, 0)
        rows = [struct.pack(">BIH", 0, 0, 65535)] + [struct.pack(">BIH", *entry) for entry in self.offsets]
        data = zlib.compress(b"".join(rows))
        identifier = secrets.token_hex(16).encode()
        self._write(
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>]"
            b" /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
            % (
                xref,
                len(self.offsets) + 1,
                catalog,
                info,
                identifier,
                identifier,
                len(data),
                data,
                self.offsets[xref - 1][1],
            )
        )

    def _map_page_tree(self, node, numbers: dict) -> None:
        numbers[node.objgen] = self.pages_root
        for kid in node.get(Name.Kids, []):
            if kid.get(Name.Type) == Name.Pages:
                self._map_page_tree(kid, numbers)

    def _new(self) -> int:
        self.offsets.append(None)
        return len(self.offsets)

    def _object(self, number: int, body: bytes) -> None:
        self.offsets[number - 1] = (1, self.position, 0)
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def _packed(self, number: int, body: bytes) -> None:
        """An object kept for the next object stream: the structure tree is many small
        objects, which compress well together (as qpdf's own object streams do)."""
        self.batch.append((number, body))
        if len(self.batch) >= OBJECTS_PER_STREAM:
            self._flush()

    def _flush(self) -> None:
        if not self.batch:
            return
        holder = self._new()
        header, bodies, position = [], [], 0
        for index, (number, body) in enumerate(self.batch):
            header.append(b"%d %d" % (number, position))
            bodies.append(body)
            position += len(body) + 1
            self.offsets[number - 1] = (2, holder, index)
        first = b" ".join(header) + b"\n"
        data = zlib.compress(first + b"\n".join(bodies) + b"\n")
        self._object(
            holder,
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (len(self.batch), len(first), len(data), data),
        )
        self.batch = []

    def _write(self, data: bytes) -> None:
        self.output.write(data)
        self.position += len(data)


def _xmp(*, title: str, author: str) -> bytes:
    """The joined file's XMP (PDF/UA-1, its title and author), as pikepdf writes it."""
    with pikepdf.new() as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as metadata:
            metadata["pdfuaid:part"] = "1"
            if title:
                metadata["dc:title"] = title
            if author:
                metadata["dc:creator"] = [author]
        return pdf.Root.Metadata.read_bytes()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Join tagged PDFs (each a merged part) into one.")
    parser.add_argument("output")
    parser.add_argument("parts", nargs="+")
    parser.add_argument("--title", default="")
    parser.add_argument("--language", default="")
    parser.add_argument("--author", default="")
    args = parser.parse_args(argv)
    with open(args.output, "wb") as output:
        joined = StreamingJoin(output)
        for part in args.parts:
            joined.add(pikepdf.open(part))
        joined.finish(title=args.title, language=args.language, author=args.author)


if __name__ == "__main__":
    sys.exit(main())
