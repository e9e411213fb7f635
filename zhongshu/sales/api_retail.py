"""The store counter's REST endpoints (零售), mounted under /api/v1/sales.

A till or a shop app posts a sale with the store's code, scanned barcodes
(or product codes) and the payments taken; it reads sales, the daily summary
per store and a barcode's price and stock. Stores, products and customers
are named by code, which only ever finds the calling company's rows; an
unknown one is a 422 on its field, and a refused sale writes nothing (the
API runs each request in one transaction).
"""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
import datetime
from decimal import Decimal
from typing import ClassVar

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from zhongshu.catalog.selectors import products as catalog
from zhongshu.core import clock
from zhongshu.core.apikit import api_context, require
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import Company
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger.schemas import AmountIn, PriceIn, QuantityIn
from zhongshu.partners.models import Customer
from zhongshu.partners.selectors import customers as partners
from zhongshu.sales import permissions, services
from zhongshu.sales.models import PaymentMethod, RetailSale
from zhongshu.sales.selectors import retail

router = Router(tags=["sales: retail"])

VIEW = permissions.VIEW_SALES.code
RETAIL = permissions.RETAIL.code

_INPUT = ConfigDict(extra="forbid")


# --- schemas ----------


class RetailLineIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    barcode: str = Field("", max_length=64, description="A scanned barcode.")
    product: str = Field(
        "", max_length=64, description="Product code, when there is no barcode."
    )
    quantity: QuantityIn = Decimal(1)
    unit_price: PriceIn | None = Field(
        None, description="VAT included; empty: the price lists' price."
    )
    discount_rate: PriceIn = Field(Decimal(0), description="Percent, 0–100.")


class PaymentIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    method: PaymentMethod
    amount: AmountIn


class RetailSaleIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "store": "S1",
                    "lines": [
                        {"barcode": "6901234500013", "quantity": "2"},
                        {"product": "SOCKS", "quantity": "1", "discount_rate": "10"},
                    ],
                    "payments": [
                        {"method": "wechat", "amount": "100.00"},
                        {"method": "cash", "amount": "200.00"},
                    ],
                }
            ]
        },
    )

    store: str = Field(min_length=1, max_length=40, description="Store code.")
    date: datetime.date | None = Field(None, description="Empty: today.")
    lines: list[RetailLineIn] = Field(max_length=500)
    payments: list[PaymentIn] = Field(max_length=10)
    discount: AmountIn = Field(
        Decimal(0), description="Off the whole sale, VAT included (抹零)."
    )
    customer: str = Field("", max_length=40, description="Customer code (optional).")


class RetailLineOut(Schema):
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
    cost: Decimal


class PaymentOut(Schema):
    method: str
    amount: Decimal = Field(description="Money kept: cash net of the change.")


class RetailSaleOut(Schema):
    id: int
    number: str
    store: str
    date: datetime.date
    customer: str
    discount: Decimal
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    cost_total: Decimal
    margin: Decimal
    tendered: Decimal
    change: Decimal
    cashier: str
    payments: list[PaymentOut]


class RetailSaleDetailOut(RetailSaleOut):
    lines: list[RetailLineOut]


class SalesQuery(Schema):
    store: str = Field("", max_length=40, description="Store code.")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    search: str = Field("", max_length=40, description="Part of the number.")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=500)


class SummaryQuery(Schema):
    date_from: datetime.date
    date_to: datetime.date
    store: str = Field("", max_length=40, description="Store code.")


class FiguresOut(Schema):
    sales: int
    items: Decimal
    total: Decimal
    net_total: Decimal
    tax_total: Decimal
    cost: Decimal
    margin: Decimal
    margin_rate: Decimal | None = Field(description="Percent of net revenue.")
    by_method: dict[str, Decimal]


class DailyRowOut(FiguresOut):
    store: str
    store_name: str
    date: datetime.date


class DailySummaryOut(Schema):
    rows: list[DailyRowOut]
    totals: FiguresOut


class LookupQuery(Schema):
    barcode: str = Field(min_length=1, max_length=64)
    store: str = Field(min_length=1, max_length=40, description="Store code.")
    date: datetime.date | None = Field(None, description="Empty: today.")


class LookupOut(Schema):
    barcode: str
    product: str
    product_name: str
    specification: str
    unit: str
    factor: Decimal = Field(description="Base units in one unit of the barcode.")
    price: Decimal | None = Field(description="Per unit, VAT included.")
    on_hand: Decimal = Field(description="The store's stock, in base units.")


# --- codes to rows ----------


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def _store(company: Company, code: str) -> Warehouse:
    store = retail.find_store(company, code)
    if store is None:
        raise _invalid("store", _("There is no store %(code)s.") % {"code": code})
    return store


def _customer(company: Company, code: str) -> Customer | None:
    if not code.strip():
        return None
    customer = partners.find_customer(company, code.strip())
    if customer is None:
        raise _invalid("customer", _("There is no customer %(code)s.") % {"code": code})
    return customer


def _line(company: Company, index: int, line: RetailLineIn) -> services.RetailLineData:
    product = None
    if not line.barcode.strip() and line.product.strip():
        product = catalog.find_product(company, line.product.strip())
        if product is None:
            raise _invalid(
                f"lines.{index}.product",
                _("There is no product %(code)s.") % {"code": line.product},
            )
    return services.RetailLineData(
        quantity=line.quantity,
        barcode=line.barcode.strip(),
        product=product,
        unit_price=line.unit_price,
        discount_rate=line.discount_rate,
    )


