"""Documents fit to hand over, sign and read with assistive technology: every kind, and a
bulk print of many joined into one file, is a tagged PDF/UA-1 file with title, language and
author, dates in one Belgian format (in English documents too), signature blocks, and file
names that say what and whom."""

import io
import re

import pikepdf
import pytest
from django.utils import translation

from bwise.accounts.models import Role
from bwise.documents import registry, services
from bwise.documents.models import JobStatus
from bwise.documents.rendering import render_pdf
from tests.documents_helpers import pdf_text, run_bulk
from tests.factories import UserFactory, WorkerFactory
from tests.factories_documents import rich_history
from tests.factories_partners import CurriculumVitaeFactory, MotivationLetterFactory, StageFactory

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
BELGIAN_DATE = re.compile(r"\b\d{2}-\d{2}-\d{4}\b")


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker):
    """One document of each registered kind, rendered once for the whole module."""
    with django_db_blocker.unblock():
        from django.db import transaction

        from bwise.accounts.models import Organisation

        with transaction.atomic():
            organisation = Organisation.objects.create(
                name="Kringwinkel Zuid", wise_type="productive", region="limburg"
            )
            coach = UserFactory(
                organisation=organisation, first_name="Lotte", last_name="Peeters", roles=[Role.COACH]
            )
            worker = WorkerFactory(
                organisation=organisation, coach=coach, first_name="Francine", last_name="Put"
            )
            trajectory, plan = rich_history(worker, actions=3, moments=2)
            plan.agreed_by_worker_on = plan.agreed_on
            plan.save()
            stage = StageFactory(worker=worker, trajectory=trajectory)
            records = {
                "trajects.Worker": worker,
                "trajects.Trajectory": trajectory,
                "competenties.Plan": plan,
                "partners.Stage": stage,
                "partners.Partner": stage.partner,
                "accounts.Organisation": organisation,
                "partners.CurriculumVitae": CurriculumVitaeFactory(worker=worker),
                "partners.MotivationLetter": MotivationLetterFactory(worker=worker),
            }
            result = {}
            for kind in registry.all_kinds():
                record = records[kind.model]
                if getattr(kind, "stage_kind", "") and record.kind != kind.stage_kind:
                    # An agreement is printed only for its own kind of stage.
                    record = StageFactory(worker=worker, trajectory=trajectory, kind=kind.stage_kind)
                result[kind.key] = (
                    kind,
                    record,
                    render_pdf(kind, record, organisation=organisation, language="en", reader=coach),
                )
            transaction.set_rollback(True)
        return result


def test_every_kind_is_registered_with_a_record_here(printed):
    assert set(printed) == {kind.key for kind in registry.all_kinds()}


@pytest.mark.parametrize("key", [kind.key for kind in registry.all_kinds()])
def test_every_kind_is_a_tagged_pdf_ua_file_with_title_language_and_author(printed, key):
    kind, record, pdf = printed[key]
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert "/StructTreeRoot" in root and len(root.StructTreeRoot.K) > 0
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "en"
        assert root.ViewerPreferences.DisplayDocTitle
        with translation.override("en"):
            assert str(document.docinfo["/Title"]) == kind.title(record)
        assert str(document.docinfo["/Author"]) == "Kringwinkel Zuid"
        assert document.open_metadata().get("pdfuaid:part") == "1"
    text = pdf_text(pdf)
    assert not ISO_DATE.search(text), ISO_DATE.search(text)
    assert BELGIAN_DATE.search(text)


def test_a_pop_is_titled_and_named_after_what_and_whom(printed):
    kind, plan, _pdf = printed["plan"]
    assert kind.title(plan) == "POP 2026 – Francine Put"
    assert kind.file_name(plan) == "POP-2026-Put-Francine.pdf"


def test_file_names_are_ascii_whatever_the_name():
    assert registry.file_stem("Intakeverslag", "Çelik-Öztürk", "Zoë Marie") == (
        "Intakeverslag-Celik-Ozturk-Zoe-Marie"
    )
    assert registry.file_stem("", "/../") == "document"


def test_the_plan_signs_a_line_per_signer_with_the_date_agreed_in_the_product(printed):
    text = " ".join(pdf_text(printed["plan"][2]).split())
    assert "Worker Francine Put Agreed in B-WISE on 10-02-2026" in text
    assert text.count("Date and signature") == 2
    assert "Drawn up at" not in text


def test_an_agreement_says_where_when_and_in_how_many_copies(printed):
    bvs = " ".join(pdf_text(printed["bvs_agreement"][2]).split())
    assert "on 01-04-2026 in 3 copies, one for each party" in bvs
    assert bvs.count("Date and signature") == 3
    commitment = " ".join(pdf_text(printed["commitment_statement"][2]).split())
    assert "in 2 copies" in commitment
    assert "Agreed in B-WISE on 03-02-2026" in commitment


