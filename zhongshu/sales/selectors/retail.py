"""Reads of the store counter (零售): the stores a cashier may sell from, a
scanned barcode's product, price and stock, a priced cart (the same pricing
``sell_retail`` applies, without writing), the retail sales and the daily
summary per store.

The cart is priced by ``price_document`` — the one function that prices
every sales document — so what the counter shows is what the sale books."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from zhongshu.catalog import pricing
from zhongshu.catalog.models import Product, Unit
from zhongshu.catalog.selectors import prices as catalog_prices
from zhongshu.catalog.selectors import products as catalog_products
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.fields import sum_amount, sum_quantity
from zhongshu.core.models import Company
from zhongshu.core.money import to_decimal
from zhongshu.inventory import selectors as inventory
from zhongshu.inventory.models import Warehouse, WarehouseKind
from zhongshu.ledger.models import Voucher
from zhongshu.ledger.selectors import vouchers as ledger_vouchers
from zhongshu.partners.models import Customer
from zhongshu.sales.models import (
    PaymentMethod,
    RetailPayment,
    RetailSale,
    RetailSaleLine,
)
from zhongshu.sales.services.common import RETAIL_KIND
from zhongshu.sales.services.orders import LineData, OrderData, price_document

ZERO = Decimal("0")


# --- stores ----------


def list_stores(company: Company) -> list[Warehouse]:
    """The active warehouses of kind *store*; every active warehouse when the
    company has no store (a small shop selling from its only warehouse)."""
    active = inventory.list_warehouses(company, active=True)
    stores = [w for w in active if w.kind == WarehouseKind.STORE]
    return stores or list(active)


def get_store(company: Company, store_id: int) -> Warehouse:
    """A store the counter may sell from, else NotFoundError."""
    for store in list_stores(company):
        if store.pk == store_id:
            return store
    raise NotFoundError(_("Store not found."))


def find_store(company: Company, code: str) -> Warehouse | None:
    code = code.strip()
    return next((s for s in list_stores(company) if s.code == code), None)


# --- one scan ----------


@dataclass(frozen=True, slots=True, kw_only=True)
class Lookup:
    """What a barcode stands for at a store on a day. ``price`` is per
    ``unit``, VAT included (counter prices always are); None when no price
    list prices it. ``on_hand`` is the store's stock in the base unit."""

    barcode: str
    product: Product
    unit: Unit
    factor: Decimal
    price: Decimal | None
    on_hand: Decimal


def inclusive_price(
    company: Company,
    product: Product,
    unit: Unit,
    quantity: Decimal,
    on_date: datetime.date,
) -> Decimal | None:
    """The walk-in customer's list price, VAT included (as ``sell_retail``
    prices a line without a given price)."""
    quote = catalog_prices.price_for(company, product, quantity, on_date, unit=unit)
    if quote is None:
        return None
    if quote.tax_inclusive:
        return quote.price
    return pricing.convert_price(quote.price, product.vat_rate, to_inclusive=True)


def lookup(
    company: Company, *, store: Warehouse, barcode: str, on_date: datetime.date
) -> Lookup:
    """The product, unit, price and store stock of a scanned code.

    Raises UnknownBarcodeError (a ValidationError on ``barcode``) for a code
    no product carries."""
    hit = catalog_products.find_by_barcode(company, barcode)
    product, unit = hit.product, hit.unit
    stock = inventory.on_hand_by_product(company, [product], store)
    return Lookup(
        barcode=barcode.strip(),
        product=product,
        unit=unit,
        factor=hit.factor,
        price=inclusive_price(company, product, unit, Decimal(1), on_date),
        on_hand=stock.get(product.pk, ZERO),
    )


# --- the cart ----------


@dataclass(frozen=True, slots=True, kw_only=True)
class CartLine:
    product: Product
    unit: Unit
    quantity: Decimal
    discount_rate: Decimal = ZERO
    barcode: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class QuotedLine:
    line: CartLine
    base_quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    order_discount: Decimal
    on_hand: Decimal

    @property
    def is_short(self) -> bool:
        """More in the cart than the store has (the sale will be refused
        unless negative stock is allowed)."""
        return self.base_quantity > self.on_hand


@dataclass(frozen=True, slots=True, kw_only=True)
class CartQuote:
    lines: list[QuotedLine] = field(default_factory=list)
    discount: Decimal = ZERO
    total: Decimal = ZERO
    net_total: Decimal = ZERO
    tax_total: Decimal = ZERO
    items: Decimal = ZERO