# --- rows to schemas ----------


def _sale_out(sale: RetailSale) -> dict[str, object]:
    return {
        "id": sale.pk,
        "number": sale.number,
        "store": sale.store.code,
        "date": sale.date,
        "customer": sale.customer.code if sale.customer else "",
        "discount": sale.discount,
        "net_total": sale.net_total,
        "tax_total": sale.tax_total,
        "total": sale.total,
        "cost_total": sale.cost_total,
        "margin": sale.net_total - sale.cost_total,
        "tendered": sale.tendered,
        "change": sale.change,
        "cashier": sale.cashier.get_username() if sale.cashier else "",
        "payments": [
            {"method": p.method, "amount": p.amount} for p in sale.payments.all()
        ],
    }


def _detail_out(sale: RetailSale) -> dict[str, object]:
    lines = [
        {
            "line_no": x.line_no,
            "product": x.product.code,
            "product_name": x.product.name,
            "unit": x.unit.code,
            "quantity": x.quantity,
            "base_quantity": x.base_quantity,
            "unit_price": x.unit_price,
            "discount_rate": x.discount_rate,
            "order_discount": x.order_discount,
            "tax_rate": x.tax_rate,
            "amount": x.amount,
            "net_amount": x.net_amount,
            "tax_amount": x.tax_amount,
            "cost": x.cost,
        }
        for x in sale.lines.all()
    ]
    return {**_sale_out(sale), "lines": lines}


def _figures_out(figures: retail.DailyFigures) -> dict[str, object]:
    return {
        "sales": figures.sales,
        "items": figures.items,
        "total": figures.total,
        "net_total": figures.net_total,
        "tax_total": figures.tax_total,
        "cost": figures.cost,
        "margin": figures.margin,
        "margin_rate": figures.margin_rate,
        "by_method": figures.by_method,
    }


# --- endpoints ----------


@router.post("/retail-sales", response={201: RetailSaleDetailOut})
@require(RETAIL)
def create_retail_sale(
    request: HttpRequest, payload: RetailSaleIn
) -> Status[dict[str, object]]:
    """Ring up a counter sale: priced from the price lists unless a line
    gives its price, paid in full (only cash gives change), the stock
    issued from the store and the takings posted. 422 with the field
    (``lines.0.barcode``, ``payments``, ``store`` …) when refused."""
    context = api_context(request)
    company = context.company
    sale = services.sell_retail(
        company=company,
        actor=context.user,
        store=_store(company, payload.store),
        date=payload.date or clock.today(),
        lines=[_line(company, i, line) for i, line in enumerate(payload.lines)],
        payments=[services.PaymentData(p.method, p.amount) for p in payload.payments],
        discount=payload.discount,
        customer=_customer(company, payload.customer),
    )
    return Status(201, _detail_out(retail.get_retail_sale(company, sale.pk)))


@router.get("/retail-sales", response=list[RetailSaleOut])
@require(VIEW)
def list_retail_sales(
    request: HttpRequest, filters: Query[SalesQuery]
) -> list[dict[str, object]]:
    """Newest first, one page (``page``, ``page_size``)."""
    company = api_context(request).company
    store = _store(company, filters.store) if filters.store.strip() else None
    start = (filters.page - 1) * filters.page_size
    sales = retail.list_retail_sales(
        company,
        store_id=store.pk if store else None,
        date_from=filters.date_from,
        date_to=filters.date_to,
        search=filters.search,
    )[start : start + filters.page_size]
    return [_sale_out(sale) for sale in sales]


@router.get("/retail-sales/{retail_sale_id}", response=RetailSaleDetailOut)
@require(VIEW)
def get_retail_sale(request: HttpRequest, retail_sale_id: int) -> dict[str, object]:
    company = api_context(request).company
    return _detail_out(retail.get_retail_sale(company, retail_sale_id))


@router.get("/retail/daily-summary", response=DailySummaryOut)
@require(VIEW)
def daily_summary(
    request: HttpRequest, filters: Query[SummaryQuery]
) -> dict[str, object]:
    """Per store and day: sales, items, total, VAT, money per payment
    method (cash net of change), cost and gross margin."""
    company = api_context(request).company
    store = _store(company, filters.store) if filters.store.strip() else None
    summary = retail.daily_summary(
        company, filters.date_from, filters.date_to, store.pk if store else None
    )
    return {
        "rows": [
            {
                **_figures_out(row),
                "store": row.store_code,
                "store_name": row.store_name,
                "date": row.date,
            }
            for row in summary.rows
        ],
        "totals": _figures_out(summary.totals),
    }


@router.get("/retail/lookup", response=LookupOut)
@require(VIEW)
def lookup(request: HttpRequest, filters: Query[LookupQuery]) -> dict[str, object]:
    """What a scanned barcode sells as at a store: product, unit, price (VAT
    included, None when no price list prices it) and the store's stock.
    422 on ``barcode`` for a code no product carries."""
    company = api_context(request).company
    found = retail.lookup(
        company,
        store=_store(company, filters.store),
        barcode=filters.barcode,
        on_date=filters.date or clock.today(),
    )
    return {
        "barcode": found.barcode,
        "product": found.product.code,
        "product_name": found.product.name,
        "specification": found.product.specification,
        "unit": found.unit.code,
        "factor": found.factor,
        "price": found.price,
        "on_hand": found.on_hand,
    }