def _elements(node):
    """Every structure element under ``node``, depth first."""
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from _elements(kid)


def _parent_tree(tree) -> dict:
    nums = tree.ParentTree.Nums
    return {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}


def assert_tagged_pdf_ua(document, *, title: str, language: str, author: str) -> None:
    """Tagged as PDF/UA-1 asks, with the whole of the file under the structure tree: every
    page's marked content and every link leads to elements that are on that page."""
    root = document.Root
    assert bool(root.MarkInfo.Marked) is True and root.ViewerPreferences.DisplayDocTitle
    assert (str(root.Lang), str(document.docinfo["/Title"]), str(document.docinfo["/Author"])) == (
        language,
        title,
        author,
    )
    metadata = document.open_metadata()
    assert (metadata.get("pdfuaid:part"), metadata.get("dc:title")) == ("1", title)
    tree = root.StructTreeRoot
    elements = list(_elements(tree))
    on_pages = {element.Pg.objgen for element in elements if "/Pg" in element}
    assert on_pages == {page.obj.objgen for page in document.pages}, "every page is in the tree"
    parents = _parent_tree(tree)
    assert len(parents) == int(tree.ParentTreeNextKey)
    for page in document.pages:
        assert all(e.Pg.objgen == page.obj.objgen for e in parents[int(page.obj.StructParents)])
        for link in page.obj.get("/Annots", []):
            owner = parents[int(link.StructParent)]
            assert any(kid.get("/Obj") == link for kid in owner.K if isinstance(kid, pikepdf.Dictionary))


def test_a_bulk_pdf_joined_from_chunks_is_one_tagged_pdf_ua_file_with_a_bookmark_per_worker(hr, settings):
    settings.DOCUMENT_BULK_CHUNK_SIZE = 2
    names = [("Francine", "Put"), ("Zoë", "Çelik"), ("Jan", "Peeters")]
    workers = [WorkerFactory(organisation=hr.organisation, first_name=a, last_name=b) for a, b in names]
    with translation.override("en"):
        job = services.bulk_document_request(
            kind="worker_sheet", record_ids=[w.pk for w in workers], output_format="pdf", by=hr
        )
    run_bulk(job.pk)
    job.refresh_from_db()
    assert (job.status, job.chunk_count) == (JobStatus.DONE, 2), job.error
    with pikepdf.open(io.BytesIO(job.file.read())) as document:
        assert_tagged_pdf_ua(
            document, title="Worker summary sheet – 3 documents", language="en", author=hr.organisation.name
        )
        (whole,) = document.Root.StructTreeRoot.K
        assert whole.S == "/Document" and [str(part.S) for part in whole.K] == ["/Part"] * 3
        with document.open_outline() as outline:
            bookmarks = [(item.title, pikepdf.Page(item.destination[0]).index) for item in outline.root]
        starts = [min(pikepdf.Page(e.Pg).index for e in _elements(part) if "/Pg" in e) for part in whole.K]
    assert [title for title, _page in bookmarks] == ["Francine Put", "Zoë Çelik", "Jan Peeters"]
    assert [page for _title, page in bookmarks] == starts, "each bookmark opens its worker's part"


def test_merging_keeps_links_tied_to_their_elements(tmp_path):
    """Links are annotations with a structure parent of their own: renumbered with the pages."""
    from django.core.files.storage import FileSystemStorage

    from bwise.core.pdf import html_to_pdf
    from bwise.documents import merging

    def document(number):
        return html_to_pdf(
            f'<html lang="en"><title>{number}</title><h1>{number}</h1><p><a href="https://e.be/{number}">'
            f'link</a></p><p style="break-before: page"><a href="https://e.be/">back</a></p></html>'
        )

    storage = FileSystemStorage(tmp_path)
    parts = [
        merging.write_part(storage, f"part-{index}", "pdf", [(f"W{n}", "", document(n)) for n in numbers])
        for index, numbers in enumerate([(1, 2), (3,)])
    ]
    joined = merging.join_parts(storage, parts, "all.pdf", "pdf", title="All", language="en", author="Org")
    with pikepdf.open(storage.path(joined)) as merged:
        # qpdf's own check: the join writes the file itself, object by object.
        assert merged.check_pdf_syntax() == []
        assert len(merged.pages) == 6 and sum(len(page.obj.Annots) for page in merged.pages) == 6
        assert_tagged_pdf_ua(merged, title="All", language="en", author="Org")
