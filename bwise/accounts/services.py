"""Writes on users: invitation, roles, deactivation. Rules live here, not in views."""

import io
from urllib.parse import urlsplit

from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.password_reset import request_password_reset
from allauth.account.internal.userkit import filter_users_by_email
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.core.context import request_context
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from bwise.access import SENSITIVE_ROLES
from bwise.accounts.models import Organisation, Role, User
from bwise.core.errors import DomainError, Rules, validate


def _check_manages(by: User, organisation: Organisation) -> None:
    if not (by.is_active and by.has_role(Role.BEHEERDER) and by.organisation_id == organisation.pk):
        raise DomainError(
            _("Only an administrator of this organisation can manage its users."), code="not_allowed"
        )


def _clean_roles(roles) -> list[str]:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise DomainError(
            _("Unknown role: %(role)s") % {"role": ", ".join(sorted(unknown))}, code="unknown_role"
        )
    # Keep the order of Role so that equal sets compare equal.
    return [role for role in Role.values if role in roles]


def password_setup_url(request, user: User) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return request.build_absolute_uri(path)


def user_invite(
    *,
    by: User,
    request,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    roles: list[str],
) -> User:
    organisation = by.organisation
    _check_manages(by, organisation)
    # Usernames are unique across organisations (they log in without naming one). The refusal
    # must not tell this administrator that someone elsewhere has the name, only to pick another.
    rules = Rules()
    if User.objects.filter(username__iexact=username).exists():
        rules.refuse(
            _(
                "This username cannot be used. Choose another one, "
                "for instance with your organisation's name in it."
            ),
            field="username",
            code="username_unavailable",
        )
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        roles=_clean_roles(roles),
    )
    user.set_unusable_password()
    rules.validate(user)
    rules.raise_any()
    with transaction.atomic():
        user.save()
    send_invitation(request=request, user=user, invited_by=by)
    roles_changed_notify(user=user, before=[], by=by)
    return user


def send_invitation(*, request, user: User, invited_by: User) -> None:
    context = {
        "user": user,
        "invited_by": invited_by,
        "organisation": user.organisation,
        "url": password_setup_url(request, user),
    }
    # The invitee reads the mail in the language the administrator works in.
    with translation.override(translation.get_language()):
        subject = _("Your account for B-WISE Doorstroom")
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()


class _SiteRequest(HttpRequest):
    """The site as a request, for the task that mails a reset link: allauth's mail takes the
    link's scheme and host, and the site's name, from a request; a task has none, so they
    come from ``SITE_URL`` as in the reminder digest."""

    def __init__(self):
        super().__init__()
        parts = urlsplit(settings.SITE_URL)
        self._scheme, self._host = parts.scheme, parts.netloc
        # The templates' context processors read the user; the mail is for whoever asked.
        self.user = AnonymousUser()

    def _get_scheme(self):
        return self._scheme

    def get_host(self):
        return self._host


def password_reset_request(*, email: str) -> None:
    """Enqueue the reset mail for whoever has ``email``: nobody, for an unknown address.

    The request does the same work for every address, known or not (one lookup, one
    message); making the token, rendering and sending the mail happen in the task, so the
    time the answer takes tells nobody whether an account exists. The message carries the
    users' primary keys, not the address (tasks take primary keys only)."""
    from bwise.accounts import tasks

    users = filter_users_by_email(email, is_active=True, prefer_verified=True, for_login=True)
    user_pks = sorted(user.pk for user in users)
    transaction.on_commit(lambda: tasks.send_password_reset.delay(user_pks=user_pks))


def password_reset_send(*, user_pks: list[int]) -> int:
    """Mail a reset link to each of these users who is still active, at their address.
    Returns how many were mailed: none for an unknown address's empty list."""
    request = _SiteRequest()
    sent = 0
    with request_context(request):
        for user in User.objects.filter(pk__in=user_pks, is_active=True).exclude(email=""):
            request_password_reset(request, user.email, [user], None)
            sent += 1
    return sent


def user_address_proven(*, user: User) -> None:
    """The user set a password through a link mailed to their address: the address is theirs.

    Invitations and password resets both end here. Recording the address as verified (and
    primary) is what lets allauth accept an authenticator app right after, so a user in an
    organisation that requires two-factor authentication is not sent round in circles.
    """
    email = (user.email or "").strip().lower()
    if not email:
        return
    with transaction.atomic():
        # The link proved only this address; an unverified other one would still block 2FA.
        EmailAddress.objects.filter(user=user, verified=False).exclude(email__iexact=email).delete()
        address = EmailAddress.objects.filter(user=user, email__iexact=email).first() or EmailAddress(
            user=user, email=email
        )
        if not address.can_set_verified():
            # Another account of the same person already holds this address as verified, and
            # allauth allows that only once. Dropping the unverified copy leaves nothing that
            # blocks 2FA, and the address stays on record as the user's own e-mail.
            if address.pk:
                address.delete()
            return
        EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(primary=False)
        address.verified = address.primary = True
        address.save()


