"""The ledger's pure rules: what a valid set of voucher lines is, and the
canonical serialisation that the posting hash chain signs.

No database access here, so these rules are tested exhaustively in isolation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from zhongshu.core.errors import ValidationError
from zhongshu.core.money import round_amount
from zhongshu.ledger.models import Dimension

ZERO = Decimal("0.00")
GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True, kw_only=True)
class LineInput:
    """One voucher line as callers give it: an account by code or id, and
    exactly one of debit or credit (negative amounts make a red line)."""

    summary: str
    account: str | int
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    dimensions: dict[str, int] = field(default_factory=dict)
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    currency: str = ""
    fx_amount: Decimal | None = None
    fx_rate: Decimal | None = None


def line_error(index: int, message: str) -> ValidationError:
    return ValidationError(message, fields={f"lines.{index}": [message]})


def check_amounts(lines: Sequence[LineInput]) -> Decimal:
    """Refuse unbalanced or malformed amounts; return the voucher total."""
    if len(lines) < 2:
        raise ValidationError(
            _("A voucher needs at least two lines."),
            fields={"lines": [_("A voucher needs at least two lines.")]},
        )
    for index, line in enumerate(lines):
        _check_line_amounts(index, line)
    debit = sum((line.debit for line in lines), ZERO)
    credit = sum((line.credit for line in lines), ZERO)
    if debit != credit:
        message = _(
            "Debits (%(debit)s) and credits (%(credit)s) differ by %(difference)s."
        ) % {"debit": debit, "credit": credit, "difference": debit - credit}
        raise ValidationError(message, fields={"lines": [message]})
    return debit


def _check_line_amounts(index: int, line: LineInput) -> None:
    if not line.summary.strip():
        raise line_error(index, _("Line %(n)d needs a summary.") % {"n": index + 1})
    for amount in (line.debit, line.credit):
        if round_amount(amount) != amount:
            raise line_error(
                index,
                _("Line %(n)d: amounts have at most two decimal places.")
                % {"n": index + 1},
            )
    if (line.debit != ZERO) == (line.credit != ZERO):
        raise line_error(
            index,
            _("Line %(n)d must have either a debit or a credit amount.")
            % {"n": index + 1},
        )


def check_dimensions(
    index: int, required: Iterable[str], given: dict[str, int]
) -> dict[str, int]:
    """The dimensions an account requires must all be given, and only those."""
    required_set = set(required)
    unknown = set(given) - set(Dimension.values)
    if unknown:
        raise line_error(
            index,
            _("Line %(n)d: unknown dimension %(names)s.")
            % {"n": index + 1, "names": ", ".join(sorted(unknown))},
        )
    missing = required_set - {k for k, v in given.items() if v}
    if missing:
        labels = ", ".join(str(Dimension(m).label) for m in sorted(missing))
        raise line_error(
            index,
            _("Line %(n)d: the account requires %(dimensions)s.")
            % {"n": index + 1, "dimensions": labels},
        )
    extra = set(given) - required_set
    if extra:
        labels = ", ".join(str(Dimension(m).label) for m in sorted(extra))
        raise line_error(
            index,
            _("Line %(n)d: the account does not track %(dimensions)s.")
            % {"n": index + 1, "dimensions": labels},
        )
    return {k: int(v) for k, v in given.items()}


def _text(value: object) -> str | None:
    if isinstance(value, Decimal):
        # 100000, 100000.0 and 100000.00 are one amount: sign the value, not
        # the exponent it happened to be stored or typed with.
        return format(value.normalize() + 0, "f")
    return None if value is None else str(value)


def canonical_voucher(
    voucher: dict[str, object], lines: list[dict[str, object]]
) -> bytes:
    """A byte string that identifies a posted voucher's content.

    Only business values go in (company code, period, number, date, account
    codes, amounts as exact decimal strings, dimension ids); surrogate keys of
    the voucher and its lines do not, so the chain survives a database move."""
    document = {"voucher": voucher, "lines": lines}
    return json.dumps(
        document,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=_text,
    ).encode()


def content_hash(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


def chain_hash(previous_hash: str, sequence: int, action: str, content: str) -> str:
    return hashlib.sha256(
        f"{previous_hash}|{sequence}|{action}|{content}".encode()
    ).hexdigest()
