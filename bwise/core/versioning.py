"""Edits made at the same time never overwrite each other (optimistic locking).

A record several people edit inherits ``Versioned``: its ``version`` goes up by one on
every save. An edit starts from a version and ``validated_save`` refuses it with
``DomainError(code="stale")`` when the row moved on in between; the comparison and the
write happen in one transaction under the row's lock, so two saves at the same moment
cannot both pass.

Where the edit's version comes from:

* a form of ``ServiceFormView`` gets a hidden field (``guard``) holding the version it
  was opened at and a keyed fingerprint of each value it showed. On the POST the
  record is read again; if a field the form shows changed in between, the save is
  refused and the form comes back with the user's input, the changed fields and their
  new values (only fields of this form, which the user may see anyway). A change to
  fields the form does not show cannot be overwritten (the record was just read), so
  it does not refuse the save.
* the API sends the version as ``ETag`` and compares ``If-Match`` (``if_match``).

Why not django-concurrency (2.8.1 is on PyPI): it raises its own ``RecordModifiedError``
from ``Model.save`` and brings admin and trigger integrations we do not need. Every edit
here already goes through one helper (``validated_save``) and views catch one error
type (``DomainError``), so a field and a row lock there do the same, and the form can
name what changed, which the library cannot.
"""

from django import forms
from django.core import signing
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import formats
from django.utils.crypto import salted_hmac
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bwise.core.errors import DomainError

FIELD = "edit_version"
_SALT = "bwise.core.versioning"


class Versioned(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        bumped = not self._state.adding
        if bumped:
            self.version += 1
            if update_fields is not None:
                update_fields = {*update_fields, "version"}
        try:
            super().save(*args, update_fields=update_fields, **kwargs)
        except BaseException:
            if bumped:
                self.version -= 1
            raise

    def save_checked(self, *, update_fields=None) -> None:
        """Save unless the row moved on since ``version``, the version the edit started
        from: ``validated_save`` saves through here. The row stays locked from the
        comparison to the write."""
        if self._state.adding:
            self.save(update_fields=update_fields)
            return
        with transaction.atomic():
            # The row being saved, by its own key, as refresh_from_db reads it: nobody's
            # data is read that the caller does not already hold.
            stored = (
                type(self)
                ._base_manager.select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            if stored is not None and stored != self.version:
                raise stale_error()
            self.save(update_fields=update_fields)


def stale_error() -> DomainError:
    return DomainError(
        _("Someone else changed this in the meantime. Check your changes and save again."), code="stale"
    )


# Forms


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [_plain(item) for item in value]
    return value


def _digest(value) -> str:
    return salted_hmac(_SALT, repr(_plain(value))).hexdigest()[:16]


def _shown_values(form) -> dict:
    """The stored values of the model fields the form shows."""
    return model_to_dict(form.instance, fields=[name for name in form.fields if name != FIELD])


def _token(version: int, values: dict) -> str:
    return signing.dumps(
        {"v": version, "f": {name: _digest(value) for name, value in values.items()}}, salt=_SALT
    )


def guard(form) -> None:
    """Add the hidden field with the state an edit form of a saved versioned record starts from."""
    instance = getattr(form, "instance", None)
    if not isinstance(instance, Versioned) or instance._state.adding:
        return
    form.versioning_stored = _shown_values(form)
    form.fields[FIELD] = forms.CharField(
        widget=forms.HiddenInput, required=False, initial=_token(instance.version, form.versioning_stored)
    )


def _started_from(form) -> dict | None:
    """What the form was opened with, or None when the post carries no (valid) state: a
    client that sends none keeps working as before, like an API call without If-Match."""
    raw = form.data.get(form.add_prefix(FIELD)) if form.is_bound else None
    if not raw:
        return None
    try:
        return signing.loads(raw, salt=_SALT)
    except signing.BadSignature:
        return None


def _changed(form, started: dict, values: dict) -> list[str]:
    return [name for name, value in values.items() if started["f"].get(name) != _digest(value)]


def check_form(form) -> None:
    """Before the save: refuse when a field this form shows changed since it was opened.

    Call after ``is_valid`` but with the stored values: ``guard`` read them before the
    form copied the user's input onto the instance."""
    if FIELD not in form.fields:
        return
    started = _started_from(form)
    if started is None or started["v"] == form.instance.version:
        return
    if _changed(form, started, form.versioning_stored):
        raise stale_error()


def show_stale(form, error: DomainError) -> None:
    """Put the refusal on the form with the fields changed in between and their new values.

    What the user typed stays in the form. A changed field the user left as it was takes
    the new value, so that saving again keeps the other person's change; and the hidden
    state is brought up to date, so that saving again (after checking) goes through."""
    form.add_error(None, error.message)
    if FIELD not in form.fields:
        return
    form.instance.refresh_from_db()
    values = _shown_values(form)
    started = _started_from(form)
    form.data = form.data.copy()
    for name in _changed(form, started, values) if started else []:
        if started["f"].get(name) == _digest(form.cleaned_data.get(name)):
            _put(form, name, values[name])
        shown = {"field": form[name].label, "value": _display(form, name, values[name])}
        form.add_error(None, _("%(field)s is now: %(value)s") % shown)
    form.data[form.add_prefix(FIELD)] = _token(form.instance.version, values)


def _put(form, name: str, value) -> None:
    """Set a stored ``value`` as the posted input of field ``name``."""
    field, key = form.fields[name], form.add_prefix(name)
    prepared = field.prepare_value(value)
    if isinstance(prepared, list | tuple):
        form.data.setlist(key, [str(item) for item in prepared])
    elif prepared is None or prepared is False:
        form.data.pop(key, None)
    elif prepared is True:
        form.data[key] = "on"
    else:
        formatted = field.widget.format_value(prepared)
        form.data[key] = formatted[0] if isinstance(formatted, list) else str(formatted or "")


def _display(form, name: str, value) -> str:
    field = form.fields[name]
    if value in (None, "", [], ()):
        return _("(empty)")
    items = value if isinstance(value, list | tuple) else [value]
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(key): str(label) for key, label in choices}
        return ", ".join(labels.get(str(_plain(item)), str(item)) for item in items)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return Truncator(", ".join(str(formats.localize(item)) for item in items)).chars(200)
