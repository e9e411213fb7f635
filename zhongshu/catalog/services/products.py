"""Products (SKUs): creating and changing them with their alternative units
(箱 = 12 件) and barcodes, and deactivating them.

``product_problems`` checks a product's data without the database; the
services add what needs it (unique codes and barcodes), and the Excel import
uses the same function row by row, so a product is held to the same rules
whichever way it comes in.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.catalog import barcodes as barcode_rules
from zhongshu.catalog.models import (
    Barcode,
    Category,
    PriceListItem,
    Product,
    ProductUnit,
    Unit,
    plain_decimal,
)
from zhongshu.catalog.services.common import (
    code_problem,
    field_error,
    places,
    text_problem,
)
from zhongshu.core import audit
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import Company
from zhongshu.core.money import QUANTITY_PLACES
from zhongshu.core.services import require_writable
from zhongshu.core.tenancy import same_company

TAX_CODE = re.compile(r"^\d{19}$")
MAX_FACTOR = Decimal("1e9")
RATE_PLACES = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class AltUnit:
    """One ``unit`` is ``factor`` base units."""

    unit: Unit
    factor: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class BarcodeInput:
    code: str
    kind: str = ""  # empty: read from the code (barcodes.detect_kind)
    unit: Unit | None = None  # None: the base unit


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductData:
    code: str
    name: str
    base_unit: Unit
    specification: str = ""
    category: Category | None = None
    brand: str = ""
    tax_code: str = ""
    vat_rate: Decimal = Decimal("0.13")
    track_lots: bool = False
    track_serials: bool = False
    track_expiry: bool = False
    shelf_life_days: int | None = None
    allow_negative_stock: bool = False
    image_url: str = ""
    units: tuple[AltUnit, ...] = ()
    barcodes: tuple[BarcodeInput, ...] = ()


Problems = dict[str, list[str]]
SCALAR_FIELDS = (
    "code", "name", "specification", "category", "base_unit", "brand", "tax_code",
    "vat_rate", "track_lots", "track_serials", "track_expiry", "shelf_life_days",
    "allow_negative_stock", "image_url",
)  # fmt: skip


# --- checks without the database ------------------------------------------------------


def product_problems(data: ProductData) -> tuple[ProductData, Problems]:
    """The data cleaned (texts stripped, barcodes normalized with their kind)
    and every problem found, by field; alternative units and barcodes are
    named by position: ``units.0.factor``, ``barcodes.1``."""
    problems: Problems = {}
    cleaned = dataclasses.replace(
        data,
        code=data.code.strip(),
        name=data.name.strip(),
        specification=data.specification.strip(),
        brand=data.brand.strip(),
        tax_code=data.tax_code.strip(),
        image_url=data.image_url.strip(),
    )
    _text_problems(cleaned, problems)
    _tax_problems(cleaned, problems)
    _tracking_problems(cleaned, problems)
    _unit_problems(cleaned, problems)
    barcodes = _barcode_problems(cleaned, problems)
    return dataclasses.replace(cleaned, barcodes=barcodes), problems


def _add(problems: Problems, key: str, message: str | None) -> None:
    if message is not None:
        problems.setdefault(key, []).append(message)


def _text_problems(data: ProductData, problems: Problems) -> None:
    _add(problems, "code", code_problem(data.code, 40))
    _add(problems, "name", text_problem(data.name, 200, required=True))
    _add(
        problems, "specification", text_problem(data.specification, 200, required=False)
    )
    _add(problems, "brand", text_problem(data.brand, 60, required=False))
    if data.image_url:
        try:
            URLValidator()(data.image_url)
        except DjangoValidationError:
            _add(problems, "image_url", _("Enter a valid URL."))
        _add(problems, "image_url", text_problem(data.image_url, 200, required=False))


def _tax_problems(data: ProductData, problems: Problems) -> None:
    if data.tax_code and not TAX_CODE.match(data.tax_code):
        _add(
            problems,
            "tax_code",
            _("A tax classification code has 19 digits."),
        )
    rate = data.vat_rate
    if not (Decimal("0") <= rate < Decimal("1")) or places(rate) > RATE_PLACES:
        _add(
            problems,
            "vat_rate",
            _("Enter a VAT rate from 0 to below 1 with at most 4 places, e.g. 0.13."),
        )


def _tracking_problems(data: ProductData, problems: Problems) -> None:
    days = data.shelf_life_days
    if days is not None and days <= 0:
        _add(problems, "shelf_life_days", _("The shelf life is at least one day."))
    if days is not None and not data.track_expiry:
        _add(
            problems,
            "shelf_life_days",
            _("A shelf life needs expiry tracking."),
        )


def _unit_problems(data: ProductData, problems: Problems) -> None:
    seen: set[int] = set()
    for index, alternative in enumerate(data.units):
        key = f"units.{index}"
        if alternative.unit.pk == data.base_unit.pk:
            _add(
                problems, f"{key}.unit", _("The base unit is not an alternative unit.")
            )
        elif alternative.unit.pk in seen:
            _add(
                problems,
                f"{key}.unit",
                _("The unit %(unit)s is given twice.")
                % {"unit": alternative.unit.code},
            )
        seen.add(alternative.unit.pk)
        factor = alternative.factor
        if not (Decimal("0") < factor < MAX_FACTOR) or places(factor) > QUANTITY_PLACES:
            _add(
                problems,
                f"{key}.factor",
                _(
                    "A conversion factor is above 0 with at most %(count)d "
                    "decimal places."
                )
                % {"count": QUANTITY_PLACES},
            )


def _barcode_problems(
    data: ProductData, problems: Problems
) -> tuple[BarcodeInput, ...]:
    allowed_units = {data.base_unit.pk} | {a.unit.pk for a in data.units}
    seen: set[str] = set()
    cleaned: list[BarcodeInput] = []
    for index, barcode in enumerate(data.barcodes):
        key = f"barcodes.{index}"
        try:
            code, kind = barcode_rules.validate_barcode(barcode.code, barcode.kind)
        except ValidationError as error:
            _add(problems, key, error.message)
            continue
        if code in seen:
            _add(
                problems,
                key,
                _("The barcode %(code)s is given twice.") % {"code": code},
            )
        seen.add(code)
        unit = barcode.unit
        if unit is not None and unit.pk not in allowed_units:
            _add(
                problems,
                key,
                _("The unit %(unit)s of barcode %(code)s is not a unit of the product.")
                % {"unit": unit.code, "code": code},
            )
        if unit is not None and unit.pk == data.base_unit.pk:
            unit = None
        cleaned.append(BarcodeInput(code=code, kind=kind, unit=unit))
    return tuple(cleaned)


def raise_problems(problems: Problems) -> None:
    if problems:
        first = next(iter(problems.values()))[0]
        raise ValidationError(first, fields=problems)


# --- checks with the database ---------------------------------------------------------


def _check_same_company(company: Company, data: ProductData) -> None:
    same_company(
        company,
        data.category,
        data.base_unit,
        *(a.unit for a in data.units),
        *(b.unit for b in data.barcodes),
    )


def _check_unique(company: Company, data: ProductData, product: Product | None) -> None:
    codes = Product.objects.filter(company=company, code=data.code)
    if product is not None:
        codes = codes.exclude(pk=product.pk)
    if codes.exists():
        message = _("The product code %(code)s exists.") % {"code": data.code}
        raise ConflictError(message, fields={"code": [message]})
    taken = Barcode.objects.filter(
        company=company, code__in=[b.code for b in data.barcodes]
    ).select_related("product")
    if product is not None:
        taken = taken.exclude(product=product)
    clashes = {
        f"barcodes.{[b.code for b in data.barcodes].index(row.code)}": [
            _("The barcode %(code)s is already used by %(product)s.")
            % {"code": row.code, "product": row.product.code}
        ]
        for row in taken
    }
    if clashes:
        raise ConflictError(next(iter(clashes.values()))[0], fields=clashes)


def _checked(
    company: Company, data: ProductData, product: Product | None
) -> ProductData:
    _check_same_company(company, data)
    data, problems = product_problems(data)
    raise_problems(problems)
    _check_unique(company, data, product)
    return data


# --- writes ---------------------------------------------------------------------------


def _scalar_values(data: ProductData) -> dict[str, Any]:
    return {name: getattr(data, name) for name in SCALAR_FIELDS}


@transaction.atomic
def create_product(*, company: Company, actor: User, data: ProductData) -> Product:
    require_writable(company)
    data = _checked(company, data, None)
    product = Product.objects.create(company=company, **_scalar_values(data))
    _save_units(product, data.units)
    _save_barcodes(product, data.barcodes)
    audit.record(
        company=company,
        actor=actor,
        action="created",
        obj=product,
        changes=_details(data),
    )
    return product


@transaction.atomic
def update_product(
    *,
    product: Product,
    actor: User,
    data: ProductData,
    base_unit_change_allowed: bool = False,
) -> Product:
    """Replace the product's data, alternative units and barcodes.

    The base unit stays: stock and documents keep quantities in it. A higher
    module that knows nothing was kept in it yet (inventory, with no moves)
    may pass ``base_unit_change_allowed``."""
    company = product.company
    require_writable(company)
    product = Product.objects.select_for_update().get(pk=product.pk)
    data = _checked(company, data, product)
    if data.base_unit.pk != product.base_unit_id and not base_unit_change_allowed:
        raise field_error(
            "base_unit",
            _(
                "The base unit of a product cannot change: quantities are kept in "
                "it. Deactivate the product and add a new one instead."
            ),
        )
    before = {**_scalar_values_of(product), **_details_of(product)}
    _check_removed_units(product, data)
    for name, value in _scalar_values(data).items():
        setattr(product, name, value)
    product.save(update_fields=list(SCALAR_FIELDS))
    _save_units(product, data.units)
    _save_barcodes(product, data.barcodes)
    after = {**_scalar_values_of(product), **_details(data)}
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=product,
        changes=audit.field_changes(before, after),
    )
    return product


def _scalar_values_of(product: Product) -> dict[str, Any]:
    values = {name: getattr(product, name) for name in SCALAR_FIELDS}
    values["category"] = product.category_id
    values["base_unit"] = product.base_unit_id
    return values


def _details(data: ProductData) -> dict[str, Any]:
    return {
        "units": sorted(f"{a.unit.code}={plain_decimal(a.factor)}" for a in data.units),
        "barcodes": sorted(b.code for b in data.barcodes),
    }


def _details_of(product: Product) -> dict[str, Any]:
    units = ProductUnit.objects.filter(product=product).select_related("unit")
    return {
        "units": sorted(f"{u.unit.code}={plain_decimal(u.factor)}" for u in units),
        "barcodes": sorted(
            Barcode.objects.filter(product=product).values_list("code", flat=True)
        ),
    }


def _check_removed_units(product: Product, data: ProductData) -> None:
    kept = {a.unit.pk for a in data.units} | {data.base_unit.pk}
    priced = (
        PriceListItem.objects.filter(company_id=product.company_id, product=product)
        .exclude(unit_id__in=kept)
        .select_related("unit")
        .first()
    )
    if priced is not None:
        message = _(
            "A price list prices the product in %(unit)s; remove that price first."
        ) % {"unit": priced.unit.code}
        raise ConflictError(message, fields={"units": [message]})


def _save_units(product: Product, units: tuple[AltUnit, ...]) -> None:
    existing = {u.unit_id: u for u in ProductUnit.objects.filter(product=product)}
    wanted = {a.unit.pk: a for a in units}
    ProductUnit.objects.filter(product=product).exclude(unit_id__in=wanted).delete()
    for unit_id, alternative in wanted.items():
        row = existing.get(unit_id)
        if row is None:
            ProductUnit.objects.create(
                company_id=product.company_id,
                product=product,
                unit=alternative.unit,
                factor=alternative.factor,
            )
        elif row.factor != alternative.factor:
            row.factor = alternative.factor
            row.save(update_fields=["factor"])


def _save_barcodes(product: Product, barcodes: tuple[BarcodeInput, ...]) -> None:
    existing = {b.code: b for b in Barcode.objects.filter(product=product)}
    wanted = {b.code: b for b in barcodes}
    Barcode.objects.filter(product=product).exclude(code__in=wanted).delete()
    for code, barcode in wanted.items():
        unit_id = barcode.unit.pk if barcode.unit is not None else None
        row = existing.get(code)
        if row is None:
            Barcode.objects.create(
                company_id=product.company_id,
                product=product,
                code=code,
                kind=barcode.kind,
                unit_id=unit_id,
            )
        elif (row.kind, row.unit_id) != (barcode.kind, unit_id):
            row.kind, row.unit_id = barcode.kind, unit_id
            row.save(update_fields=["kind", "unit"])


@transaction.atomic
def set_product_active(*, product: Product, actor: User, active: bool) -> Product:
    """Deactivate (nothing new may use it; history stays) or reactivate."""
    require_writable(product.company)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.is_active != active:
        product.is_active = active
        product.save(update_fields=["is_active"])
        audit.record(
            company=product.company,
            actor=actor,
            action="changed",
            obj=product,
            changes={"is_active": [not active, active]},
        )
    return product


def deactivate_product(*, product: Product, actor: User) -> Product:
    return set_product_active(product=product, actor=actor, active=False)
