"""Inputs of the purchasing API to rows. Suppliers, purchase orders and
payable items are named by id and looked up in the calling company only:
another company's id is a 404, as in a path. Products, units, warehouses,
locations, accounts and buyers are named by code (username), which only
ever finds the calling company's row; an unknown one is a 422 on its field.

Ids are resolved before codes, so a body naming another company's row is
refused with 404 whatever else is wrong with it."""

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from zhongshu.catalog.models import Product, Unit
from zhongshu.catalog.selectors import products as catalog
from zhongshu.core import clock
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.inventory import selectors as inventory
from zhongshu.inventory.models import Location, Warehouse
from zhongshu.ledger.models import Account
from zhongshu.ledger.selectors import vouchers as ledger
from zhongshu.partners.models import Supplier
from zhongshu.partners.selectors import customers as partners
from zhongshu.purchasing import services
from zhongshu.purchasing.models import (
    GoodsReceipt,
    PayableItem,
    PurchaseOrder,
    PurchaseOrderLine,
)
from zhongshu.purchasing.schemas import (
    AllocationIn,
    InvoiceIn,
    OrderIn,
    ReceiveIn,
    RequisitionIn,
    ReturnIn,
)


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


# --- by id: 404 for another company's --------------


def supplier(company: Company, supplier_id: int) -> Supplier:
    found = Supplier.objects.filter(company=company, pk=supplier_id).first()
    if found is None:
        raise NotFoundError(_("Supplier not found."))
    return found


def supplier_or_none(company: Company, supplier_id: int | None) -> Supplier | None:
    return None if supplier_id is None else supplier(company, supplier_id)


def _orders(company: Company, ids: Sequence[int]) -> dict[int, PurchaseOrder]:
    found = {
        order.pk: order
        for order in PurchaseOrder.objects.filter(company=company, pk__in=set(ids))
    }
    if len(found) != len(set(ids)):
        raise NotFoundError(_("Purchase order not found."))
    return found


# --- by code: 422 on the field when unknown --------------


def product(company: Company, code: str, field: str) -> Product:
    found = inventory.find_product(company, code)
    if found is None:
        raise invalid(field, _("There is no product %(code)s.") % {"code": code})
    return found


def warehouse(company: Company, code: str, field: str) -> Warehouse | None:
    if not code.strip():
        return None
    found = inventory.find_warehouse(company, code)
    if found is None:
        raise invalid(field, _("There is no warehouse %(code)s.") % {"code": code})
    return found


def location(
    company: Company, in_warehouse: Warehouse, code: str, field: str
) -> Location | None:
    if not code.strip():
        return None
    found = inventory.find_location(company, in_warehouse, code)
    if found is None:
        raise invalid(
            field,
            _("There is no location %(code)s in warehouse %(warehouse)s.")
            % {"code": code, "warehouse": in_warehouse.code},
        )
    return found


def unit(company: Company, code: str, field: str) -> Unit | None:
    if not code.strip():
        return None
    found = catalog.find_unit(company, code)
    if found is None:
        raise invalid(field, _("There is no unit %(code)s.") % {"code": code})
    return found


def account(company: Company, code: str) -> Account | None:
    if not code.strip():
        return None
    found = ledger.find_account(company, code)
    if found is None:
        raise invalid("account", _("There is no account %(code)s.") % {"code": code})
    return found


def member(company: Company, username: str, field: str) -> User | None:
    if not username.strip():
        return None
    user = partners.find_member(company, username)
    if user is None:
        raise invalid(
            field,
            _("%(username)s is not a member of this company.") % {"username": username},
        )
    return user


def day(value: datetime.date | None) -> datetime.date:
    return value or clock.today()


# --- documents --------------


def requisition_data(
    company: Company, payload: RequisitionIn
) -> services.RequisitionData:
    vendors = [supplier_or_none(company, line.supplier_id) for line in payload.lines]
    chosen = warehouse(company, payload.warehouse, "warehouse")
    if chosen is None:
        chosen = services.settings_of(company).default_warehouse
    if chosen is None:
        raise invalid("warehouse", _("Choose the warehouse the goods go to."))
    return services.RequisitionData(
        date=payload.date,
        warehouse=chosen,
        needed_by=payload.needed_by,
        reason=payload.reason,
        lines=[
            services.RequisitionLineData(
                product=product(company, line.product, f"lines.{index}.product"),
                quantity=line.quantity,
                supplier=vendor,
                unit_price=line.unit_price,
                memo=line.memo,
            )
            for index, (line, vendor) in enumerate(
                zip(payload.lines, vendors, strict=True)
            )
        ],
    )


