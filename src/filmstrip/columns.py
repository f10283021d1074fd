"""Text cut to fit the database column it is stored in.

A column's width is its model field's ``max_length``, read from the model here rather than
written again where values are stored, so that changing a width is one edit (and a migration).
"""

from django.db import models


def width(model: type[models.Model], field: str) -> int:
    """The ``max_length`` of ``model``'s ``field``."""
    found = model._meta.get_field(field)
    if not isinstance(found, models.Field) or found.max_length is None:
        raise TypeError(f"{model.__name__}.{field} has no max_length")
    return found.max_length


def clip(model: type[models.Model], field: str, value: str) -> str:
    """``value`` cut to at most the width of ``model``'s ``field``."""
    return value[: width(model, field)]


def clipped(model: type[models.Model], **values: str) -> dict[str, str]:
    """``values`` by field name, each cut to fit its column: ``Model(**clipped(Model, ...))``."""
    return {field: clip(model, field, value) for field, value in values.items()}
