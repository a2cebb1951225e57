"""The administrator uploads the logo printed on the organisation's documents: a PNG or
JPEG of at most 1 MB and 2,000 pixels a side, read whole by Pillow before it is kept."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bwise.accounts import services
from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from bwise.core.pdf import logo_data_uri

pytestmark = pytest.mark.django_db


def image(fmt="PNG", size=(120, 40), pad_to=None, name="logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format=fmt)
    data = buffer.getvalue()
    if pad_to is not None:
        # Bytes after the image's end: still a valid image, of exactly the wanted size.
        data += b"\0" * (pad_to - len(data))
    return SimpleUploadedFile(name, data)


def set_logo(beheerder, upload):
    return services.organisation_set_logo(organisation=beheerder.organisation, upload=upload, by=beheerder)


@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg")])
def test_a_png_or_jpeg_is_kept_under_a_name_of_our_own(beheerder, fmt, extension):
    organisation = set_logo(beheerder, image(fmt, name="../../evil.svg"))
    assert organisation.logo.name == f"logos/logo-{organisation.pk}.{extension}"
    assert logo_data_uri(organisation).startswith(f"data:image/{'png' if fmt == 'PNG' else 'jpeg'};base64,")


def test_one_megabyte_is_accepted_one_byte_more_is_not(beheerder):
    set_logo(beheerder, image(pad_to=services.LOGO_MAX_BYTES))
    with pytest.raises(DomainError) as refused:
        set_logo(beheerder, image(pad_to=services.LOGO_MAX_BYTES + 1))
    assert refused.value.code == "logo_too_large"


@pytest.mark.parametrize(
    ("size", "accepted"),
    [((2000, 2000), True), ((2001, 100), False), ((16, 16), True), ((100, 15), False)],
)
def test_dimensions_within_the_limits(beheerder, size, accepted):
    if accepted:
        set_logo(beheerder, image(size=size))
    else:
        with pytest.raises(DomainError) as refused:
            set_logo(beheerder, image(size=size))
        assert refused.value.code == "logo_dimensions"


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(lambda: image("GIF"), id="gif"),
        pytest.param(
            lambda: SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), id="svg"
        ),
        pytest.param(lambda: SimpleUploadedFile("logo.png", image().read()[:-30]), id="truncated png"),
    ],
)
def test_anything_but_a_whole_png_or_jpeg_is_refused(beheerder, upload):
    with pytest.raises(DomainError) as refused:
        set_logo(beheerder, upload())
    assert refused.value.code == "logo_type"
    beheerder.organisation.refresh_from_db()
    assert not beheerder.organisation.logo


def test_only_the_organisations_administrator_sets_it(make_user):
    hr = make_user(Role.HR)
    with pytest.raises(DomainError) as refused:
        services.organisation_set_logo(organisation=hr.organisation, upload=image(), by=hr)
    assert refused.value.code == "not_allowed"


def test_the_administrator_uploads_replaces_and_removes_it_on_the_page(
    client, beheerder, django_capture_on_commit_callbacks
):
    client.force_login(beheerder)
    url = reverse("accounts:organisation_logo")
    assert client.post(url, {"logo": image()}).status_code == 302
    beheerder.organisation.refresh_from_db()
    first = beheerder.organisation.logo.name
    storage = beheerder.organisation.logo.storage
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"logo": image("JPEG", name="logo.jpg")})
    beheerder.organisation.refresh_from_db()
    assert beheerder.organisation.logo.name.endswith(".jpg") and not storage.exists(first)
    page = client.get(url).content.decode()
    assert 'src="data:image/jpeg;base64,' in page and 'enctype="multipart/form-data"' in page

    refused = client.post(url, {"logo": image("GIF", name="logo.gif")})
    assert refused.status_code == 200 and "PNG" in refused.content.decode()
    client.post(url, {"remove": "on"})
    beheerder.organisation.refresh_from_db()
    assert not beheerder.organisation.logo