def user_update(
    *, by: User, user: User, first_name: str, last_name: str, email: str, roles: list[str]
) -> User:
    """``user`` as stored, with its new details; a change of roles is checked and notified."""
    _check_manages(by, user.organisation)
    roles = _clean_roles(roles)
    before = _clean_roles(user.roles)
    rules = Rules()
    if user.pk == by.pk and roles != before:
        # Otherwise an administrator grants themselves HR or coach and reads every
        # worker's special-category data; a second person must agree to it.
        rules.refuse(
            _(
                "You cannot change your own roles. Ask another administrator of your organisation "
                "(or the platform's staff) to do it."
            ),
            field="roles",
            code="own_roles",
        )
    user.first_name, user.last_name, user.email, user.roles = first_name, last_name, email, roles
    rules.validate(user)
    rules.raise_any()
    with transaction.atomic():
        user.save()
        if roles != before:
            transaction.on_commit(lambda: roles_changed_notify(user=user, before=before, by=by))
    return user


def _needs_notice(before, after) -> bool:
    """A change the other administrators must hear of: an administrator's roles, or a
    role that reaches special-category data granted to anyone."""
    granted = set(after) - set(before)
    return Role.BEHEERDER in {*before, *after} or bool(granted & SENSITIVE_ROLES)


def roles_changed_notify(*, user: User, before, by: User) -> int:
    """Mail the organisation's other administrators about a change of ``user``'s roles
    that needs a second pair of eyes. Returns the number of mails sent."""
    before, after = _clean_roles(before), _clean_roles(user.roles)
    if user.organisation_id is None or before == after or not _needs_notice(before, after):
        return 0
    recipients = [
        admin.email
        for admin in User.objects.filter(
            organisation_id=user.organisation_id, is_active=True, roles__contains=[Role.BEHEERDER]
        ).exclude(pk=by.pk)
        if admin.email
    ]
    if not recipients:
        return 0
    labels = dict(Role.choices)
    context = {
        "user": user,
        "by": by,
        "organisation": user.organisation,
        "before": ", ".join(str(labels[role]) for role in before) or "—",
        "after": ", ".join(str(labels[role]) for role in after) or "—",
    }
    subject = _("The roles of %(name)s have changed") % {"name": user.get_full_name() or user.username}
    text = render_to_string("accounts/email/roles_changed.txt", context)
    # One mail per administrator: they need not learn each other's addresses.
    for address in recipients:
        EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address]).send()
    return len(recipients)


def user_set_active(*, by: User, user: User, active: bool) -> User:
    _check_manages(by, user.organisation)
    if user.pk == by.pk and not active:
        raise DomainError(_("You cannot deactivate your own account."), code="own_account")
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


def organisation_update_security(
    *, organisation: Organisation, require_2fa_for_sensitive_roles: bool, by: User
):
    """The organisation's security settings; only its own administrator may change them."""
    if not (by.is_active and by.has_role(Role.BEHEERDER) and by.organisation_id == organisation.pk):
        raise DomainError(
            _("Only an administrator of this organisation can change its security settings."),
            code="not_allowed",
        )
    with transaction.atomic():
        organisation.require_2fa_for_sensitive_roles = require_2fa_for_sensitive_roles
        validate(organisation)
        organisation.save(update_fields=["require_2fa_for_sensitive_roles"])
    return organisation


# A logo is printed at most 50 x 16 mm: 2,000 pixels a side is far more than print needs,
# and the limits keep a decompression bomb or a camera photo out of every document.
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 2000
LOGO_MIN_SIDE = 16
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


def _checked_logo(upload) -> tuple[bytes, str]:
    """The upload's bytes and extension, once Pillow has read it as a PNG or JPEG within the limits."""
    if upload.size > LOGO_MAX_BYTES:
        raise DomainError(
            _("The logo may be at most 1 MB; this file is %(size)s KB.") % {"size": -(-upload.size // 1024)},
            field="logo",
            code="logo_too_large",
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format, (width, height) = image.format, image.size
            # verify() reads every chunk and checks its checksum without decoding the pixels.
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image_format = None
    if image_format not in LOGO_FORMATS:
        raise DomainError(_("Choose a PNG or JPEG image."), field="logo", code="logo_type")
    if not (min(width, height) >= LOGO_MIN_SIDE and max(width, height) <= LOGO_MAX_SIDE):
        raise DomainError(
            _(
                "The logo must be between %(min)s and %(max)s pixels wide and high; "
                "this one is %(width)s × %(height)s."
            )
            % {"min": LOGO_MIN_SIDE, "max": LOGO_MAX_SIDE, "width": width, "height": height},
            field="logo",
            code="logo_dimensions",
        )
    return data, LOGO_FORMATS[image_format]


def organisation_set_logo(*, organisation: Organisation, upload, by: User) -> Organisation:
    """The logo printed on the organisation's documents; ``upload`` None removes it."""
    if not (by.is_active and by.has_role(Role.BEHEERDER) and by.organisation_id == organisation.pk):
        raise DomainError(
            _("Only an administrator of this organisation can change its logo."), code="not_allowed"
        )
    checked = _checked_logo(upload) if upload is not None else None
    with transaction.atomic():
        previous = organisation.logo.name
        if checked is None:
            organisation.logo = ""
        else:
            data, extension = checked
            # Named by us, never by the uploaded file's name.
            organisation.logo.save(f"logo-{organisation.pk}.{extension}", ContentFile(data), save=False)
        organisation.save(update_fields=["logo"])
        if previous and previous != organisation.logo.name:
            storage = organisation.logo.storage
            transaction.on_commit(lambda: storage.delete(previous))
    return organisation
