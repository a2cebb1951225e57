"""The worker's own pages (``/me/``): sign-in with the card and the PIN, the home page,
Mijn plan, Mijn zelfbeoordeling, Vragen over mij, Mijn afspraken, Mijn stoefboek, Tekenen,
Mijn paspoort, the calendar feed and "Stoppen".

Every page but the sign-in and the feed is a ``worker_page``: it reads through
``bwise.portal.selectors`` for the signed-in worker only, and no response is kept by the
browser (``Cache-Control: no-store``)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from bwise.core.errors import DomainError
from bwise.core.views_mixins import apply_domain_error
from bwise.portal import selectors, services
from bwise.portal import session as worker_session
from bwise.portal.forms import (
    ChoosePinForm,
    CodeForm,
    CvForm,
    IntakeAnswerForm,
    LetterForm,
    LetterJobForm,
    PassportShareForm,
    PinForm,
    ProgressForm,
    StoefboekForm,
)
from bwise.portal.pages import PAGES
from bwise.portal.session import no_store, worker_page
from bwise.reminders import ical
from competenties import services_passport
from competenties.models import Passport
from competenties.services import round_self_rating_submit
from partners.models import CV_WORKER_FIELDS
from trajects.models import Worker

# The four levels of a behaviour, as the worker says them, with their pictogram.
LEVELS = (
    (1, "frown", gettext_lazy("I cannot do that yet.")),
    (2, "meh", gettext_lazy("I can do that sometimes.")),
    (3, "smile", gettext_lazy("I can usually do that.")),
    (4, "laugh", gettext_lazy("I can always do that well.")),
)
_ANSWERS_KEY = "portal_answers_{}"
_FEED_KEY = "portal_feed_token"
_PASSPORT_LINK_KEY = "portal_passport_link"


def _render(request, template, context=None):
    context = {"pages": PAGES, "idle_seconds": worker_session.idle_seconds(), **(context or {})}
    return render(request, template, context)


def _code_step(request, start, template):
    if worker_session.current(request) is not None:
        return no_store(redirect("portal:home"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            card = start(code=form.cleaned_data["code"].strip())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            worker_session.remember_pending(request, card)
            return no_store(redirect("portal:pin"))
    context = {"form": form, "ended": request.GET.get("ended") == "1"}
    return no_store(render(request, template, context))


@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Step one: the code of the card, which the QR code carries after ``#`` (it never
    reaches a server log as part of the address) and the page's script fills in."""
    return _code_step(request, services.card_start, "portal/sign_in.html")


@require_http_methods(["GET", "POST"])
def link_sign_in(request):
    """Step one by the e-mailed link: its one-time code travels after ``#`` as the card's
    does; the worker taps "Verder" and comes to the card's PIN step."""
    return _code_step(request, services.link_start, "portal/link.html")


