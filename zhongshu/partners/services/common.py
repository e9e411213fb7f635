"""Small checks every partners service shares: codes, texts, problems by
field, and the data customers and suppliers have alike (code, names, USCC,
region, payment terms). (The catalog has its own copy of the small checks:
partners and catalog sit side by side and may not import each other; see the
module report.)"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, Protocol, TypeVar

from django.utils.translation import gettext as _

from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.uscc import normalize_uscc, validate_uscc
from zhongshu.partners import regions

# Codes people type and print: no spaces or control characters.
_CODE = re.compile(r"^[^\s\x00-\x1f\x7f]+$")

Problems = dict[str, list[str]]
MAX_PAYMENT_TERMS_DAYS = 3650


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


def terms_problem(days: int) -> str | None:
    if not 0 <= days <= MAX_PAYMENT_TERMS_DAYS:
        return _("Payment terms are from 0 to %(max)d days.") % {
            "max": MAX_PAYMENT_TERMS_DAYS
        }
    return None


def uscc_problem(uscc: str) -> str | None:
    """Why ``uscc`` (already normalized) is not a valid 统一社会信用代码;
    None when it is or is empty."""
    if not uscc:
        return None
    try:
        validate_uscc(uscc)
    except ValidationError as error:
        return error.message
    return None


def province_problem(province: str) -> str | None:
    if province and regions.province(province) is None:
        return _("Choose a province of China.")
    return None


# --- what customers and suppliers share -----------------------------------------------


class PartyData(Protocol):
    """A customer's or a supplier's data (frozen dataclasses)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def code(self) -> str: ...
    @property
    def uscc(self) -> str: ...
    @property
    def province(self) -> str: ...
    @property
    def payment_terms_days(self) -> int: ...


P = TypeVar("P", bound=PartyData)


def party_problems(
    data: P, texts: Mapping[str, tuple[int, bool]]
) -> tuple[P, Problems]:
    """The data cleaned (``texts`` stripped, the USCC normalized) and the
    problems of what customers and suppliers share, by field. ``texts`` maps
    each text field to its maximum length and whether it is required."""
    stripped: dict[str, Any] = {
        name: str(getattr(data, name)).strip() for name in texts
    }
    cleaned = dataclasses.replace(
        data,
        code=data.code.strip(),
        uscc=normalize_uscc(data.uscc),
        province=data.province.strip(),
        **stripped,
    )
    problems: Problems = {}
    add_problem(problems, "code", code_problem(cleaned.code))
    for name, (max_length, required) in texts.items():
        add_problem(
            problems,
            name,
            text_problem(getattr(cleaned, name), max_length, required=required),
        )
    add_problem(problems, "uscc", uscc_problem(cleaned.uscc))
    add_problem(problems, "province", province_problem(cleaned.province))
    add_problem(problems, "payment_terms_days", terms_problem(data.payment_terms_days))
    return cleaned, problems
