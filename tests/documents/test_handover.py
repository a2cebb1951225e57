"""Documents fit to hand over, sign and read with assistive technology: every kind is a
tagged PDF/UA-1 file with title, language and author, dates in one Belgian format
(in English documents too),
signature blocks, and file names that say what and whom."""

import io
import re

import pikepdf
import pytest
from django.utils import translation

from bwise.accounts.models import Role
from bwise.documents import registry
from bwise.documents.rendering import render_pdf
from tests.documents_helpers import pdf_text
from tests.factories import UserFactory, WorkerFactory
from tests.factories_documents import rich_history
from tests.factories_partners import StageFactory

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
