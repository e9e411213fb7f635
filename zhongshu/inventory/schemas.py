"""django-ninja schemas of the inventory API: separate input and output
classes.

Products, warehouses, locations, units and accounts are named by code in
inputs (codes are what people type and scan; a product may also be named by
a barcode it carries), and a code only ever finds the calling company's row.
Quantities, prices and amounts travel as JSON strings or numbers and become
exact ``Decimal``s (the ledger's rules); outputs carry them as strings.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, ClassVar

from ninja import Field, Schema
from pydantic import ConfigDict

from zhongshu.core import refs
from zhongshu.inventory.models import (
    InventorySettings,
    Location,
    StockMove,
    StockPolicy,
    WarehouseKind,
)
from zhongshu.inventory.selectors import OnHandBy
from zhongshu.ledger.models import Dimension
from zhongshu.ledger.schemas import AmountIn, DimensionValue, PriceIn, QuantityIn

_INPUT = ConfigDict(extra="forbid")
Code = Field(max_length=64)

# --- warehouses and locations ------------------------------------------------------


class WarehouseIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "SH01",
                    "name": "上海一号仓",
                    "kind": "warehouse",
                    "province": "310000",
                    "city": "310100",
                    "address": "浦东新区张江路 1 号",
                }
            ]
        },
    )

    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    kind: WarehouseKind = WarehouseKind.WAREHOUSE
    province: str = Field("", max_length=12, description="GB/T 2260 code.")
    city: str = Field("", max_length=12, description="GB/T 2260 code.")
    address: str = Field("", max_length=200)
    allow_negative_stock: bool = False


class WarehouseOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    province: str
    city: str
    address: str
    allow_negative_stock: bool
    is_active: bool


class LocationIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "A-01-02-3",
                    "zone": "A",
                    "aisle": "01",
                    "rack": "02",
                    "level": "3",
                    "x": 450,
                    "y": 1200,
                }
            ]
        },
    )

    code: str = Field(min_length=1, max_length=40)
    name: str = Field("", max_length=100)
    zone: str = Field("", max_length=20)
    aisle: str = Field("", max_length=20)
    rack: str = Field("", max_length=20)
    level: str = Field("", max_length=20)
    x: int = Field(0, ge=-(2**31), le=2**31 - 1, description="Centimetres.")
    y: int = Field(0, ge=-(2**31), le=2**31 - 1, description="Centimetres.")


class LocationOut(Schema):
    id: int
    warehouse_id: int
    warehouse_code: str
    code: str
    name: str
    zone: str
    aisle: str
    rack: str
    level: str
    x: int
    y: int
    is_default: bool
    is_active: bool

    @staticmethod
    def resolve_warehouse_code(obj: Location) -> str:
        return obj.warehouse.code


# --- settings and policies ------------------------------------------------------------


class SettingsIn(Schema):
    """Only the fields sent change."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"allow_negative_stock": False, "stale_after_days": 120}]
        },
    )

    allow_negative_stock: bool | None = None
    stale_after_days: int | None = Field(None, ge=1, le=3650)
    expiry_warning_days: int | None = Field(None, ge=0, le=3650)


class SettingsOut(Schema):
    allow_negative_stock: bool
    stale_after_days: int
    expiry_warning_days: int

    @staticmethod
    def from_settings(settings: InventorySettings) -> SettingsOut:
        return SettingsOut(
            allow_negative_stock=settings.allow_negative_stock,
            stale_after_days=settings.stale_after_days,
            expiry_warning_days=settings.expiry_warning_days,
        )


class StockPolicyIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "product": "SHIRT-M",
                    "warehouse": "SH01",
                    "safety_stock": "20",
                    "maximum_stock": "200",
                }
            ]
        },
    )

    product: str = Field(min_length=1, max_length=64, description="Code or barcode.")
    warehouse: str = Field(min_length=1, max_length=40, description="The code.")
    safety_stock: QuantityIn
    maximum_stock: QuantityIn | None = None