@require_http_methods(["GET", "POST"])
def pin(request):
    """Step two: the PIN, chosen at the card's first use and typed in after that."""
    card = worker_session.pending_card(request)
    if card is None:
        return no_store(redirect("portal:sign_in"))
    choosing = not card.pin_hash
    form = (ChoosePinForm if choosing else PinForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if choosing:
                signed_in = services.card_pin_choose(card=card, pin=data["pin"], repeat=data["repeat"])
            else:
                signed_in = services.card_pin_check(card=card, pin=data["pin"])
        except DomainError as error:
            apply_domain_error(form, error)
            if error.code in ("card_locked", "card_revoked"):
                worker_session.end(request)
        else:
            worker_session.begin(request, signed_in)
            return no_store(redirect("portal:home"))
    return no_store(render(request, "portal/pin.html", {"form": form, "choosing": choosing}))


@require_POST
def logout(request):
    """ "Stoppen", or the page's timer after a few minutes without activity: the session ends
    and the browser is told to forget this site's cache, cookies and storage."""
    worker_session.end(request)
    response = render(request, "portal/goodbye.html", {"idle": request.POST.get("reason") == "idle"})
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return no_store(response)


@worker_page
def home(request):
    session = request.worker_session
    return _render(
        request,
        "portal/home.html",
        {"me": selectors.me(session), "open_rounds": len(selectors.open_self_assessments(session))},
    )


@worker_page
def plan(request):
    return _render(
        request,
        "portal/plan.html",
        {"plan": selectors.current_plan(request.worker_session), "done_labels": selectors.DONE_LABELS},
    )


@worker_page
@require_POST
def plan_progress(request, planaction_pk):
    action = selectors.plan_action(request.worker_session, planaction_pk)
    if action is None:
        raise Http404
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how far you are."))
    else:
        try:
            services.plan_progress_record(
                session=request.worker_session,
                action=action,
                done=form.cleaned_data["done"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved. Your coach sees it."))
    return redirect(f"{reverse('portal:plan')}#action-{planaction_pk}")


@worker_page
def self_assessments(request):
    return _render(
        request,
        "portal/self_assessments.html",
        {"rounds": selectors.open_self_assessments(request.worker_session)},
    )


def _step(request, count: int) -> int:
    try:
        step = int(request.GET.get("step", "0"))
    except ValueError:
        step = 0
    return min(max(step, 0), count)


@worker_page
@require_http_methods(["GET", "POST"])
def self_assessment(request, measurementround_pk):
    """One behaviour per screen; the answers wait in the session until the worker sends
    them all (and are gone with it when the worker stops halfway)."""
    found = selectors.self_assessment(request.worker_session, measurementround_pk)
    if found is None:
        raise Http404
    here = reverse("portal:self_assessment", kwargs={"measurementround_pk": measurementround_pk})
    key = _ANSWERS_KEY.format(measurementround_pk)
    answers: dict = request.session.get(key, {})
    questions = found.questions
    if request.method == "POST":
        if request.POST.get("send"):
            try:
                round_self_rating_submit(
                    measurement_round=found.record,
                    session=request.worker_session,
                    levels={int(pk): level for pk, level in answers.items()},
                )
            except DomainError as error:
                messages.error(request, error.message)
                return redirect(f"{here}?step={len(questions)}")
            request.session.pop(key, None)
            messages.success(request, _("Thank you! Your coach sees your answers."))
            return redirect("portal:self_assessments")
        step = _step(request, len(questions) - 1) if questions else 0
        indicator = request.POST.get("indicator", "")
        level = request.POST.get("level", "")
        if indicator.isdigit() and int(indicator) in {q.indicator_pk for q in questions}:
            answers[indicator] = int(level) if level in ("1", "2", "3", "4") else None
            request.session[key] = answers
            step = next(i for i, q in enumerate(questions) if q.indicator_pk == int(indicator)) + 1
        return redirect(f"{here}?step={step}")
    step = _step(request, len(questions))
    question = questions[step] if step < len(questions) else None
    chosen = answers.get(str(question.indicator_pk)) if question else None
    return _render(
        request,
        "portal/self_assessment.html",
        {
            "found": found,
            "question": question,
            "step": step,
            "number": step + 1,
            "count": len(questions),
            "levels": LEVELS,
            "chosen": chosen,
            "answered": sum(1 for level in answers.values() if level is not None),
            "here": here,
        },
    )


@worker_page
@require_http_methods(["GET", "POST"])
def intake(request):
    """Vragen over mij: one intake question per screen, as the self-assessment asks. Each
    answer is saved when the worker goes on or back (the session may end after a few idle
    minutes, the answers do not); the last screen shows them all and sends them."""
    session = request.worker_session
    mine = selectors.my_intake(session)
    here = reverse("portal:intake")
    if mine is None or not mine.open:
        if request.method == "POST":
            return redirect(here)
        return _render(request, "portal/intake.html", {"mine": mine})
    count = len(mine.questions)
    if request.method == "POST" and request.POST.get("send"):
        try:
            services.intake_answers_send(session=session)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(f"{here}?step={count}")
        messages.success(request, _("Thank you! Your coach sees your answers."))
        return redirect(here)
    step = _step(request, count)
    question = mine.questions[step] if step < count else None
    form = None
    if question is not None:
        form = IntakeAnswerForm(
            request.POST if request.method == "POST" else None,
            initial={"answer": question.answer},
            question=question.question,
        )
    if request.method == "POST":
        if form is None:
            return redirect(f"{here}?step={count}")
        if form.is_valid():
            try:
                services.intake_answer_save(
                    session=session, name=question.name, text=form.cleaned_data["answer"]
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                target = step - 1 if request.POST.get("go") == "back" else step + 1
                return redirect(f"{here}?step={min(max(target, 0), count)}")
    return _render(
        request,
        "portal/intake.html",
        {
            "mine": mine,
            "question": question,
            "form": form,
            "step": step,
            "number": step + 1,
            "count": count,
            "here": here,
        },
    )


@worker_page
def appointments(request):
    token = request.session.pop(_FEED_KEY, None)
    feed_url = ""
    if token:
        feed_url = request.build_absolute_uri(reverse("portal:feed", kwargs={"token": token}))
    return _render(
        request,
        "portal/appointments.html",
        {"appointments": selectors.appointments(request.worker_session), "feed_url": feed_url},
    )


@worker_page
@require_POST
def feed_link(request):
    try:
        request.session[_FEED_KEY] = services.feed_link_create(session=request.worker_session)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{reverse('portal:appointments')}#calendar")


def feed(request, token):
    """The worker's appointments for a calendar app: the secret link is the only
    credential (a calendar app cannot sign in); an unknown or revoked link is a 404."""
    card = services.card_for_feed(token)
    if card is None:
        raise Http404
    session = services.feed_session(card)
    events = [
        ical.CalendarEvent(
            uid=item.uid,
            day=item.day,
            last_day=item.last_day,
            summary=f"{item.title}: {item.detail}" if item.detail else item.title,
        )
        for item in selectors.appointments(session)
    ]
    body = ical.calendar(
        events,
        name=_("My appointments"),
        base_url=f"{request.scheme}://{request.get_host()}",
        host=request.get_host().split(":")[0],
    )
    return no_store(HttpResponse(body, content_type="text/calendar; charset=utf-8"))


# --- Mijn stoefboek -----------------------------------------------------------------------


@worker_page
@require_http_methods(["GET", "POST"])
def stoefboek(request):
    session = request.worker_session
    form = StoefboekForm(
        request.POST or None, request.FILES or None, choices=selectors.competency_choices(session)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.stoefboek_add(
                session=session, text=data["text"], competency_pks=data["competencies"], photo=data["photo"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved in your stoefboek. Your coach sees it."))
            return redirect("portal:stoefboek")
    return _render(request, "portal/stoefboek.html", {"book": selectors.stoefboek(session), "form": form})


@worker_page
@require_http_methods(["GET", "POST"])
def stoefboek_edit(request, achievement_pk):
    session = request.worker_session
    item = selectors.stoefboek_item(session, achievement_pk)
    if item is None:
        raise Http404
    initial = {"text": item.text, "competencies": item.competency_pks}
    form = StoefboekForm(
        request.POST or None, initial=initial, choices=selectors.competency_choices(session), with_photo=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.stoefboek_edit(
                session=session,
                achievement_pk=achievement_pk,
                text=form.cleaned_data["text"],
                competency_pks=form.cleaned_data["competencies"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved. Your coach sees it."))
            return redirect("portal:stoefboek")
    return _render(request, "portal/stoefboek_edit.html", {"item": item, "form": form})


@worker_page
@require_POST
def stoefboek_delete(request, achievement_pk):
    if selectors.stoefboek_item(request.worker_session, achievement_pk) is None:
        raise Http404
    try:
        services.stoefboek_delete(session=request.worker_session, achievement_pk=achievement_pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed from your stoefboek."))
    return redirect("portal:stoefboek")


# --- Tekenen ------------------------------------------------------------------------------


@worker_page
def sign(request):
    """The documents that wait for the worker's signature: the running plan and the
    commitment statement of the intake."""
    session = request.worker_session
    return _render(
        request,
        "portal/sign.html",
        {"plan": selectors.plan_to_sign(session), "commitment": selectors.commitment_to_sign(session)},
    )


def _signed(request, service, **record_pk):
    try:
        service(session=request.worker_session, image=request.POST.get("image", ""), **record_pk)
    except DomainError as error:
        if error.code == "not_own":
            raise Http404 from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("Signed. Thank you!"))
    return redirect("portal:sign")


@worker_page
@require_POST
def plan_sign(request, plan_pk):
    return _signed(request, services.plan_sign, plan_pk=plan_pk)


@worker_page
@require_POST
def commitment_sign(request, trajectory_pk):
    return _signed(request, services.commitment_sign, trajectory_pk=trajectory_pk)


# --- Mijn paspoort ------------------------------------------------------------------------


@worker_page
@require_http_methods(["GET", "POST"])
def passport(request):
    """The worker shares chosen items through the same service as the coach; the new link is
    shown once, right after it was made (only its hash is kept)."""
    session = request.worker_session
    groups = selectors.passport_groups(session)
    form = PassportShareForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            shared, token = services_passport.passport_create(
                worker=Worker.objects.visible_to(session).get(),
                recipient=form.cleaned_data["recipient"],
                days=form.cleaned_data["days"],
                items=form.chosen_items(),
                by=session,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            link = request.build_absolute_uri(
                reverse("competenties:passport_public", kwargs={"token": token})
            )
            request.session[_PASSPORT_LINK_KEY] = {"recipient": shared.recipient, "link": link}
            return redirect(f"{reverse('portal:passport')}#passport-new")
    return _render(
        request,
        "portal/passport.html",
        {
            "form": form,
            "groups": groups,
            "chosen": form["items"].value() or [],
            "passports": selectors.my_passports(session),
            "new_link": request.session.pop(_PASSPORT_LINK_KEY, None),
        },
    )


@worker_page
@require_POST
def passport_revoke(request, passport_pk):
    session = request.worker_session
    shared = Passport.objects.visible_to(session).select_related("worker").filter(pk=passport_pk).first()
    if shared is None:
        raise Http404
    try:
        services_passport.passport_revoke(passport=shared, by=session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The link is stopped. Nobody can open it any more."))
    return redirect("portal:passport")


# --- Mijn cv en brief ---------------------------------------------------------------------


def _save_refused(request, form, error: DomainError, version: int | None) -> None:
    """Show the refusal on the form, which keeps what the worker typed. When the coach saved
    in between, the form takes the new version: the worker reads the message and saves again."""
    if error.code == "stale":
        form.add_error(None, _("Your coach changed this in the meantime. Check your text and save again."))
        if version is not None:
            form.data = form.data.copy()
            form.data["version"] = version
    else:
        apply_domain_error(form, error)


def _pdf(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return no_store(response)


@worker_page
@require_http_methods(["GET", "POST"])
def cv(request):
    session = request.worker_session
    mine = selectors.my_cv(session)
    if mine is None:
        if request.method == "POST":
            return redirect("portal:cv")
        return _render(request, "portal/cv.html", {"mine": None, "letters": selectors.my_letters(session)})
    initial = {name: getattr(mine.cv, name) for name in CV_WORKER_FIELDS}
    form = CvForm(request.POST or None, initial={**initial, "version": mine.version})
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Something is not right. Look at the red text."))
        else:
            try:
                services.cv_write(
                    session=session, texts=form.cleaned_data, version=form.cleaned_data["version"]
                )
            except DomainError as error:
                _save_refused(request, form, error, mine.version)
            else:
                messages.success(request, _("Saved. Your coach sees it."))
                return redirect("portal:cv")
    context = {"mine": mine, "form": form, "letters": selectors.my_letters(session)}
    return _render(request, "portal/cv.html", context)


@worker_page
@require_POST
def cv_start(request):
    try:
        services.cv_start(session=request.worker_session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your CV is ready. Read it and write the rest in your own words."))
    return redirect("portal:cv")


@worker_page
def cv_pdf(request):
    record = selectors.cv_record(request.worker_session)
    if record is None:
        raise Http404
    try:
        content = services.own_document_pdf(session=request.worker_session, kind_key="cv", record=record)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:cv")
    return _pdf("CV.pdf", content)


@worker_page
@require_http_methods(["GET", "POST"])
def letters(request):
    session = request.worker_session
    jobs = selectors.letter_jobs(session)
    form = LetterJobForm(request.POST or None, jobs=jobs)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.letter_begin(session=session, job_key=form.cleaned_data["job"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("portal:letter", motivationletter_pk=letter.pk)
    context = {"letters": selectors.my_letters(session), "jobs": jobs, "form": form}
    return _render(request, "portal/letters.html", context)


@worker_page
@require_http_methods(["GET", "POST"])
def letter(request, motivationletter_pk):
    session = request.worker_session
    mine = selectors.my_letter(session, motivationletter_pk)
    if mine is None:
        raise Http404
    initial = {name: text for name, _start, text in mine.sentences}
    form = LetterForm(
        request.POST or None, initial={**initial, "version": mine.version}, sentences=mine.sentences
    )
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Something is not right. Look at the red text."))
        else:
            try:
                services.letter_write(
                    session=session,
                    letter_pk=motivationletter_pk,
                    texts=form.cleaned_data,
                    version=form.cleaned_data["version"],
                )
            except DomainError as error:
                _save_refused(request, form, error, mine.version)
            else:
                messages.success(request, _("Saved. Your coach sees it."))
                return redirect("portal:letter", motivationletter_pk=motivationletter_pk)
    return _render(request, "portal/letter.html", {"mine": mine, "form": form})


@worker_page
def letter_pdf(request, motivationletter_pk):
    record = selectors.letter_record(request.worker_session, motivationletter_pk)
    if record is None:
        raise Http404
    try:
        content = services.own_document_pdf(
            session=request.worker_session, kind_key="motivation_letter", record=record
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:letters")
    return _pdf(f"{_('Letter')}.pdf", content)
