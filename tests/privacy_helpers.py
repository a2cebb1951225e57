"""Markers planted in records, and a search of the whole database for them."""

import secrets

from django.apps import apps
from django.db import connection, models

from bwise.privacy.declaration import NOT_PERSONAL, all_sensitive_fields


def plant_sensitive_markers(universe) -> dict[str, tuple[str, str]]:
    """A unique marker in every declared sensitive field of every universe record that has it
    (both intake kinds, for instance)."""
    markers = {}
    for label, name in all_sensitive_fields():
        model = apps.get_model(label)
        records = [record for record in universe.objects.values() if isinstance(record, model)]
        max_length = model._meta.get_field(name).max_length or 200
        for record in records:
            marker = f"SENS{secrets.token_hex(6).upper()}"[:max_length]
            model._base_manager.filter(pk=record.pk).update(**{name: marker})
            markers[marker] = (label, name)
    return markers


def plant_text_markers(records: dict, prefix="PII") -> list[str]:
    """A marker in every text field of every given record (a {model: queryset} map)."""
    markers = []
    for model, queryset in records.items():
        for field in model._meta.concrete_fields:
            if (
                field.primary_key
                or field.choices
                or not isinstance(field, models.CharField | models.TextField)
            ):
                continue
            if (model._meta.label, field.name) in NOT_PERSONAL:
                continue
            marker = f"{prefix}{secrets.token_hex(5).upper()}"[: field.max_length or 100]
            if isinstance(field, models.EmailField):
                marker = f"{marker.lower()}@example.be"
            if queryset.update(**{field.name: marker}):
                markers.append(marker)
    return markers


def tables_containing(text: str, *, exclude=()) -> list[str]:
    """Every table of the database with a row whose text contains ``text``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in exclude:
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT 1 FROM {quoted} AS t WHERE t::text ILIKE %s LIMIT 1", [f"%{text}%"])  # noqa: S608
            if cursor.fetchone():
                found.append(table)
    return found
