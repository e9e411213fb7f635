from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhongshu.web.shell import build_shell


def shell(request: HttpRequest) -> dict[str, Any]:
    return {"shell": build_shell(request)}
