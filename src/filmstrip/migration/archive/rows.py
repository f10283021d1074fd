"""One row as JSON and back: field name to value, relations by primary key.

Dates and times are ISO 8601 with their offset, JSON fields as they are, files by their stored
name; everything else as JSON has it. Reading checks each value as its field would (type,
length, choices) so a damaged archive is refused by table and line, never half-written.
"""

import datetime
import decimal
import uuid

from django.core.exceptions import ValidationError
from django.db import models

from . import ArchiveError
from .layout import Table


def encode(row: models.Model, fields: list[models.Field]) -> dict:
    return {f.name: _plain(f.value_from_object(row)) for f in fields}


def _plain(value):
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def decode(table: Table, data: object, where: str) -> models.Model:
    """The unsaved row ``data`` describes; ``where`` (member and line) names it in errors."""
    if not isinstance(data, dict):
        raise ArchiveError(f"{where}: a row must be a JSON object")
    fields = table.fields()
    unknown = set(data) - {f.name for f in fields}
    if unknown:
        raise ArchiveError(
            f"{where}: unknown field(s) {', '.join(sorted(unknown))} for {table.name} "
            "(an archive from a newer Filmstrip?)"
        )
    row = table.model_class()(**table.fill())
    for f in fields:
        if f.name not in data:
            if not f.has_default() and not f.null:  # a field added since the archive was made
                raise ArchiveError(f"{where}: {table.name}.{f.name} is missing")
            continue
        try:
            value = _value(f, data[f.name])
        except (ValidationError, TypeError, ValueError) as exc:
            reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise ArchiveError(f"{where}: {table.name}.{f.name}: {reason}") from None
        setattr(row, f.attname, value)
    return row


def _value(f: models.Field, value):
    if value is None:
        if not f.null:
            raise ValidationError("may not be empty (null)")
        return None
    if isinstance(f, models.JSONField):
        return value
    target = f.target_field if isinstance(f, models.ForeignKey) else f
    if isinstance(f, models.FileField) or isinstance(target, models.CharField | models.TextField):
        if not isinstance(value, str):
            raise ValidationError("must be text")
    elif isinstance(target, models.BooleanField) and not isinstance(value, bool):
        raise ValidationError("must be true or false")
    value = value if isinstance(f, models.FileField) else target.to_python(value)
    if isinstance(target, models.IntegerField):
        target.run_validators(value)  # the column's range: a database would refuse it later
    limit = getattr(f, "max_length", None)
    if isinstance(value, str) and limit and len(value) > limit:
        raise ValidationError(f"longer than {limit} characters")
    if f.choices and not f.is_relation and value not in {c[0] for c in f.flatchoices}:
        raise ValidationError(f"{value!r} is not one of its choices")
    return value
