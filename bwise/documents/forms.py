from django import forms
from django.utils.translation import gettext_lazy as _

from bwise.core.forms import LimitedTextMixin
from bwise.documents import registry
from bwise.documents.models import BulkFormat, SignerRole
from bwise.documents.signatures import MAX_IMAGE_BYTES


def _kind_choices():
    return [(kind.key, kind.label) for kind in registry.all_kinds()]


class DocumentRequestForm(LimitedTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=_kind_choices)
    record = forms.IntegerField(label=_("Record"), min_value=1)


class BulkRequestForm(LimitedTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=_kind_choices)
    output_format = forms.ChoiceField(label=_("Format"), choices=BulkFormat.choices, initial=BulkFormat.PDF)
    # A kind's named selection (its bulk_selections); empty for its default one.
    selection = forms.SlugField(required=False, widget=forms.HiddenInput)


class SignatureForm(LimitedTextMixin, forms.Form):
    """Who signs, and the pad's drawing as a PNG data URI (checked by the service)."""

    role = forms.ChoiceField(label=_("Signed as"), choices=SignerRole.choices)
    image = forms.CharField(label=_("Signature"), required=False, max_length=MAX_IMAGE_BYTES * 2)
