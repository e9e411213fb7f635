"""Small checks every partners service shares: codes, texts, problems by
field. (The catalog has its own copy: partners and catalog sit side by side
and may not import each other; see the module report.)"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from zhongshu.core.errors import ConflictError, ValidationError

# Codes people type and print: no spaces or control characters.
_CODE = re.compile(r"^[^\s\x00-\x1f\x7f]+$")

Problems = dict[str, list[str]]


def add_problem(problems: Problems, key: str, message: str | None) -> None:
    if message is not None:
        problems.setdefault(key, []).append(message)


def raise_problems(problems: Problems) -> None:
    """Every problem at once, as one ValidationError (its message the first)."""
    if problems:
        first = next(iter(problems.values()))[0]
        raise ValidationError(first, fields=problems)


def field_error(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def duplicate(field: str, message: str) -> ConflictError:
    return ConflictError(message, fields={field: [message]})


def code_problem(value: str, max_length: int = 40) -> str | None:
    """Why ``value`` (already stripped) is not a usable code, or None."""
    if not value:
        return _("Enter a code.")
    if len(value) > max_length:
        return _("A code has at most %(count)d characters.") % {"count": max_length}
    if not _CODE.match(value):
        return _("A code cannot contain spaces.")
    return None


def text_problem(value: str, max_length: int, *, required: bool = False) -> str | None:
    if required and not value:
        return _("This field is required.")
    if len(value) > max_length:
        return _("Enter at most %(count)d characters.") % {"count": max_length}
    return None


def places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
