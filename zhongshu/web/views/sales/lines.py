"""The line grid of quotations and orders: reading its rows into the
services' ``LineData``, putting the services' refusals back on the cells,
and the live preview priced by the same rule the document will be."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from zhongshu.catalog.models import Product, Unit
from zhongshu.catalog.selectors import products as catalog
from zhongshu.core.errors import DomainError, ValidationError
from zhongshu.core.models import Company
from zhongshu.inventory import selectors as inventory_selectors
from zhongshu.sales import services
from zhongshu.sales.services.orders import price_document
from zhongshu.web.forms import WebForm, show_domain_error
from zhongshu.web.views.sales.common import find_customer
from zhongshu.web.views.sales.forms import DocumentForm, LineForm

ZERO = Decimal("0")


class LineError(Exception):
    """A cell could not be read; the message is on its field already."""


def find_product(company: Company, text: str) -> tuple[Product, Unit | None] | None:
    """A product by code, else by barcode (with the unit the barcode
    stands for: a case's barcode sells a case)."""
    text = text.strip().split(" ", 1)[0] if text.strip() else ""
    if not text:
        return None
    product = catalog.find_product(company, text)
    if product is not None:
        return product, None
    try:
        hit = catalog.find_by_barcode(company, text)
    except ValidationError:
        return None
    return hit.product, hit.unit


def _unit(company: Company, form: LineForm, default: Unit | None) -> Unit | None:
    code = (form.cleaned_data.get("unit") or "").strip()
    if not code:
        return default
    unit = catalog.find_unit(company, code)
    if unit is None:
        form.add_error("unit", _("There is no unit %(code)s.") % {"code": code})
        raise LineError
    return unit


def line_data(company: Company, form: LineForm) -> services.LineData:
    data = form.cleaned_data
    found = find_product(company, data.get("product") or "")
    if found is None:
        form.add_error(
            "product",
            _("There is no product %(code)s.") % {"code": data.get("product", "")},
        )
        raise LineError
    product, barcode_unit = found
    quantity = data.get("quantity")
    if quantity is None:
        form.add_error("quantity", _("Enter a quantity."))
        raise LineError
    warehouse_id = data.get("warehouse")
    return services.LineData(
        product=product,
        quantity=quantity,
        unit=_unit(company, form, barcode_unit),
        unit_price=data.get("unit_price"),
        discount_rate=data.get("discount_rate") or ZERO,
        warehouse=(
            inventory_selectors.get_warehouse(company, warehouse_id)
            if warehouse_id
            else None
        ),
    )


def read_lines(
    company: Company, forms: list[LineForm]
) -> tuple[list[LineForm], list[services.LineData]] | None:
    """The filled rows and their lines; None when a cell could not be read
    (each such cell carries its message)."""
    filled = [form for form in forms if not form.is_blank]
    lines: list[services.LineData] = []
    broken = False
    for form in filled:
        try:
            lines.append(line_data(company, form))
        except LineError:
            broken = True
    return None if broken else (filled, lines)


def order_data(
    company: Company, header: DocumentForm, lines: list[services.LineData]
) -> services.OrderData:
    data = header.cleaned_data
    customer = find_customer(company, data["customer"])
    if customer is None:
        header.add_error(
            "customer",
            _("There is no customer %(code)s.") % {"code": data["customer"]},
        )
        raise LineError
    warehouse_id = data.get("warehouse")
    return services.OrderData(
        customer=customer,
        date=data["date"],
        lines=lines,
        warehouse=(
            inventory_selectors.get_warehouse(company, warehouse_id)
            if warehouse_id
            else None
        ),
        prices_include_tax=data["prices_include_tax"],
        discount=data.get("discount") or ZERO,
        delivery_date=data.get("delivery_date"),
        delivery_address=data.get("delivery_address") or "",
        valid_until=data.get("valid_until"),
        memo=data["memo"],
    )


def place_error(error: DomainError, header: WebForm, rows: list[Any]) -> None:
    """``lines.2.quantity`` goes to the third filled row's quantity; the rest
    onto the header (or above the grid)."""
    placed = False
    for key, messages in error.fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(rows):
                form = rows[index]
                name = form.service_fields.get(parts[2], parts[2])
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
                placed = True
    if not placed:
        show_domain_error(header, error)


# --- the live preview --------------------------------------------------------------


@dataclass(slots=True)
class RowPreview:
    """What a row of the grid will be: its product, unit, price and amount
    (empty where it cannot be read yet)."""

    prefix: str
    product: str = ""
    unit: str = ""
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    error: str = ""


@dataclass(slots=True)
class Preview:
    rows: list[RowPreview] = field(default_factory=list)
    net_total: Decimal = ZERO
    tax_total: Decimal = ZERO
    total: Decimal = ZERO
    discount: Decimal = ZERO
    error: str = ""
    priced: bool = False


def _row_line(
    company: Company, form: LineForm, row: RowPreview
) -> services.LineData | None:
    data = form.cleaned_data
    found = find_product(company, data.get("product") or "")
    if found is None:
        row.error = _("There is no product %(code)s.") % {
            "code": data.get("product", "")
        }
        return None
    product, barcode_unit = found
    row.product = product.name
    code = (data.get("unit") or "").strip()
    unit = catalog.find_unit(company, code) if code else barcode_unit
    row.unit = (unit or product.base_unit).code
    quantity = data.get("quantity")
    if quantity is None:
        return None
    warehouse_id = data.get("warehouse")
    return services.LineData(
        product=product,
        quantity=quantity,
        unit=unit,
        unit_price=data.get("unit_price"),
        discount_rate=data.get("discount_rate") or ZERO,
        warehouse=(
            inventory_selectors.get_warehouse(company, warehouse_id)
            if warehouse_id
            else None
        ),
    )


def preview(
    company: Company, header: DocumentForm, forms: list[LineForm], inclusive: bool
) -> Preview:
    """Every readable row priced by ``price_document`` — the very function
    the services save with — so the totals shown are the totals saved."""
    result = Preview()
    readable: list[tuple[RowPreview, services.LineData]] = []
    for form in forms:
        row = RowPreview(prefix=form.prefix or "")
        result.rows.append(row)
        if not form.is_valid() or form.is_blank:
            continue
        line = _row_line(company, form, row)
        if line is not None:
            readable.append((row, line))
    if not readable or not header.is_valid():
        return result
    if find_customer(company, header.cleaned_data["customer"]) is None:
        return result
    try:
        data = order_data(company, header, [line for _row, line in readable])
        priced = price_document(company, data, inclusive)
    except LineError:
        return result
    except DomainError as error:
        _preview_error(result, readable, error)
        return result
    for (row, _line), item in zip(readable, priced, strict=True):
        row.unit_price = item.unit_price
        row.amount = item.amounts.amount
    result.net_total = sum((p.amounts.net_amount for p in priced), ZERO)
    result.tax_total = sum((p.amounts.tax_amount for p in priced), ZERO)
    result.total = sum((p.amounts.amount for p in priced), ZERO)
    result.discount = sum((p.amounts.order_discount for p in priced), ZERO)
    result.priced = True
    return result


def _preview_error(
    result: Preview,
    readable: list[tuple[RowPreview, services.LineData]],
    error: DomainError,
) -> None:
    for key, messages in error.fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(readable):
                readable[index][0].error = str(messages[0])
                continue
        result.error = str(messages[0])
    if not error.fields:
        result.error = error.message
