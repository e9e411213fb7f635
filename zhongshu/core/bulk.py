"""Writing many rows at once.

``QuerySet.bulk_update`` builds one ``CASE WHEN`` expression per field over
all the rows, which costs more Python time than the database spends on it;
``update_many`` sends one parameterised ``UPDATE … WHERE pk = %s`` through
``executemany`` instead; ``insert_many`` is ``bulk_create`` in one
multi-row ``INSERT … RETURNING`` per batch the backend allows, without the
query compiler's per-value machinery (the hot paths write thousands of rows
a second). Values are prepared by each field, so scaled integer fields store
exactly what ``save()`` would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import AutoField, Field, Model

M = TypeVar("M", bound=Model)


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


def insert_many(objects: list[M]) -> list[M]:
    """Insert new ``objects`` (rows of one model with an auto primary key)
    and set their primary keys: ``bulk_create`` without the query
    compiler's per-value machinery. As there, each object's related objects
    must be saved, and each field's ``pre_save`` (``auto_now_add``) and
    ``get_db_prep_save`` give the stored values."""
    if not objects:
        return objects
    model = type(objects[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    pk = meta.pk
    if not isinstance(pk, AutoField):  # pragma: no cover - every table here has one
        raise TypeError(f"{meta.label} has no auto primary key")
    fields = [f for f in meta.concrete_fields if f is not pk]
    prepare = [_preparer(field, connection) for field in fields]
    relations = [f for f in fields if f.is_relation]
    columns = ", ".join(quote(str(f.column)) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, connection.ops.bulk_batch_size(fields, objects))
    with connection.cursor() as cursor:
        for start in range(0, len(objects), size):
            chunk = objects[start : start + size]
            params: list[Any] = []
            for obj in chunk:
                _take_related_keys(obj, relations)
                params.extend(value_of(obj) for value_of in prepare)
            # Table and column names are the model's own, never user input.
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([row] * len(chunk))} "
                f"RETURNING {quote(str(pk.column))}",
                params,
            )
            # Both databases return a multi-row INSERT's rows in order.
            for obj, (value,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = value
                obj._state.adding = False
                obj._state.db = connection.alias
    return objects


# Fields whose stored value is the attribute itself when it already has the
# plain Python type the column takes (what their get_db_prep_save returns).
_PLAIN: dict[type[Field[Any, Any]], tuple[type, ...]] = {
    models.ForeignKey: (int,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BooleanField: (bool,),
    models.CharField: (str,),
    models.TextField: (str,),
}


def _preparer(
    field: Field[Any, Any], connection: BaseDatabaseWrapper
) -> Callable[[Model], Any]:
    """How to get ``field``'s stored value from an object: as ``bulk_create``
    does (``pre_save``, then ``get_db_prep_save``), with a short cut for a
    plain attribute already of the column's type."""
    plain = _PLAIN.get(type(field))
    attname = field.attname
    if plain is None or type(field).pre_save is not Field.pre_save:
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)

    def value_of(obj: Model) -> Any:
        value = getattr(obj, attname)
        if value is None or type(value) in plain:
            return value
        return field.get_db_prep_save(value, connection)

    return value_of


def _take_related_keys(obj: Model, relations: list[Field[object, object]]) -> None:
    """As ``save`` does: a related row assigned before it was saved gives its
    key now, and an unsaved one is refused."""
    for field in relations:
        if not field.is_cached(obj):  # type: ignore[attr-defined]
            continue
        related = field.get_cached_value(obj)  # type: ignore[attr-defined]
        if related is None:
            continue
        if related.pk is None:
            raise ValueError(
                f"insert_many() prohibited to prevent data loss due to unsaved "
                f"related object '{field.name}'."
            )
        if getattr(obj, field.attname) is None:
            setattr(obj, field.attname, related.pk)
