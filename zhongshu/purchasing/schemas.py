"""django-ninja schemas of the purchasing API: separate input and output classes.

Suppliers and purchase orders are named by id in inputs (another company's
id is a 404); products, units, warehouses, locations, accounts and buyers by
code (username); lines of an order or a receipt by their line number;
payable items by id or number. Amounts, prices and quantities travel as JSON
strings or numbers and become exact ``Decimal``s; outputs carry them as
strings.

Nested lists naming rows by id (requisition and invoice lines, allocations)
carry no example at the top level: the tenancy probe fills their ids with
another company's and must find them (``zhongshu.api.tests.probe``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, ClassVar

from ninja import Field, Schema
from pydantic import ConfigDict

from zhongshu.core.aging import Basis
from zhongshu.ledger.schemas import AmountIn, PriceIn, QuantityIn
from zhongshu.purchasing.models import (
    GoodsReceipt,
    Payment,
    PaymentSettlement,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReturn,
    Requisition,
    RequisitionLine,
    SupplierInvoice,
    SupplierInvoiceLine,
)

_INPUT = ConfigDict(extra="forbid")
MAX_ID = 2**63 - 1

# --- inputs --------------------------------------------------------------------------


class RequisitionLineIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"product": "CUP", "quantity": "10"}]},
    )

    product: str = Field(min_length=1, max_length=64, description="Code or barcode.")
    quantity: QuantityIn = Field(description="In the product's base unit.")
    supplier_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Empty: the product's preferred supplier."
    )
    unit_price: PriceIn | None = Field(
        None, description="Estimated; empty: the supplier's price."
    )
    memo: str = Field("", max_length=200)


class RequisitionIn(Schema):
    """请购单: what is needed, where and by when."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"date": "2026-03-02", "warehouse": "WH1", "reason": "补货"},
            ]
        },
    )

    date: datetime.date
    lines: list[RequisitionLineIn]
    warehouse: str = Field(
        "", max_length=40, description="Empty: the purchasing default."
    )
    needed_by: datetime.date | None = None
    reason: str = Field("", max_length=200)


class NoteIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    note: str = Field("", max_length=200)


class ReasonIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    reason: str = Field("", max_length=200, description="Why: kept on the order.")


class OrderRequisitionIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    date: datetime.date | None = Field(None, description="Empty: today.")


class OrderLineIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"product": "CUP", "quantity": "10", "unit_price": "12.50"}]
        },
    )

    product: str = Field(min_length=1, max_length=64, description="Code or barcode.")
    quantity: QuantityIn
    unit: str = Field("", max_length=20, description="Empty: the base unit.")
    unit_price: PriceIn | None = Field(
        None,
        description="In the line's unit, with or without VAT as the order's "
        "prices are; empty: the supplier's price.",
    )
    warehouse: str = Field("", max_length=40, description="Empty: the order's.")
    memo: str = Field("", max_length=200)


class OrderIn(Schema):
    """A purchase order."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "supplier_id": 1,
                    "date": "2026-03-02",
                    "warehouse": "WH1",
                    "lines": [
                        {"product": "CUP", "quantity": "10", "unit_price": "12.50"}
                    ],
                }
            ]
        },
    )

    supplier_id: int = Field(ge=1, le=MAX_ID)
    date: datetime.date
    lines: list[OrderLineIn]
    warehouse: str = Field(
        "", max_length=40, description="Empty: the purchasing default."
    )
    prices_include_tax: bool | None = Field(
        None, description="Empty: the purchase settings' choice."
    )
    expected_date: datetime.date | None = None
    buyer: str = Field("", max_length=150, description="Username; empty: the caller.")
    memo: str = Field("", max_length=200)


class OrderChangeIn(OrderIn):
    """A draft order's new header and lines."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "date": "2026-03-02",
                    "lines": [{"product": "CUP", "quantity": "12"}],
                }
            ]
        },
    )

    supplier_id: int | None = Field(  # type: ignore[assignment]
        None, ge=1, le=MAX_ID, description="Empty: the order's supplier."
    )


class LineDateIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"line": 1, "date": "2026-03-12"}]},
    )

    line: int = Field(ge=1, le=32767, description="The order's line number.")
    date: datetime.date


class SupplierConfirmationIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    dates: list[LineDateIn] = Field(
        default_factory=list, description="Lines not named keep their dates."
    )
    reference: str = Field(
        "", max_length=60, description="The supplier's order number."
    )


