"""Small checks every catalog service shares: codes, names, errors."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from zhongshu.core.errors import ConflictError, ValidationError

# Codes people type and print: no spaces or control characters.
_CODE = re.compile(r"^[^\s\x00-\x1f\x7f]+$")


def field_error(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def code_problem(value: str, max_length: int) -> str | None:
    """Why ``value`` (already stripped) is not a usable code, or None."""
    if not value:
        return _("Enter a code.")
    if len(value) > max_length:
        return _("A code has at most %(count)d characters.") % {"count": max_length}
    if not _CODE.match(value):
        return _("A code cannot contain spaces.")
    return None


def clean_code(value: str, *, field: str = "code", max_length: int = 40) -> str:
    value = value.strip()
    problem = code_problem(value, max_length)
    if problem is not None:
        raise field_error(field, problem)
    return value


def text_problem(value: str, max_length: int, *, required: bool) -> str | None:
    if required and not value:
        return _("This field is required.")
    if len(value) > max_length:
        return _("Enter at most %(count)d characters.") % {"count": max_length}
    return None


def clean_text(
    value: str, *, field: str, max_length: int, required: bool = True
) -> str:
    value = value.strip()
    problem = text_problem(value, max_length, required=required)
    if problem is not None:
        raise field_error(field, problem)
    return value


def places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def duplicate(field: str, message: str) -> ConflictError:
    return ConflictError(message, fields={field: [message]})
