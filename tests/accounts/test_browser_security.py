"""Two-factor authentication in a real browser: the QR code shows, nothing trips the CSP."""

import pytest

from bwise.accounts.models import Role
from tests.factories import UserFactory, WorkerFactory
from tests.security_helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enforced_activation_then_login_with_a_code(page, login, organisation):
    organisation.require_2fa_for_sensitive_roles = True
    organisation.save()
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    WorkerFactory(organisation=organisation, coach=coach, first_name="Lieve", last_name="Verstraete")
    csp_violations = []
    page.on(
        "console",
        lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    login("coach")
    # Sent to set up 2FA; allauth first asks for the password again.
    page.fill("input[name=password]", "secret-password-1")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate/" in page.url

    qr = page.locator("img.bwise-qr")
    assert qr.is_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code did not render"
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", totp_code(secret))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "recovery-codes" in page.url
    assert page.locator("#recovery_codes li").count() == 10

    page.goto("/workers/")
    assert page.get_by_text("Lieve Verstraete").is_visible()

    page.locator("#usermenu").click()
    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_load_state()
    login("coach")
    assert "/accounts/2fa/authenticate/" in page.url
    # The next period's code (accepted with one step of tolerance): allauth refuses a code
    # that was already used, and the activation may have used the current one.
    page.fill("input[name=code]", totp_code(secret, offset=1))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Caseload"
    assert csp_violations == []
