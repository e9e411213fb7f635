"""JSON out, with Chinese text as itself rather than \\uXXXX escapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ninja.renderers import JSONRenderer


class JsonRenderer(JSONRenderer):
    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}