def cart_lines(company: Company, rows: Iterable[dict[str, str]]) -> list[CartLine]:
    """Cart lines from their stored form (``product``, ``unit`` ids,
    ``quantity``, ``discount_rate``, ``barcode`` as text), in two queries;
    rows whose product or unit is gone (or another company's) are dropped."""
    rows = list(rows)
    product_ids = {int(r["product"]) for r in rows}
    unit_ids = {int(r["unit"]) for r in rows}
    products = {
        p.pk: p
        for p in Product.objects.filter(
            company=company, pk__in=product_ids
        ).select_related("base_unit")
    }
    units = {
        u.pk: u for u in catalog_products.list_units(company).filter(pk__in=unit_ids)
    }
    lines = []
    for row in rows:
        product = products.get(int(row["product"]))
        unit = units.get(int(row["unit"]))
        if product is None or unit is None:
            continue
        lines.append(
            CartLine(
                product=product,
                unit=unit,
                quantity=to_decimal(row["quantity"]),
                discount_rate=to_decimal(row.get("discount_rate") or "0"),
                barcode=row.get("barcode", ""),
            )
        )
    return lines


def quote_cart(
    company: Company,
    *,
    store: Warehouse,
    on_date: datetime.date,
    lines: Sequence[CartLine],
    discount: Decimal = ZERO,
) -> CartQuote:
    """The cart priced exactly as ``sell_retail`` would book it, with the
    store's stock of each product. Raises the ValidationError the sale would
    (``lines.N.quantity``, ``lines.N.unit_price`` when no list prices an
    item, ``discount``); an empty cart is all zeros."""
    if not lines:
        return CartQuote()
    walk_in = Customer(company=company, code="", name="", price_group="")
    data = OrderData(
        customer=walk_in,
        date=on_date,
        discount=discount,
        lines=[
            LineData(
                product=line.product,
                quantity=line.quantity,
                unit=line.unit,
                discount_rate=line.discount_rate,
            )
            for line in lines
        ],
    )
    priced = price_document(company, data, True)
    stock = inventory.on_hand_by_product(company, [x.product for x in lines], store)
    quoted = [
        QuotedLine(
            line=line,
            base_quantity=item.base_quantity,
            unit_price=item.unit_price,
            amount=item.amounts.amount,
            net_amount=item.amounts.net_amount,
            tax_amount=item.amounts.tax_amount,
            order_discount=item.amounts.order_discount,
            on_hand=stock.get(line.product.pk, ZERO),
        )
        for line, item in zip(lines, priced, strict=True)
    ]
    return CartQuote(
        lines=quoted,
        discount=to_decimal(discount),
        total=sum((q.amount for q in quoted), ZERO),
        net_total=sum((q.net_amount for q in quoted), ZERO),
        tax_total=sum((q.tax_amount for q in quoted), ZERO),
        items=sum((q.base_quantity for q in quoted), ZERO),
    )


# --- retail sales ----------


def list_retail_sales(
    company: Company,
    *,
    store_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str = "",
) -> QuerySet[RetailSale]:
    """Retail sales, newest first, with store, cashier, customer and their
    payments loaded."""
    sales = RetailSale.objects.filter(company=company)
    if store_id is not None:
        sales = sales.filter(store_id=store_id)
    if date_from is not None:
        sales = sales.filter(date__gte=date_from)
    if date_to is not None:
        sales = sales.filter(date__lte=date_to)
    if search.strip():
        sales = sales.filter(number__icontains=search.strip())
    return (
        sales.select_related("store", "cashier", "customer")
        .prefetch_related(
            Prefetch("payments", queryset=RetailPayment.objects.order_by("id"))
        )
        .order_by("-date", "-id")
    )


def get_retail_sale(company: Company, retail_sale_id: int) -> RetailSale:
    """One retail sale with its lines (product, unit) and payments
    (account); NotFoundError for another company's id."""
    sale = (
        RetailSale.objects.filter(company=company, pk=retail_sale_id)
        .select_related("store", "cashier", "customer")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=RetailSaleLine.objects.select_related(
                    "product", "unit"
                ).order_by("line_no"),
            ),
            Prefetch(
                "payments",
                queryset=RetailPayment.objects.select_related("account").order_by("id"),
            ),
        )
        .first()
    )
    if sale is None:
        raise NotFoundError(_("Retail sale not found."))
    return sale