def order_data(
    company: Company, payload: OrderIn, vendor: Supplier
) -> services.OrderData:
    return services.OrderData(
        supplier=vendor,
        date=payload.date,
        warehouse=warehouse(company, payload.warehouse, "warehouse"),
        prices_include_tax=payload.prices_include_tax,
        expected_date=payload.expected_date,
        buyer=member(company, payload.buyer, "buyer"),
        memo=payload.memo,
        lines=[
            services.LineData(
                product=product(company, line.product, f"lines.{index}.product"),
                quantity=line.quantity,
                unit=unit(company, line.unit, f"lines.{index}.unit"),
                unit_price=line.unit_price,
                warehouse=warehouse(
                    company, line.warehouse, f"lines.{index}.warehouse"
                ),
                memo=line.memo,
            )
            for index, line in enumerate(payload.lines)
        ],
    )


def _order_line(
    lines: Sequence[PurchaseOrderLine], line_no: int, field: str
) -> PurchaseOrderLine:
    found = next((line for line in lines if line.line_no == line_no), None)
    if found is None:
        raise invalid(field, _("The order has no line %(line)d.") % {"line": line_no})
    return found


def receipt_lines(
    company: Company, order: PurchaseOrder, payload: ReceiveIn
) -> list[services.ReceiptLineData] | None:
    """None (everything open) when no line is named."""
    if not payload.lines:
        return None
    order_lines = list(order.lines.select_related("warehouse"))
    result = []
    for index, line in enumerate(payload.lines):
        found = _order_line(order_lines, line.line_no, f"lines.{index}.line_no")
        result.append(
            services.ReceiptLineData(
                order_line=found,
                quantity=line.quantity,
                location=location(
                    company,
                    found.warehouse,
                    line.location,
                    f"lines.{index}.location",
                ),
                lot=line.lot,
                expiry_date=line.expiry_date,
            )
        )
    return result


def return_lines(
    receipt: GoodsReceipt, payload: ReturnIn
) -> list[services.ReturnLineData]:
    receipt_lines = list(receipt.lines.order_by("id"))
    result = []
    for index, line in enumerate(payload.lines):
        if line.line_no > len(receipt_lines):
            raise invalid(
                f"lines.{index}.line_no",
                _("The receipt has no line %(line)d.") % {"line": line.line_no},
            )
        result.append(
            services.ReturnLineData(
                receipt_line=receipt_lines[line.line_no - 1], quantity=line.quantity
            )
        )
    return result


def invoice_data(company: Company, payload: InvoiceIn) -> services.InvoiceData:
    vendor = supplier(company, payload.supplier_id)
    orders = _orders(company, [line.purchase_order_id for line in payload.lines])
    order_lines: dict[int, list[PurchaseOrderLine]] = {}
    for row in PurchaseOrderLine.objects.filter(order_id__in=list(orders)):
        order_lines.setdefault(row.order_id, []).append(row)
    lines = []
    for index, line in enumerate(payload.lines):
        found = _order_line(
            order_lines.get(line.purchase_order_id, []),
            line.line_no,
            f"lines.{index}.line_no",
        )
        lines.append(
            services.InvoiceLineData(
                order_line=found, quantity=line.quantity, unit_price=line.unit_price
            )
        )
    return services.InvoiceData(
        supplier=vendor,
        invoice_number=payload.invoice_number,
        date=payload.date,
        due_date=payload.due_date,
        memo=payload.memo,
        lines=lines,
    )


def allocations(
    company: Company, rows: Sequence[AllocationIn] | None
) -> list[services.Allocation] | None:
    """Items named by id (404 when not the company's) or by number."""
    if rows is None:
        return None
    items = PayableItem.objects.filter(company=company)
    wanted = {row.payable_item_id for row in rows if row.payable_item_id is not None}
    by_id = {item.pk: item for item in items.filter(pk__in=wanted)}
    if len(by_id) != len(wanted):
        raise NotFoundError(_("Payable item not found."))
    numbers = [row.number.strip() for row in rows if row.payable_item_id is None]
    by_number: dict[str, PayableItem] = {}
    for item in items.filter(number__in=numbers).order_by("-open_amount", "id"):
        by_number.setdefault(item.number, item)
    result = []
    for index, row in enumerate(rows):
        if row.payable_item_id is not None:
            item = by_id[row.payable_item_id]
        else:
            found = by_number.get(row.number.strip())
            if found is None:
                field = f"allocations.{index}.number"
                raise invalid(
                    field,
                    _("There is no payable item %(number)s.") % {"number": row.number},
                )
            item = found
        result.append(services.Allocation(item, row.amount))
    return result