class ReceiveLineIn(Schema):
    """One order line, by ``line_no``; ``quantity`` in the base unit."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"line_no": 1, "quantity": "1"}]},
    )

    line_no: int = Field(ge=1, le=32767)
    quantity: QuantityIn
    location: str = Field("", max_length=40, description="Empty: the default bin.")
    lot: str = Field("", max_length=40)
    expiry_date: datetime.date | None = None


class ReceiveIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    date: datetime.date | None = Field(None, description="Empty: today.")
    lines: list[ReceiveLineIn] = Field(
        default_factory=list, description="Empty: everything still open."
    )
    memo: str = Field("", max_length=200)


class ReturnLineIn(Schema):
    """One receipt line, by its ``line_no`` on the receipt (1, 2, … as
    listed); ``quantity`` in the base unit."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"line_no": 1, "quantity": "1"}]},
    )

    line_no: int = Field(ge=1, le=32767)
    quantity: QuantityIn


class ReturnIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    date: datetime.date | None = Field(None, description="Empty: today.")
    lines: list[ReturnLineIn]
    reason: str = Field("", max_length=200)


class InvoiceLineIn(Schema):
    """The order line billed (an order by id and its line number); the
    quantity in the base unit, the unit price per base unit with or without
    VAT as the order's prices are."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"line_no": 1, "quantity": "10", "unit_price": "12.50"}]
        },
    )

    purchase_order_id: int = Field(ge=1, le=MAX_ID)
    line_no: int = Field(ge=1, le=32767)
    quantity: QuantityIn
    unit_price: PriceIn


class InvoiceIn(Schema):
    """采购发票: matched against the orders and what was received."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "supplier_id": 1,
                    "invoice_number": "26442000000012345678",
                    "date": "2026-03-10",
                }
            ]
        },
    )

    supplier_id: int = Field(ge=1, le=MAX_ID)
    invoice_number: str = Field(min_length=1, max_length=40)
    date: datetime.date
    lines: list[InvoiceLineIn]
    due_date: datetime.date | None = Field(
        None, description="Empty: the date plus the supplier's terms."
    )
    memo: str = Field("", max_length=200)


class AllocationIn(Schema):
    """An open payable item, by ``payable_item_id`` or its ``number``, and
    what to settle of it."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"number": "CGFP-2026-00001", "amount": "1"}]},
    )

    payable_item_id: int | None = Field(None, ge=1, le=MAX_ID)
    number: str = Field("", max_length=40)
    amount: AmountIn


class PaymentIn(Schema):
    """付款单."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "supplier_id": 1,
                    "date": "2026-03-20",
                    "amount": "1831.90",
                    "discount": "10.00",
                }
            ]
        },
    )

    supplier_id: int = Field(ge=1, le=MAX_ID)
    date: datetime.date | None = Field(None, description="Empty: today.")
    amount: AmountIn = Field(description="What leaves the bank.")
    discount: AmountIn = Field(
        Decimal("0"), description="Granted by the supplier (现金折扣)."
    )
    account: str = Field("", max_length=40, description="Empty: the bank account.")
    is_prepayment: bool = Field(
        False, description="What settles nothing waits as a prepayment (预付)."
    )
    allocations: list[AllocationIn] | None = Field(
        None, description="Empty: the oldest open items first."
    )
    memo: str = Field("", max_length=200)


class ApplyIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    date: datetime.date | None = Field(None, description="Empty: today.")
    allocations: list[AllocationIn] | None = Field(
        description="null: the oldest open items first."
    )


class DocumentQuery(Schema):
    q: str = Field("", max_length=100, description="Number, supplier code or name.")
    supplier_id: int | None = Field(None, ge=1, le=MAX_ID)
    state: str = Field("", max_length=20)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    warehouse: str = Field("", max_length=40, description="The code.")


class PayablesQuery(Schema):
    supplier_id: int | None = Field(None, ge=1, le=MAX_ID)


class AgingQuery(Schema):
    as_of: datetime.date | None = Field(
        None, description="End of this day; today when empty."
    )
    basis: Basis = Field(
        Basis.DUE_DATE,
        description="Days past the due date, or age from the document date.",
    )
    supplier_id: int | None = Field(None, ge=1, le=MAX_ID)


class StatementQuery(Schema):
    supplier_id: int = Field(ge=1, le=MAX_ID)
    date_from: datetime.date
    date_to: datetime.date


# --- outputs -------------------------------------------------------------------------


class _SupplierNamed(Schema):
    supplier_id: int
    supplier: str
    supplier_name: str

    @staticmethod
    def resolve_supplier(obj: Any) -> str:
        return str(obj.supplier.code)

    @staticmethod
    def resolve_supplier_name(obj: Any) -> str:
        return str(obj.supplier.name)