def vouchers_of_sale(company: Company, sale: RetailSale) -> list[Voucher]:
    """The sale's vouchers: the takings (money / revenue / VAT) and the
    cost of goods posted by its stock issue."""
    return list(ledger_vouchers.vouchers_of_source(company, RETAIL_KIND, sale.pk))


# --- the daily summary ----------


@dataclass(slots=True, kw_only=True)
class DailyFigures:
    sales: int = 0
    items: Decimal = ZERO
    total: Decimal = ZERO
    net_total: Decimal = ZERO
    tax_total: Decimal = ZERO
    cost: Decimal = ZERO
    # Money kept per payment method (cash net of change): sums to ``total``.
    by_method: dict[str, Decimal] = field(default_factory=dict)

    @property
    def margin(self) -> Decimal:
        """Gross margin: revenue excl. VAT − cost of goods."""
        return self.net_total - self.cost

    @property
    def margin_rate(self) -> Decimal | None:
        """The margin in percent of revenue excl. VAT (1 place)."""
        if not self.net_total:
            return None
        return (self.margin * 100 / self.net_total).quantize(Decimal("0.1"))

    def add(self, other: DailyFigures) -> None:
        self.sales += other.sales
        self.items += other.items
        self.total += other.total
        self.net_total += other.net_total
        self.tax_total += other.tax_total
        self.cost += other.cost
        for method, amount in other.by_method.items():
            self.by_method[method] = self.by_method.get(method, ZERO) + amount


@dataclass(slots=True, kw_only=True)
class DailyRow(DailyFigures):
    store_id: int
    store_code: str
    store_name: str
    date: datetime.date


@dataclass(frozen=True, slots=True, kw_only=True)
class DailySummary:
    rows: list[DailyRow]
    totals: DailyFigures
    # The methods that took money in the range, in PaymentMethod order.
    methods: list[str]


def _check_dates(date_from: datetime.date, date_to: datetime.date) -> None:
    if date_from > date_to:
        message = _("The start date is after the end date.")
        raise ValidationError(message, fields={"date_from": [message]})


def daily_summary(
    company: Company,
    date_from: datetime.date,
    date_to: datetime.date,
    store_id: int | None = None,
) -> DailySummary:
    """Per store and day: sales, items (base units), total, VAT, money per
    payment method, cost and gross margin — summed in the database, three
    queries whatever the number of sales. Rows by date, then store code."""
    _check_dates(date_from, date_to)
    scope = {"company": company, "date__gte": date_from, "date__lte": date_to}
    if store_id is not None:
        scope["store_id"] = store_id
    line_scope = {f"sale__{k}": v for k, v in scope.items() if k != "company"}
    heads = (
        RetailSale.objects.filter(**scope)
        .values("store_id", "store__code", "store__name", "date")
        .annotate(
            sales=Count("id"),
            total=sum_amount("total"),
            net_total=sum_amount("net_total"),
            tax_total=sum_amount("tax_total"),
            cost=sum_amount("cost_total"),
        )
        .order_by()
    )
    rows: dict[tuple[int, datetime.date], DailyRow] = {
        (h["store_id"], h["date"]): DailyRow(
            store_id=h["store_id"],
            store_code=h["store__code"],
            store_name=h["store__name"],
            date=h["date"],
            sales=h["sales"],
            total=h["total"],
            net_total=h["net_total"],
            tax_total=h["tax_total"],
            cost=h["cost"],
        )
        for h in heads
    }
    items = (
        RetailSaleLine.objects.filter(company=company, **line_scope)
        .values("sale__store_id", "sale__date")
        .annotate(items=sum_quantity("base_quantity"))
        .order_by()
    )
    for i in items:
        rows[(i["sale__store_id"], i["sale__date"])].items = i["items"]
    payments = (
        RetailPayment.objects.filter(company=company, **line_scope)
        .values("sale__store_id", "sale__date", "method")
        .annotate(amount=sum_amount("amount"))
        .order_by()
    )
    for p in payments:
        rows[(p["sale__store_id"], p["sale__date"])].by_method[p["method"]] = p[
            "amount"
        ]
    ordered = sorted(rows.values(), key=lambda r: (r.date, r.store_code))
    totals = DailyFigures()
    for row in ordered:
        totals.add(row)
    methods = [m for m in PaymentMethod.values if m in totals.by_method]
    return DailySummary(rows=ordered, totals=totals, methods=methods)
