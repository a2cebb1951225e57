import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from bwise.documents.models import BulkDocumentJob, BulkFormat, DocumentJob, JobStatus
from bwise.reminders.models import Reminder
from tests.factories import UserFactory, WorkerFactory


class DocumentJobFactory(DjangoModelFactory):
    class Meta:
        model = DocumentJob

    class Params:
        worker = factory.SubFactory(WorkerFactory)

    organisation = factory.SelfAttribute("worker.organisation")
    requested_by = factory.SelfAttribute("worker.coach")
    kind = "worker_sheet"
    record_model = "trajects.Worker"
    record_id = factory.SelfAttribute("worker.pk")
    language = "en"


class DoneDocumentJobFactory(DocumentJobFactory):
    status = JobStatus.DONE
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="document.pdf"))


class BulkDocumentJobFactory(DjangoModelFactory):
    class Meta:
        model = BulkDocumentJob

    class Params:
        worker = factory.SubFactory(WorkerFactory)

    organisation = factory.SelfAttribute("worker.organisation")
    requested_by = factory.SelfAttribute("worker.coach")
    kind = "worker_sheet"
    record_model = "trajects.Worker"
    record_ids = factory.LazyAttribute(lambda job: [job.worker.pk])
    output_format = BulkFormat.PDF
    language = "en"
    status = JobStatus.DONE
    done_count = 1
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="document.pdf"))


class ReminderFactory(DjangoModelFactory):
    class Meta:
        model = Reminder

    recipient = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("recipient.organisation")
    key = factory.Sequence(lambda n: f"test:reminder:{n}")
    kind = "test"
    title = factory.Sequence(lambda n: f"Something due {n}")
    due_date = factory.Faker("date_this_month")
    url = "/workers/"