class StockPolicyOut(Schema):
    product: str
    warehouse: str
    safety_stock: Decimal
    maximum_stock: Decimal | None

    @staticmethod
    def resolve_product(obj: StockPolicy) -> str:
        return obj.product.code

    @staticmethod
    def resolve_warehouse(obj: StockPolicy) -> str:
        return obj.warehouse.code


class PolicyFilter(Schema):
    warehouse: str = Field("", max_length=40)
    product: str = Field("", max_length=64)


# --- moving stock by hand -------------------------------------------------------------


class CounterIn(Schema):
    """The other side of the voucher: an account code or an account role."""

    counter_account: str = Field(
        "", max_length=40, description="Account code, e.g. 1901 (待处理财产损溢)."
    )
    counter_role: str = Field(
        "", max_length=40, description="Account role, e.g. other_payable."
    )
    counter_dimensions: dict[Dimension, DimensionValue] = Field(
        default_factory=dict,
        description="Dimension values the counter account requires.",
    )


class MoveLineIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    product: str = Field(min_length=1, max_length=64, description="Code or barcode.")
    warehouse: str = Field(min_length=1, max_length=40, description="The code.")
    quantity: QuantityIn
    unit: str = Field("", max_length=20, description="Unit code; base unit if empty.")
    location: str = Field("", max_length=40, description="Bin code; default bin.")
    lot: str = Field("", max_length=60)
    expiry_date: datetime.date | None = None
    unit_cost: PriceIn | None = Field(None, description="Per ``unit``.")
    value: AmountIn | None = None
    memo: str = Field("", max_length=150)


class ReceiptIn(CounterIn):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "date": "2026-11-03",
                    "counter_role": "other_payable",
                    "memo": "样品入库",
                    "lines": [
                        {
                            "product": "SHIRT-M",
                            "warehouse": "SH01",
                            "quantity": "10",
                            "unit_cost": "13.00",
                        }
                    ],
                }
            ]
        },
    )

    date: datetime.date
    memo: str = Field("", max_length=150)
    lines: list[MoveLineIn] = Field(min_length=1, max_length=500)


class IssueIn(ReceiptIn):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "date": "2026-11-10",
                    "counter_role": "admin_expenses",
                    "memo": "办公领用",
                    "lines": [
                        {"product": "SHIRT-M", "warehouse": "SH01", "quantity": "2"}
                    ],
                }
            ]
        },
    )


class TransferLineIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    product: str = Field(min_length=1, max_length=64, description="Code or barcode.")
    quantity: QuantityIn
    from_warehouse: str = Field(min_length=1, max_length=40)
    to_warehouse: str = Field(min_length=1, max_length=40)
    from_location: str = Field("", max_length=40)
    to_location: str = Field("", max_length=40)
    unit: str = Field("", max_length=20)
    lot: str = Field("", max_length=60)
    memo: str = Field("", max_length=150)


class TransferIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "date": "2026-11-15",
                    "lines": [
                        {
                            "product": "SHIRT-M",
                            "quantity": "5",
                            "from_warehouse": "SH01",
                            "to_warehouse": "BJ01",
                        }
                    ],
                }
            ]
        },
    )

    date: datetime.date
    memo: str = Field("", max_length=150)
    lines: list[TransferLineIn] = Field(min_length=1, max_length=500)


class SourceIn(Schema):
    """An opaque reference to the document the stock is promised to."""

    model_config: ClassVar[ConfigDict] = _INPUT

    kind: str = Field(min_length=1, max_length=40)
    id: int = Field(ge=1, le=2**63 - 1)


class ReserveIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "product": "SHIRT-M",
                    "warehouse": "SH01",
                    "quantity": "2",
                    "source": {"kind": "shop.order", "id": 1001},
                }
            ]
        },
    )

    product: str = Field(min_length=1, max_length=64)
    warehouse: str = Field(min_length=1, max_length=40)
    quantity: QuantityIn
    source: SourceIn


