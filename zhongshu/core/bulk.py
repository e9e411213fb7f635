"""Writing many rows at once.

``QuerySet.bulk_update`` builds one ``CASE WHEN`` expression per field over
all the rows, which costs more Python time than the database spends on it;
``update_many`` sends one parameterised ``UPDATE … WHERE pk = %s`` through
``executemany`` instead. Values are prepared by each field, so scaled
integer fields store exactly what ``save()`` would.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Field, Model


def update_many(objects: Sequence[Model], fields: Sequence[str]) -> None:
    """Save ``fields`` of ``objects`` (rows of one model) in one round trip."""
    if not objects:
        return
    model = type(objects[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns: list[Field[object, object]] = []
    for name in fields:
        field = meta.get_field(name)
        if not isinstance(field, Field):  # pragma: no cover - a relation's reverse
            raise TypeError(f"{name} is not a column of {meta.label}")
        columns.append(field)
    assignments = ", ".join(f"{quote(str(c.column))} = %s" for c in columns)
    pk_column = str(meta.pk.column) if meta.pk is not None else "id"
    # Table and column names are the model's own, never user input.
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(pk_column)} = %s"  # noqa: S608
    )
    rows = [
        [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
