"""The line grids of requisitions and purchase orders: reading their rows
into the services' line data, and the order's live preview priced by the
very function the order is saved with (``price_order``: an empty price is
the supplier's)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from zhongshu.catalog.models import Product, Unit
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.inventory import selectors as inventory_selectors
from zhongshu.inventory.models import Warehouse
from zhongshu.purchasing import services
from zhongshu.purchasing.services.orders import price_order
from zhongshu.web.views.purchasing.common import find_supplier
from zhongshu.web.views.purchasing.forms import (
    LineFormBase,
    OrderForm,
    OrderLineForm,
    RequisitionLineForm,
)
from zhongshu.web.views.sales.lines import (
    LineError,
    Preview,
    RowPreview,
    find_product,
)

ZERO = Decimal("0")


def _warehouse(company: Company, warehouse_id: int | None) -> Warehouse | None:
    return (
        inventory_selectors.get_warehouse(company, warehouse_id)
        if warehouse_id
        else None
    )


def _product_and_quantity(
    company: Company, form: LineFormBase
) -> tuple[Product, Unit | None, Decimal]:
    """The row's product (with the unit its barcode stands for) and
    quantity, or LineError with the message on the cell."""
    data = form.cleaned_data
    found = find_product(company, data.get("product") or "")
    if found is None:
        form.add_error(
            "product",
            _("There is no product %(code)s.") % {"code": data.get("product", "")},
        )
        raise LineError
    quantity = data.get("quantity")
    if quantity is None:
        form.add_error("quantity", _("Enter a quantity."))
        raise LineError
    product, unit = found
    return product, unit, quantity


def order_line(company: Company, form: OrderLineForm) -> services.LineData:
    product, unit, quantity = _product_and_quantity(company, form)
    return services.LineData(
        product=product,
        quantity=quantity,
        unit=unit,
        unit_price=form.cleaned_data.get("unit_price"),
        warehouse=_warehouse(company, form.cleaned_data.get("warehouse")),
    )


def requisition_line(
    company: Company, form: RequisitionLineForm
) -> services.RequisitionLineData:
    product, _unit, quantity = _product_and_quantity(company, form)
    text = (form.cleaned_data.get("supplier") or "").strip()
    supplier = find_supplier(company, text) if text else None
    if text and supplier is None:
        form.add_error("supplier", _("There is no supplier %(code)s.") % {"code": text})
        raise LineError
    return services.RequisitionLineData(
        product=product,
        quantity=quantity,
        supplier=supplier,
        unit_price=form.cleaned_data.get("unit_price"),
    )


def read_order_lines(
    company: Company, forms: list[OrderLineForm]
) -> tuple[list[OrderLineForm], list[services.LineData]] | None:
    """The filled rows and their lines; None when a cell could not be read
    (each such cell carries its message)."""
    filled = [form for form in forms if not form.is_blank]
    lines: list[services.LineData] = []
    broken = False
    for form in filled:
        try:
            lines.append(order_line(company, form))
        except LineError:
            broken = True
    return None if broken else (filled, lines)


def read_requisition_lines(
    company: Company, forms: list[RequisitionLineForm]
) -> tuple[list[RequisitionLineForm], list[services.RequisitionLineData]] | None:
    filled = [form for form in forms if not form.is_blank]
    lines: list[services.RequisitionLineData] = []
    broken = False
    for form in filled:
        try:
            lines.append(requisition_line(company, form))
        except LineError:
            broken = True
    return None if broken else (filled, lines)


def order_data(
    company: Company, header: OrderForm, lines: list[services.LineData]
) -> services.OrderData:
    data = header.cleaned_data
    supplier = find_supplier(company, data["supplier"])
    if supplier is None:
        header.add_error(
            "supplier",
            _("There is no supplier %(code)s.") % {"code": data["supplier"]},
        )
        raise LineError
    return services.OrderData(
        supplier=supplier,
        date=data["date"],
        lines=lines,
        warehouse=_warehouse(company, data.get("warehouse")),
        prices_include_tax=data["prices_include_tax"],
        expected_date=data.get("expected_date"),
        memo=data["memo"],
    )


# --- the live preview --------------------------------------------------------------


def _row_line(
    company: Company, form: OrderLineForm, row: RowPreview
) -> services.LineData | None:
    data = form.cleaned_data
    found = find_product(company, data.get("product") or "")
    if found is None:
        row.error = _("There is no product %(code)s.") % {
            "code": data.get("product", "")
        }
        return None
    product, unit = found
    row.product = product.name
    shown = unit or product.base_unit
    row.unit = shown.code if shown else ""
    quantity = data.get("quantity")
    if quantity is None:
        return None
    return services.LineData(
        product=product,
        quantity=quantity,
        unit=unit,
        unit_price=data.get("unit_price"),
        warehouse=_warehouse(company, data.get("warehouse")),
    )


def _readable(
    company: Company, forms: list[OrderLineForm], result: Preview
) -> list[tuple[RowPreview, services.LineData]]:
    readable = []
    for form in forms:
        row = RowPreview(prefix=form.prefix or "")
        result.rows.append(row)
        if not form.is_valid() or form.is_blank:
            continue
        line = _row_line(company, form, row)
        if line is not None:
            readable.append((row, line))
    return readable


def preview(company: Company, header: OrderForm, forms: list[OrderLineForm]) -> Preview:
    """Every readable row priced by ``price_order`` — the function the
    order is saved with — so the totals shown are the totals saved."""
    result = Preview()
    readable = _readable(company, forms, result)
    if not readable or not header.is_valid():
        return result
    if find_supplier(company, header.cleaned_data["supplier"]) is None:
        return result
    try:
        data = order_data(company, header, [line for _row, line in readable])
        warehouse = data.warehouse or services.settings_of(company).default_warehouse
        if warehouse is None:
            return result
        inclusive = bool(data.prices_include_tax)
        priced = price_order(company, data, warehouse, inclusive)
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
