"""The machinery of the tenant-isolation probe: every operation of the
assembled API, the object ids it takes, and a body that passes its schema.

Object ids are path parameters and body fields named ``*_id`` (lists:
``*_ids``); other path parameters (``key`` of a document type) are not
objects. Each id name needs a factory registered with
``core.testing.object_factory``, in the owning app's ``testing.py``: the
probe imports every app's ``testing`` module, so running the API tests alone
still sees every app's factories.

A plausible body comes from the operation's JSON schema: a schema's
``examples`` when it has one (so declare examples on input schemas; the
OpenAPI docs show them too), otherwise the first enum value, the default, or
a value of the right type. Id fields get the ids the probe chooses.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from ninja.operation import Operation

from zhongshu.api.main import api
from zhongshu.core import testing

_PATH_PARAMETER = re.compile(r"\{(?:\w+:)?(\w+)\}")


def load_object_factories() -> dict[str, testing.ObjectFactory]:
    for config in apps.get_app_configs():
        module = f"{config.name}.testing"
        if config.name.startswith("zhongshu.") and importlib.util.find_spec(module):
            importlib.import_module(module)
    return testing.object_factories()


def is_object_id(name: str) -> bool:
    return name.endswith(("_id", "_ids"))


def factory_name(name: str) -> str:
    """``customer_ids`` is made by the ``customer_id`` factory."""
    return name[:-1] if name.endswith("_ids") else name


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as mounted, e.g. /api/v1/audit/{audit_entry_id}
    operation: Operation

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def path_parameters(self) -> list[str]:
        return _PATH_PARAMETER.findall(self.path)

    @property
    def path_ids(self) -> list[str]:
        return [name for name in self.path_parameters if is_object_id(name)]

    @property
    def body_ids(self) -> list[str]:
        schema, definitions = self._body_schema()
        return sorted(_id_fields(schema, definitions)) if schema else []

    def url(self, values: Mapping[str, object]) -> str:
        return _PATH_PARAMETER.sub(lambda m: str(values[m.group(1)]), self.path)

    def body(self, ids: Mapping[str, int] | None = None) -> Any:
        """A body that passes the schema, with ``ids`` in the id fields."""
        schema, definitions = self._body_schema()
        if schema is None:
            return None
        return _sample(schema, definitions, ids or {})

    def _body_schema(self) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        for model in self.operation.models:
            if model.__ninja_param_source__ != "body":
                continue
            schema = model.model_json_schema()
            definitions = schema.get("$defs", {})
            single = getattr(model, "__read_from_single_attr__", None)
            if single:
                schema = schema["properties"][single]
            return schema, definitions
        return None, {}


def api_routes() -> list[Route]:
    """Every operation of the assembled API, one per method."""
    root = reverse("api:api-root")
    routes = []
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            mounted = "/".join(part for part in (bound.prefix, path) if part)
            mounted = re.sub("/+", "/", mounted).lstrip("/")
            for operation in path_view.operations:
                routes.extend(
                    Route(method, root + mounted, operation)
                    for method in operation.methods
                )
    return sorted(routes, key=str)


def _resolve(schema: Mapping[str, Any], definitions: Mapping[str, Any]) -> Any:
    while "$ref" in schema:
        schema = definitions[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _id_fields(schema: Mapping[str, Any], definitions: Mapping[str, Any]) -> set[str]:
    schema = _resolve(schema, definitions)
    found: set[str] = set()
    for name, field in schema.get("properties", {}).items():
        if is_object_id(name):
            found.add(name)
        found |= _id_fields(field, definitions)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found |= _id_fields(schema[key], definitions)
    for option in schema.get("anyOf", []) + schema.get("allOf", []):
        found |= _id_fields(option, definitions)
    return found


def _sample(
    schema: Mapping[str, Any], definitions: Mapping[str, Any], ids: Mapping[str, int]
) -> Any:
    schema = _resolve(schema, definitions)
    if "properties" in schema:
        return _sample_object(schema, definitions, ids)
    if schema.get("examples"):
        return schema["examples"][0]
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if schema.get("default") is not None:
        return schema["default"]
    options = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    if options:
        typed = [o for o in options if o.get("type") != "null"] or options
        return _sample(typed[0], definitions, ids)
    return _sample_scalar(schema, definitions, ids)


def _sample_object(
    schema: Mapping[str, Any], definitions: Mapping[str, Any], ids: Mapping[str, int]
) -> dict[str, Any]:
    examples = schema.get("examples") or [{}]
    value = dict(examples[0])
    required = set(schema.get("required", []))
    for name, field in schema["properties"].items():
        if is_object_id(name) and factory_name(name) in ids:
            chosen = ids[factory_name(name)]
            value[name] = [chosen] if name.endswith("_ids") else chosen
        elif name not in value and name in required:
            value[name] = _sample(field, definitions, ids)
        elif isinstance(value.get(name), dict | list):
            continue  # an example's nested value is kept as written
    return value


def _sample_scalar(
    schema: Mapping[str, Any], definitions: Mapping[str, Any], ids: Mapping[str, int]
) -> Any:
    kind = schema.get("type")
    if kind == "array":
        return [_sample(schema.get("items", {}), definitions, ids)]
    if kind == "object":
        return {}
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return "1"
    if kind == "boolean":
        return True
    tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    if schema.get("format") == "date-time":
        return tomorrow.isoformat()
    if schema.get("format") == "date":
        return tomorrow.date().isoformat()
    return "x" * max(int(schema.get("minLength", 1)), 1)


def database_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every project table and of the users, to prove a refused
    request wrote nothing anywhere."""
    tables: list[type[models.Model]] = [
        model for model in apps.get_models() if model.__module__.startswith("zhongshu.")
    ]
    tables.append(get_user_model())
    return {
        model._meta.label: [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in model._base_manager.order_by("pk").values_list()
        ]
        for model in tables
    }
