"""GS1 check digits and what counts as a barcode."""

from __future__ import annotations

import pytest

from zhongshu.catalog import barcodes
from zhongshu.core.errors import ValidationError


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        # 690123456789: weights 1,3 from the left of 12 digits → 128; 130-128 = 2
        ("6901234567892", "ean13"),
        # 9638507: 7·3+0+5·3+8+3·3+6+9·3 = 86 → 4
        ("96385074", "ean8"),
        # 03600029145: 5·3+4+1·3+9+2·3+0+0+0+6·3+3+0 = 58 → 2
        ("036000291452", "upc"),
        ("4006381333931", "ean13"),
    ],
)
def test_known_codes_are_valid_and_detected(code: str, kind: str) -> None:
    # when
    cleaned, detected = barcodes.validate_barcode(f" {code}\r\n")
    # then
    assert (cleaned, detected) == (code, kind)
    assert barcodes.check_digit(code[:-1]) == int(code[-1])


@pytest.mark.parametrize(
    ("code", "kind", "message"),
    [
        ("6901234567891", None, "should end in 2"),
        ("96385075", None, "should end in 4"),
        ("036000291453", None, "should end in 2"),
        ("690123456789", "ean13", "EAN-13 barcodes have 13 digits"),
        ("69012345678A2", "ean13", "EAN-13 barcodes have 13 digits"),
        ("SKU 001", None, "internal code"),
        ("", None, "Enter a barcode"),
        ("123", "qr", "Unknown barcode kind"),
    ],
)
def test_wrong_codes_are_refused_with_the_reason(
    code: str, kind: str | None, message: str
) -> None:
    # when
    with pytest.raises(ValidationError) as refused:
        barcodes.validate_barcode(code, kind)
    # then
    assert message in refused.value.message
    assert list(refused.value.fields) == ["barcode"]


def test_internal_codes_take_letters_digits_and_dashes() -> None:
    assert barcodes.validate_barcode("T-SHIRT-01") == ("T-SHIRT-01", "internal")
    assert barcodes.validate_barcode("12345") == ("12345", "internal")
    # a 13-digit code with a wrong check digit is accepted only when declared
    assert barcodes.validate_barcode("6901234567891", "internal") == (
        "6901234567891",
        "internal",
    )


def test_full_width_digits_are_not_gs1_digits() -> None:
    # "６９０…" passes str.isdigit() but no scanner produces it
    assert barcodes.detect_kind("６９０１２３４５６７８９２") == "internal"
    with pytest.raises(ValidationError):
        barcodes.validate_barcode("６９０１２３４５６７８９２")