class RequisitionLineOut(Schema):
    id: int
    line_no: int
    product: str
    product_name: str
    quantity: Decimal
    supplier_id: int | None
    supplier: str
    unit_price: Decimal
    amount: Decimal
    memo: str

    @staticmethod
    def resolve_product(obj: RequisitionLine) -> str:
        return obj.product.code

    @staticmethod
    def resolve_product_name(obj: RequisitionLine) -> str:
        return obj.product.name

    @staticmethod
    def resolve_supplier(obj: RequisitionLine) -> str:
        return obj.supplier.code if obj.supplier else ""


class RequisitionRowOut(Schema):
    id: int
    number: str
    state: str
    date: datetime.date
    warehouse: str
    requester: str
    needed_by: datetime.date | None
    total: Decimal
    reason: str

    @staticmethod
    def resolve_warehouse(obj: Requisition) -> str:
        return obj.warehouse.code

    @staticmethod
    def resolve_requester(obj: Requisition) -> str:
        return obj.requester.username if obj.requester else ""


class RequisitionOut(RequisitionRowOut):
    decision_note: str
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    rejected_at: datetime.datetime | None
    order_ids: list[int]
    lines: list[RequisitionLineOut]

    @staticmethod
    def resolve_order_ids(obj: Requisition) -> list[int]:
        return sorted(order.pk for order in obj.orders.all())

    @staticmethod
    def resolve_lines(obj: Requisition) -> list[Any]:
        return list(obj.lines.all())


class OrderLineOut(Schema):
    id: int
    line_no: int
    product: str
    product_name: str
    unit: str
    quantity: Decimal
    base_quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    amount: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    warehouse: str
    confirmed_date: datetime.date | None
    received_quantity: Decimal = Field(description="Base units, less returns.")
    returned_quantity: Decimal
    invoiced_quantity: Decimal
    memo: str

    @staticmethod
    def resolve_product(obj: PurchaseOrderLine) -> str:
        return obj.product.code

    @staticmethod
    def resolve_product_name(obj: PurchaseOrderLine) -> str:
        return obj.product.name

    @staticmethod
    def resolve_unit(obj: PurchaseOrderLine) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_warehouse(obj: PurchaseOrderLine) -> str:
        return obj.warehouse.code


class OrderRowOut(_SupplierNamed):
    id: int
    number: str
    state: str
    date: datetime.date
    warehouse: str
    expected_date: datetime.date | None
    net_total: Decimal
    tax_total: Decimal
    total: Decimal

    @staticmethod
    def resolve_warehouse(obj: PurchaseOrder) -> str:
        return obj.warehouse.code


class OrderOut(OrderRowOut):
    requisition_id: int | None
    prices_include_tax: bool
    buyer: str
    memo: str
    supplier_confirmed_at: datetime.datetime | None
    supplier_reference: str
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_buyer(obj: PurchaseOrder) -> str:
        return obj.buyer.username if obj.buyer else ""

    @staticmethod
    def resolve_lines(obj: PurchaseOrder) -> list[Any]:
        return list(obj.lines.all())


class ReceiptLineOut(Schema):
    id: int
    line_no: int
    order_line_id: int
    order_line_no: int
    product: str
    warehouse: str
    base_quantity: Decimal
    estimate: Decimal
    invoiced_quantity: Decimal
    returned_quantity: Decimal


class ReceiptRowOut(_SupplierNamed):
    id: int
    number: str
    order_id: int
    order_number: str
    date: datetime.date
    value_total: Decimal
    memo: str

    @staticmethod
    def resolve_order_number(obj: GoodsReceipt) -> str:
        return obj.order.number


class ReceiptOut(ReceiptRowOut):
    voucher_id: int | None
    lines: list[ReceiptLineOut]

    @staticmethod
    def resolve_lines(obj: GoodsReceipt) -> list[dict[str, Any]]:
        return [
            {
                "id": line.pk,
                "line_no": index,
                "order_line_id": line.order_line_id,
                "order_line_no": line.order_line.line_no,
                "product": line.product.code,
                "warehouse": line.warehouse.code,
                "base_quantity": line.base_quantity,
                "estimate": line.estimate,
                "invoiced_quantity": line.invoiced_quantity,
                "returned_quantity": line.returned_quantity,
            }
            for index, line in enumerate(obj.lines.all(), start=1)
        ]


