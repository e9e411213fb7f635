"""django-ninja schemas of the sales API: separate input and output classes.

Customers, products, units, warehouses, accounts and salespeople are named
by code (username) in inputs; lines of an order or a delivery by their line
number or their id; receivable items by id or number. Amounts, prices and
quantities travel as JSON strings or numbers and become exact ``Decimal``s;
outputs carry them as strings.

Nested lists naming rows by id (delivery lines, allocations) are required
fields and carry no example at the top level: the tenancy probe fills their
ids with another company's and must find them (``zhongshu.api.tests.probe``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, ClassVar

from ninja import Field, Schema
from pydantic import ConfigDict

from zhongshu.ledger.schemas import AmountIn, PriceIn, QuantityIn
from zhongshu.sales.models import (
    Delivery,
    PaymentMethod,
    PricedDocument,
    PricedLine,
    Receipt,
    ReceivableItem,
    SalesInvoice,
    SalesOrder,
    SalesOrderLine,
    SalesReturn,
    Settlement,
)

_INPUT = ConfigDict(extra="forbid")

# --- inputs --------------------------------------------------------------------------


class LineIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"product": "SHIRT-M", "quantity": "10", "unit_price": "22.60"}
            ]
        },
    )

    product: str = Field(min_length=1, max_length=64, description="Code or barcode.")
    quantity: QuantityIn
    unit: str = Field("", max_length=20, description="Empty: the base unit.")
    unit_price: PriceIn | None = Field(
        None, description="Empty: from the price lists (customer group, breaks)."
    )
    discount_rate: PriceIn = Field(Decimal("0"), description="Percent, 0–100.")
    warehouse: str = Field("", max_length=40, description="Empty: the order's.")
    memo: str = Field("", max_length=200)


class DocumentIn(Schema):
    """A quotation or an order (``warehouse`` and ``delivery_*`` are the
    order's, ``valid_until`` the quotation's)."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "customer": "K001",
                    "date": "2026-03-02",
                    "warehouse": "WH1",
                    "lines": [
                        {"product": "SHIRT-M", "quantity": "10", "unit_price": "22.60"}
                    ],
                }
            ]
        },
    )

    customer: str = Field(min_length=1, max_length=40, description="The code.")
    date: datetime.date
    lines: list[LineIn]
    warehouse: str = Field("", max_length=40, description="Empty: the default.")
    prices_include_tax: bool | None = Field(
        None, description="Empty: the sales settings' choice."
    )
    discount: AmountIn = Field(
        Decimal("0"), description="On the whole document, VAT included."
    )
    delivery_date: datetime.date | None = None
    delivery_address: str = Field("", max_length=300)
    valid_until: datetime.date | None = None
    salesperson: str = Field(
        "", max_length=150, description="Username; empty: the customer's."
    )
    memo: str = Field("", max_length=200)


class ConvertIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    date: datetime.date | None = Field(None, description="Empty: the quotation's.")
    warehouse: str = Field("", max_length=40)


class ConfirmIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    override_reason: str = Field(
        "",
        max_length=200,
        description="Beyond the credit limit: why (needs sales.override_credit).",
    )


class DeliverLineIn(Schema):
    """One order line, by ``line_no`` or ``order_line_id``; ``quantity`` in
    the line's unit."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"line_no": 1, "quantity": "1"}]},
    )

    line_no: int | None = Field(None, ge=1, le=32767)
    order_line_id: int | None = Field(None, ge=1, le=2**63 - 1)
    quantity: QuantityIn
    warehouse: str = Field("", max_length=40, description="Empty: the line's.")
    location: str = Field("", max_length=40)
    lot: str = Field("", max_length=40)


class DeliverIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    date: datetime.date | None = Field(None, description="Empty: today.")
    lines: list[DeliverLineIn] = Field(
        description="Empty: everything still open on the order."
    )
    memo: str = Field("", max_length=200)


class ReturnLineIn(Schema):
    """One delivery line, by its ``line_no`` on the delivery (1, 2, … as
    listed) or ``delivery_line_id``; ``quantity`` in the base unit."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"line_no": 1, "quantity": "1"}]},
    )

    line_no: int | None = Field(None, ge=1, le=32767)
    delivery_line_id: int | None = Field(None, ge=1, le=2**63 - 1)
    quantity: QuantityIn
    location: str = Field("", max_length=40)


class ReturnIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    date: datetime.date | None = Field(None, description="Empty: today.")
    lines: list[ReturnLineIn]
    reason: str = Field("", max_length=200)


class InvoiceIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    date: datetime.date | None = Field(None, description="Empty: today.")
    delivery_ids: list[int] = Field(
        description="Deliveries of one customer, made under on-invoice recognition."
    )


class AllocationIn(Schema):
    """An open item, by ``item_id`` or its ``number``, and what to settle."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"number": "XSCK-2026-00001", "amount": "1"}]},
    )

    item_id: int | None = Field(None, ge=1, le=2**63 - 1)
    number: str = Field("", max_length=40)
    amount: AmountIn


class ReceiptFieldsIn(Schema):
    """A receipt settling the oldest open items (the batch takes these)."""

    model_config: ClassVar[ConfigDict] = _INPUT

    customer: str = Field(min_length=1, max_length=40, description="The code.")
    date: datetime.date | None = Field(None, description="Empty: today.")
    amount: AmountIn = Field(
        description="What the customer paid (bank charge included)."
    )
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    account: str = Field(
        "", max_length=40, description="Empty: cash or bank by the method."
    )
    bank_charge: AmountIn = Decimal("0")
    memo: str = Field("", max_length=200)


class ReceiptIn(ReceiptFieldsIn):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "customer": "K001",
                    "date": "2026-03-08",
                    "amount": "400.00",
                    "method": "transfer",
                }
            ]
        },
    )

    allocations: list[AllocationIn] | None = Field(
        description="null: the oldest open items first; []: all an advance (预收)."
    )


class ApplyIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    date: datetime.date | None = Field(None, description="Empty: today.")
    allocations: list[AllocationIn] | None = Field(
        description="null: the oldest open items first."
    )


class WriteOffIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    date: datetime.date | None = Field(None, description="Empty: today.")
    amount: AmountIn | None = Field(None, description="Empty: all that is open.")


class DocumentQuery(Schema):
    q: str = Field("", max_length=100, description="Number, customer code or name.")
    customer: str = Field("", max_length=40, description="The code.")
    state: str = Field("", max_length=20)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    warehouse: str = Field("", max_length=40, description="The code.")


class ItemQuery(Schema):
    customer: str = Field("", max_length=40, description="The code.")
    open: bool = Field(False, description="Only items with something open.")


# --- outputs -------------------------------------------------------------------------


class PricedLineOut(Schema):
    id: int
    line_no: int
    product: str
    product_name: str
    unit: str
    quantity: Decimal
    base_quantity: Decimal
    unit_price: Decimal
    discount_rate: Decimal
    order_discount: Decimal
    tax_rate: Decimal
    amount: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    memo: str

    @staticmethod
    def resolve_product(obj: PricedLine) -> str:
        return obj.product.code

    @staticmethod
    def resolve_product_name(obj: PricedLine) -> str:
        return obj.product.name

    @staticmethod
    def resolve_unit(obj: PricedLine) -> str:
        return obj.unit.code


class OrderLineOut(PricedLineOut):
    warehouse: str
    delivered_quantity: Decimal
    returned_quantity: Decimal

    @staticmethod
    def resolve_warehouse(obj: SalesOrderLine) -> str:
        return obj.warehouse.code


class _CustomerNamed(Schema):
    customer: str
    customer_name: str

    @staticmethod
    def resolve_customer(obj: Any) -> str:
        return str(obj.customer.code)

    @staticmethod
    def resolve_customer_name(obj: Any) -> str:
        return str(obj.customer.name)


class QuotationRowOut(_CustomerNamed):
    id: int
    number: str
    state: str
    date: datetime.date
    valid_until: datetime.date | None
    net_total: Decimal
    tax_total: Decimal
    total: Decimal


class QuotationOut(QuotationRowOut):
    prices_include_tax: bool
    discount: Decimal
    salesperson: str
    memo: str
    lines: list[PricedLineOut]

    @staticmethod
    def resolve_salesperson(obj: PricedDocument) -> str:
        return obj.salesperson.username if obj.salesperson else ""

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())


class OrderRowOut(_CustomerNamed):
    id: int
    number: str
    state: str
    date: datetime.date
    warehouse: str
    delivery_date: datetime.date | None
    net_total: Decimal
    tax_total: Decimal
    total: Decimal

    @staticmethod
    def resolve_warehouse(obj: SalesOrder) -> str:
        return obj.warehouse.code


class OrderOut(OrderRowOut):
    quotation_id: int | None
    prices_include_tax: bool
    discount: Decimal
    delivery_address: str
    salesperson: str
    credit_override_reason: str
    memo: str
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_salesperson(obj: PricedDocument) -> str:
        return obj.salesperson.username if obj.salesperson else ""

    @staticmethod
    def resolve_lines(obj: SalesOrder) -> list[Any]:
        return list(obj.lines.all())


class DeliveryLineOut(Schema):
    id: int
    line_no: int
    order_line_id: int
    order_line_no: int
    product: str
    warehouse: str
    base_quantity: Decimal
    amount: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    cost: Decimal
    returned_quantity: Decimal


class DeliveryRowOut(_CustomerNamed):
    id: int
    number: str
    order_id: int
    order_number: str
    date: datetime.date
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    cost_total: Decimal
    recognises_revenue: bool
    invoice_id: int | None

    @staticmethod
    def resolve_order_number(obj: Delivery) -> str:
        return obj.order.number


class DeliveryOut(DeliveryRowOut):
    memo: str
    lines: list[DeliveryLineOut]

    @staticmethod
    def resolve_lines(obj: Delivery) -> list[dict[str, Any]]:
        return [
            {
                "id": line.pk,
                "line_no": index,
                "order_line_id": line.order_line_id,
                "order_line_no": line.order_line.line_no,
                "product": line.product.code,
                "warehouse": line.warehouse.code,
                "base_quantity": line.base_quantity,
                "amount": line.amount,
                "net_amount": line.net_amount,
                "tax_amount": line.tax_amount,
                "cost": line.cost,
                "returned_quantity": line.returned_quantity,
            }
            for index, line in enumerate(obj.lines.all(), start=1)
        ]


class ReturnLineOut(Schema):
    id: int
    delivery_line_id: int
    product: str
    warehouse: str
    base_quantity: Decimal
    amount: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    cost: Decimal

    @staticmethod
    def resolve_product(obj: Any) -> str:
        return str(obj.product.code)

    @staticmethod
    def resolve_warehouse(obj: Any) -> str:
        return str(obj.warehouse.code)


class ReturnRowOut(_CustomerNamed):
    id: int
    number: str
    delivery_id: int
    delivery_number: str
    date: datetime.date
    reason: str
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    cost_total: Decimal
    reverses_revenue: bool

    @staticmethod
    def resolve_delivery_number(obj: SalesReturn) -> str:
        return obj.delivery.number


class ReturnOut(ReturnRowOut):
    lines: list[ReturnLineOut]

    @staticmethod
    def resolve_lines(obj: SalesReturn) -> list[Any]:
        return list(obj.lines.all())


class InvoiceOut(_CustomerNamed):
    id: int
    number: str
    date: datetime.date
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    cost_total: Decimal


class InvoiceDetailOut(InvoiceOut):
    delivery_ids: list[int]

    @staticmethod
    def resolve_delivery_ids(obj: SalesInvoice) -> list[int]:
        return [d.pk for d in obj.deliveries.all()]


class ItemOut(_CustomerNamed):
    id: int
    kind: str
    source_id: int
    number: str
    date: datetime.date
    due_date: datetime.date
    amount: Decimal
    open_amount: Decimal
    account: str

    @staticmethod
    def resolve_account(obj: ReceivableItem) -> str:
        return obj.account.code


class SettlementOut(Schema):
    id: int
    date: datetime.date
    kind: str
    item_id: int
    item_number: str
    receipt_id: int | None
    credit_item_id: int | None
    amount: Decimal
    voucher_id: int | None
    undone_at: datetime.datetime | None
    undo_voucher_id: int | None

    @staticmethod
    def resolve_item_number(obj: Settlement) -> str:
        return obj.item.number


class ReceiptRowOut(_CustomerNamed):
    id: int
    number: str
    date: datetime.date
    method: str
    account: str
    amount: Decimal
    bank_charge: Decimal
    unallocated: Decimal
    memo: str

    @staticmethod
    def resolve_account(obj: Receipt) -> str:
        return obj.account.code


class ReceiptOut(ReceiptRowOut):
    settlements: list[SettlementOut]

    @staticmethod
    def resolve_settlements(obj: Receipt) -> list[Any]:
        return list(obj.settlements.all())


class VoucherRefOut(Schema):
    id: int
    number: str


class FlowNodeOut(Schema):
    kind: str
    id: int
    number: str
    date: datetime.date
    label: str
    state: str
    amount: Decimal
    url_name: str
    vouchers: list[VoucherRefOut]

    @staticmethod
    def resolve_vouchers(obj: Any) -> list[dict[str, Any]]:
        return [{"id": pk, "number": text} for pk, text in obj.vouchers]
