"""Barcodes: GS1 check digits (EAN-13, EAN-8, UPC-A) and internal codes.

Pure functions, no database. A GS1 code's last digit is a check digit over
the others: from the right, digits are weighted 3, 1, 3, 1, ...; the check
digit brings the weighted sum up to a multiple of ten. ``6901234567892``:
the body 690123456789 weighs 6·1+9·3+0·1+1·3+2·1+3·3+4·1+5·3+6·1+7·3+8·1+9·3
= 128, and 130 − 128 = 2.

A code of only digits with the length of a GS1 kind is read as that kind
and must carry a right check digit, so a mistyped product barcode is caught
at the door; shop-made codes (letters, dashes, other lengths) are internal
codes. Someone who really has digits-only internal codes of 8, 12 or 13
digits says so by giving the kind ``internal``.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from zhongshu.catalog.models import BarcodeKind
from zhongshu.core.errors import ValidationError

GS1_LENGTHS: dict[str, int] = {
    BarcodeKind.EAN13: 13,
    BarcodeKind.EAN8: 8,
    BarcodeKind.UPC: 12,
}
_KIND_OF_LENGTH = {length: kind for kind, length in GS1_LENGTHS.items()}
INTERNAL_CODE = re.compile(r"^[0-9A-Za-z-]{1,64}$")


def check_digit(body: str) -> int:
    """The GS1 check digit of the digits before it (any length)."""
    if not body.isdigit() or not body.isascii():
        raise ValueError(f"{body!r} is not a string of digits.")
    total = sum(
        int(digit) * (3 if position % 2 == 0 else 1)
        for position, digit in enumerate(reversed(body))
    )
    return (10 - total % 10) % 10


def has_valid_check_digit(code: str) -> bool:
    return (
        len(code) >= 2
        and code.isdigit()
        and code.isascii()
        and check_digit(code[:-1]) == int(code[-1])
    )


def detect_kind(code: str) -> str:
    """The kind a code is read as when none is given."""
    if code.isdigit() and code.isascii() and len(code) in _KIND_OF_LENGTH:
        return _KIND_OF_LENGTH[len(code)]
    return BarcodeKind.INTERNAL


def normalize(code: str) -> str:
    """Scanners add a carriage return, people add spaces."""
    return code.strip()


def validate_barcode(code: str, kind: str | None = None) -> tuple[str, str]:
    """``(code, kind)`` cleaned and checked; ValidationError on ``barcode``
    naming what is wrong. ``kind`` None detects it from the code."""
    code = normalize(code)
    if not code:
        raise _error(_("Enter a barcode."))
    if kind in (None, ""):
        kind = detect_kind(code)
    if kind not in BarcodeKind.values:
        raise _error(_("Unknown barcode kind %(kind)s.") % {"kind": kind})
    if kind == BarcodeKind.INTERNAL:
        if not INTERNAL_CODE.match(code):
            raise _error(
                _(
                    "An internal code has 1 to 64 letters, digits or dashes: "
                    "%(code)s has others."
                )
                % {"code": code}
            )
        return code, kind
    length = GS1_LENGTHS[kind]
    label = BarcodeKind(kind).label
    if not (code.isdigit() and code.isascii() and len(code) == length):
        raise _error(
            _("%(kind)s barcodes have %(length)d digits: %(code)s does not.")
            % {"kind": label, "length": length, "code": code}
        )
    if not has_valid_check_digit(code):
        raise _error(
            _(
                "The check digit of %(kind)s barcode %(code)s is wrong "
                "(it should end in %(digit)d)."
            )
            % {"kind": label, "code": code, "digit": check_digit(code[:-1])}
        )
    return code, kind


def _error(message: str) -> ValidationError:
    return ValidationError(message, fields={"barcode": [message]})