class ReturnLineOut(Schema):
    id: int
    receipt_line_id: int
    product: str
    warehouse: str
    base_quantity: Decimal
    value: Decimal
    credit_net: Decimal
    credit_tax: Decimal

    @staticmethod
    def resolve_product(obj: Any) -> str:
        return str(obj.product.code)

    @staticmethod
    def resolve_warehouse(obj: Any) -> str:
        return str(obj.warehouse.code)


class ReturnRowOut(_SupplierNamed):
    id: int
    number: str
    receipt_id: int
    receipt_number: str
    date: datetime.date
    reason: str
    value_total: Decimal
    credit_total: Decimal = Field(description="Owed back by the supplier, VAT incl.")

    @staticmethod
    def resolve_receipt_number(obj: PurchaseReturn) -> str:
        return obj.receipt.number


class ReturnOut(ReturnRowOut):
    lines: list[ReturnLineOut]

    @staticmethod
    def resolve_lines(obj: PurchaseReturn) -> list[Any]:
        return list(obj.lines.all())


class InvoiceLineOut(Schema):
    id: int
    order_id: int
    order_number: str
    order_line_id: int
    order_line_no: int
    product: str
    base_quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    amount: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    problem: str = Field(description='"not_received", "quantity", "price" or "".')

    @staticmethod
    def resolve_order_id(obj: SupplierInvoiceLine) -> int:
        return obj.order_line.order_id

    @staticmethod
    def resolve_order_number(obj: SupplierInvoiceLine) -> str:
        return obj.order_line.order.number

    @staticmethod
    def resolve_order_line_no(obj: SupplierInvoiceLine) -> int:
        return obj.order_line.line_no

    @staticmethod
    def resolve_product(obj: SupplierInvoiceLine) -> str:
        return obj.product.code


class ProblemOut(Schema):
    line: int = Field(description="The index of the invoice line, from 0.")
    code: str
    message: str


class InvoiceRowOut(_SupplierNamed):
    id: int
    number: str
    invoice_number: str
    state: str
    date: datetime.date
    due_date: datetime.date
    net_total: Decimal
    tax_total: Decimal
    total: Decimal


class InvoiceOut(InvoiceRowOut):
    problems: list[ProblemOut]
    resolution: str
    memo: str
    voucher_id: int | None
    lines: list[InvoiceLineOut]

    @staticmethod
    def resolve_problems(obj: SupplierInvoice) -> list[dict[str, Any]]:
        return [
            {
                "line": p.get("line", 0),
                "code": p.get("code", ""),
                "message": p["message"],
            }
            for p in obj.problems or []
        ]

    @staticmethod
    def resolve_lines(obj: SupplierInvoice) -> list[Any]:
        return list(obj.lines.all())


class SettlementOut(Schema):
    id: int
    date: datetime.date
    kind: str
    item_id: int
    item_number: str
    amount: Decimal
    voucher_id: int | None

    @staticmethod
    def resolve_item_number(obj: PaymentSettlement) -> str:
        return obj.item.number


class PaymentRowOut(_SupplierNamed):
    id: int
    number: str
    date: datetime.date
    account: str
    amount: Decimal
    discount: Decimal
    is_prepayment: bool
    unallocated: Decimal = Field(description="A prepayment's rest, not yet applied.")
    memo: str

    @staticmethod
    def resolve_account(obj: Payment) -> str:
        return obj.account.code


class PaymentOut(PaymentRowOut):
    voucher_id: int | None
    settlements: list[SettlementOut]

    @staticmethod
    def resolve_settlements(obj: Payment) -> list[Any]:
        return list(obj.settlements.all())


class PayableItemOut(_SupplierNamed):
    id: int
    kind: str
    source_id: int
    number: str
    date: datetime.date
    due_date: datetime.date
    amount: Decimal
    open_amount: Decimal


class BucketOut(Schema):
    key: str
    label: str
    low: int | None
    high: int | None


class AgingRowOut(Schema):
    supplier_id: int | None
    supplier: str
    supplier_name: str
    buckets: list[Decimal]
    open_total: Decimal
    prepayments: Decimal
    balance: Decimal


class AgingOut(Schema):
    as_of: datetime.date
    basis: Basis
    buckets: list[BucketOut]
    rows: list[AgingRowOut]
    totals: AgingRowOut


class StatementLineOut(Schema):
    date: datetime.date
    label: str
    number: str
    source_kind: str
    source_id: int
    increase: Decimal
    decrease: Decimal
    balance: Decimal


class StatementOut(Schema):
    supplier_id: int
    supplier: str
    supplier_name: str
    date_from: datetime.date
    date_to: datetime.date
    opening: Decimal
    lines: list[StatementLineOut]
    increase_total: Decimal
    decrease_total: Decimal
    closing: Decimal
