"""Relation fields whose choices are what the caller may see, so that a foreign id reads as
'does not exist', exactly like a missing one."""

import datetime

from django.utils.translation import gettext as _
from rest_framework import serializers

from bwise.access import colleagues_of
from bwise.core.params import MAX_DATE, MIN_DATE


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to a record of ``model`` the caller may see (``visible_to``).

    Declare it on a serializer, or make it a ``ModelSerializer``'s ``serializer_related_field``
    so that every relation the serializer builds from the model is scoped, with the model
    field's label, nullability and requiredness."""

    def __init__(self, model=None, **kwargs):
        # A ModelSerializer hands over the related model's default manager, every organisation's rows.
        queryset = kwargs.pop("queryset", None)
        self.model = model or getattr(queryset, "model", None)
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)

    def to_internal_value(self, data):
        _require_integer_pk(self, data)
        return super().to_internal_value(data)


class OrganisationUserField(serializers.PrimaryKeyRelatedField):
    """A colleague of the caller's organisation with one of ``roles``."""

    def __init__(self, *roles, **kwargs):
        self.roles = list(roles)
        super().__init__(**kwargs)

    def get_queryset(self):
        return colleagues_of(self.context["request"].user, self.roles, active_only=False)

    def to_internal_value(self, data):
        _require_integer_pk(self, data)
        return super().to_internal_value(data)


# JSON has types; DRF's fields accept what a form would send ("12" for 12, 1 for true, 12
# for "12"). The API speaks JSON only, so a value of another type than the schema states is
# refused, as the schema promises, instead of being guessed at.


class _StrictText:
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        if not any(data == key and type(data) is type(key) for key in self.choices):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class _Bounded:
    """A date or moment the product can mean: between the bounds every date parameter has
    (``bwise.core.params``); year 1301 is a typing error, and before 1900 Brussels time has an
    offset in seconds that RFC 3339 cannot write."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        day = value.date() if isinstance(value, datetime.datetime) else value
        if not MIN_DATE <= day <= MAX_DATE:
            raise serializers.ValidationError(
                _("Give a date between %(min)s and %(max)s.") % {"min": MIN_DATE.year, "max": MAX_DATE.year},
                code="out_of_range",
            )
        return value


StrictCharField = type("StrictCharField", (_StrictText, serializers.CharField), {})
STRICT = {
    serializers.CharField: StrictCharField,
    serializers.EmailField: type("StrictEmailField", (_StrictText, serializers.EmailField), {}),
    serializers.URLField: type("StrictURLField", (_StrictText, serializers.URLField), {}),
    serializers.SlugField: type("StrictSlugField", (_StrictText, serializers.SlugField), {}),
    serializers.IntegerField: StrictIntegerField,
    serializers.BooleanField: StrictBooleanField,
    serializers.DateField: type("BoundedDateField", (_Bounded, serializers.DateField), {}),
    serializers.DateTimeField: type("BoundedDateTimeField", (_Bounded, serializers.DateTimeField), {}),
}


def _require_integer_pk(field, data) -> None:
    if isinstance(data, bool) or not isinstance(data, int):
        field.fail("incorrect_type", data_type=type(data).__name__)
