"""The request body parser: JSON only, with one error for anything else."""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser

from zhongshu.api.errors import MalformedJsonError


class JsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            return cast(dict[str, Any], json.loads(request.body))
        # ValueError covers bad JSON and bad UTF-8; RecursionError a body
        # nested deeper than the interpreter's stack.
        except (ValueError, RecursionError) as error:
            raise MalformedJsonError(str(error)) from error
