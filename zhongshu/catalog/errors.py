"""The catalog's refusals that other modules catch by type or code."""

from __future__ import annotations

from typing import ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhongshu.core.errors import NotFoundError, ValidationError


class UnitNotConvertibleError(ValidationError):
    """A quantity in a unit the product has neither as base nor alternative."""

    code = "unit_not_convertible"
    default_message: ClassVar[str | Promise] = _("The unit is not convertible.")


class UnknownBarcodeError(ValidationError):
    """A scanned or typed code no product of the company carries."""

    code = "unknown_barcode"
    default_message: ClassVar[str | Promise] = _("Unknown barcode.")


class BarcodeNotFoundError(NotFoundError):
    """The API's barcode lookup: the resource ``/barcodes/{code}`` is absent."""

    code = "unknown_barcode"
    default_message: ClassVar[str | Promise] = _("Unknown barcode.")