class ReleaseIn(Schema):
    """All the source reserved, or ``quantity`` of one product and warehouse."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"source": {"kind": "shop.order", "id": 1001}}]
        },
    )

    source: SourceIn
    product: str = Field("", max_length=64)
    warehouse: str = Field("", max_length=40)
    quantity: QuantityIn | None = None


class ReservationOut(Schema):
    product: str
    warehouse: str
    quantity: Decimal
    source_kind: str
    source_id: int


class ReleasedOut(Schema):
    released: Decimal


class SourceOut(Schema):
    kind: str
    id: int
    label: str | None
    url: str | None


def source_of(kind: str, source_id: int) -> dict[str, Any]:
    described = refs.describe(kind)
    return {
        "kind": kind,
        "id": source_id,
        "label": str(described.label) if described else None,
        "url": described.url(source_id) if described else None,
    }


class MoveOut(Schema):
    id: int
    date: datetime.date
    kind: str
    product: str
    product_name: str
    warehouse: str
    location: str
    lot: str
    quantity: Decimal = Field(description="Positive in, negative out (base unit).")
    unit_cost: Decimal
    value: Decimal = Field(description="What the move adds to stock value.")
    balance_quantity: Decimal = Field(description="The warehouse's after the move.")
    balance_value: Decimal
    memo: str
    source: SourceOut
    voucher_id: int | None
    voucher_number: str | None

    @staticmethod
    def resolve_product(obj: StockMove) -> str:
        return obj.product.code

    @staticmethod
    def resolve_product_name(obj: StockMove) -> str:
        return obj.product.name

    @staticmethod
    def resolve_warehouse(obj: StockMove) -> str:
        return obj.warehouse.code

    @staticmethod
    def resolve_location(obj: StockMove) -> str:
        return obj.location.code

    @staticmethod
    def resolve_lot(obj: StockMove) -> str:
        return obj.lot.number if obj.lot else ""

    @staticmethod
    def resolve_source(obj: StockMove) -> dict[str, Any]:
        return source_of(obj.source_kind, obj.source_id)

    @staticmethod
    def resolve_voucher_number(obj: StockMove) -> str | None:
        return obj.voucher.display_number if obj.voucher else None


class RevaluationOut(Schema):
    cost_adjustment_id: int
    date: datetime.date
    old_value: Decimal
    new_value: Decimal
    voucher_id: int | None


class CostAdjustmentRef(Schema):
    id: int
    date: datetime.date
    voucher_id: int | None


class MoveDetailOut(MoveOut):
    counter_account: str | None
    counterpart_id: int | None
    revaluations: list[RevaluationOut] = Field(
        description="Cost adjustments that changed this move's value."
    )
    caused_adjustments: list[CostAdjustmentRef] = Field(
        description="Cost adjustments this (backdated) move made."
    )

    @staticmethod
    def resolve_counter_account(obj: StockMove) -> str | None:
        return obj.counter_account.code if obj.counter_account else None

    @staticmethod
    def resolve_revaluations(obj: StockMove) -> list[dict[str, Any]]:
        return [
            {
                "cost_adjustment_id": line.adjustment_id,
                "date": line.adjustment.date,
                "old_value": line.old_value,
                "new_value": line.new_value,
                "voucher_id": line.adjustment.voucher_id,
            }
            for line in getattr(obj, "revaluations", [])
        ]


class VoucherRefOut(Schema):
    id: int
    display_number: str
    state: str


class ManualDocumentOut(Schema):
    kind: str = Field(description="receipt, issue or transfer.")
    number: str
    source: SourceOut
    voucher: VoucherRefOut | None
    moves: list[MoveOut]
    cost_adjustment_ids: list[int]


class MoveFilter(Schema):
    source_kind: str = Field(min_length=1, max_length=40)
    source_id: int = Field(ge=1, le=2**63 - 1)


# --- reports --------------------------------------------------------------------------


class OnHandQuery(Schema):
    warehouse: str = Field("", max_length=40, description="Warehouse code.")
    search: str = Field("", max_length=100, description="Code, name or barcode.")
    category: str = Field("", max_length=40, description="Category code.")
    by: OnHandBy = OnHandBy.WAREHOUSE
    include_zero: bool = False
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=500)


class OnHandRowOut(Schema):
    product_id: int
    product_code: str
    product_name: str
    specification: str
    unit: str
    warehouse_code: str
    warehouse_name: str
    location_code: str
    lot_number: str
    expiry_date: datetime.date | None
    on_hand: Decimal
    reserved: Decimal | None
    available: Decimal | None
    unit_cost: Decimal
    value: Decimal


class OnHandOut(Schema):
    by: str
    count: int
    page: int
    page_size: int
    num_pages: int
    total_value: Decimal
    rows: list[OnHandRowOut]


class DateRange(Schema):
    date_from: datetime.date
    date_to: datetime.date


class StockLedgerQuery(DateRange):
    product: str = Field(min_length=1, max_length=64, description="Code or barcode.")
    warehouse: str = Field("", max_length=40, description="All when empty.")
    offset: int = Field(0, ge=0)
    limit: int = Field(200, ge=1, le=1000)


class StockLedgerLineOut(Schema):
    move_id: int
    date: datetime.date
    kind: str
    warehouse_code: str
    location_code: str
    lot_number: str
    source_kind: str
    source_id: int
    memo: str
    quantity_in: Decimal
    quantity_out: Decimal
    unit_cost: Decimal
    value_in: Decimal
    value_out: Decimal
    balance_quantity: Decimal
    balance_value: Decimal
    voucher_id: int | None
    voucher_number: str


class StockLedgerOut(Schema):
    """出入库流水 of one product."""

    product: str
    warehouse: str | None
    date_from: datetime.date
    date_to: datetime.date
    opening_quantity: Decimal
    opening_value: Decimal
    in_quantity: Decimal
    in_value: Decimal
    out_quantity: Decimal
    out_value: Decimal
    closing_quantity: Decimal
    closing_value: Decimal
    count: int
    offset: int
    limit: int
    lines: list[StockLedgerLineOut]

    @staticmethod
    def resolve_product(obj: Any) -> str:
        return str(obj.product.code)

    @staticmethod
    def resolve_warehouse(obj: Any) -> str | None:
        return obj.warehouse.code if obj.warehouse is not None else None


class MovementSummaryQuery(DateRange):
    warehouse: str = Field("", max_length=40)
    category: str = Field("", max_length=40)
    by_warehouse: bool = False


class SummaryFiguresOut(Schema):
    opening_quantity: Decimal
    opening_value: Decimal
    in_quantity: Decimal
    in_value: Decimal
    out_quantity: Decimal
    out_value: Decimal
    closing_quantity: Decimal
    closing_value: Decimal


class SummaryRowOut(SummaryFiguresOut):
    product_id: int
    product_code: str
    product_name: str
    specification: str
    unit: str
    warehouse_code: str


class MovementSummaryOut(Schema):
    """收发存汇总表; opening + in − out = closing on every row."""

    date_from: datetime.date
    date_to: datetime.date
    by_warehouse: bool
    rows: list[SummaryRowOut]
    total: SummaryFiguresOut


class ValuationQuery(Schema):
    as_of: datetime.date | None = Field(
        None, description="End of this day; now when empty."
    )


class ValueLineOut(Schema):
    warehouse_code: str
    warehouse_name: str
    category_code: str
    category_name: str
    quantity: Decimal
    value: Decimal


class ReconciliationRowOut(Schema):
    account_code: str
    account_name: str
    stock_value: Decimal
    ledger_balance: Decimal
    difference: Decimal


class ReconciliationOut(Schema):
    period: str
    as_of: datetime.date
    stock_total: Decimal
    ledger_total: Decimal
    difference: Decimal
    agrees: bool
    rows: list[ReconciliationRowOut]

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return str(obj.period)


class ValuationOut(Schema):
    as_of: datetime.date | None
    total: Decimal
    lines: list[ValueLineOut]
    by_warehouse: list[ValueLineOut]
    by_category: list[ValueLineOut]
    reconciliation: ReconciliationOut | None = Field(
        description="At the end of the ledger period containing the date."
    )
