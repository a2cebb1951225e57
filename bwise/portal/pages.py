"""THE list of the worker's pages: the home page's tiles and the shell's menu come from here.

A page added for the worker (docs/worker-portal.md) is one entry here, a view decorated
with ``bwise.portal.session.worker_page`` and a template that extends
``portal/base_worker.html``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class WorkerPage:
    url_name: str
    # A Lucide icon in static/vendor/lucide/ (``{% icon %}``).
    icon: str
    label: str
    # One short sentence in easy language under the tile.
    hint: str


PAGES: tuple[WorkerPage, ...] = (
    WorkerPage("portal:plan", "list-checks", _("My plan"), _("What do I want to learn?")),
    WorkerPage("portal:self_assessments", "star", _("My self-assessment"), _("What can I do well?")),
    WorkerPage(
        "portal:intake",
        "message-circle-question-mark",
        _("Questions about me"),
        _("What did I do, and what do I want?"),
    ),
    WorkerPage("portal:stoefboek", "trophy", _("My stoefboek"), _("What am I proud of?")),
    WorkerPage(
        "portal:sign",
        "signature",
        pgettext_lazy("worker page", "Sign"),
        _("Do I agree with my plan and our agreements?"),
    ),
    WorkerPage("portal:cv", "file-user", _("My CV and letter"), _("How do I apply for a job?")),
    WorkerPage("portal:passport", "id-card", _("My passport"), _("What do I show an employer?")),
    WorkerPage("portal:appointments", "calendar", _("My appointments"), _("When do I have to be there?")),
)
