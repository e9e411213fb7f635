"""Sales and receivables of the demo garment retailer, through the services.

Runs after the inventory step (its head-office warehouse HQ, stores, styles
and price lists). The retailer recognises revenue on invoicing (开票确认收入),
so deliveries not yet invoiced sit on 发出商品. Wholesale goes out of HQ:

- customers north and south — dealers (经销商, on a dealer price list),
  chains (连锁零售, on the retail list less a line discount) and a corporate
  group buyer (企业团购, pays in advance) — with credit limits and terms;
- a quotation turned into an order, one still a draft, one cancelled;
- orders delivered in two parts, in full, partly (still open), a draft and
  a cancelled one; one confirmed beyond the customer's credit limit by the
  boss with a reason;
- invoices, a return after invoicing, receipts paying in full (with a small
  difference written off), in part (an overdue balance stays open), and an
  advance applied to a later invoice (part of it left over);
- counter sales at the stores paid in cash with change, WeChat, Alipay and
  card.

Dates run over the weeks before today, like the inventory step's. Each role
works its own step: sales orders, the warehouse delivers, the accountant
invoices, the cashier takes the money.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.contrib.auth.models import User

from zhongshu.catalog import services as catalog
from zhongshu.catalog.models import Product
from zhongshu.core import clock
from zhongshu.core.models import Company, Membership, Role
from zhongshu.inventory import demo as inventory_demo
from zhongshu.inventory import manual
from zhongshu.inventory import services as inventory
from zhongshu.inventory.models import StockBalance, Warehouse
from zhongshu.partners import services as partners
from zhongshu.partners.models import Customer, CustomerCategory
from zhongshu.sales import services
from zhongshu.sales.models import (
    Delivery,
    ItemKind,
    PaymentMethod,
    Receipt,
    ReceivableItem,
    RevenueRecognition,
    SalesInvoice,
    SalesOrder,
)
from zhongshu.sales.services.settings import update_settings

PURCHASES = inventory_demo.PURCHASES
DEALER_SHARE = Decimal("0.55")
# Extra stock bought into HQ for the wholesale business: per variant of
# each style, and of the tote bag.
WHOLESALE_STOCK = {"T2601": 20, "J2601": 20, "D2601": 20, "C2601": 10, "BAG01": 60}

# code, name, category, province, city, terms (days), credit limit, price group
CUSTOMERS = (
    ("GZJX", "广州锦绣服饰批发行", "DLR", "440000", "广州市", 30, 50000, "DEALER"),
    ("SZCL", "深圳潮流坊服装有限公司", "CHAIN", "440000", "深圳市", 15, 30000, ""),
    ("HZXZ", "杭州西子丽人服饰公司", "DLR", "330000", "杭州市", 30, 40000, "DEALER"),
    ("BJJH", "北京京华百货有限公司", "CHAIN", "110000", "北京市", 45, 80000, ""),
    ("SYSJ", "沈阳盛京商贸有限公司", "DLR", "210000", "沈阳市", 30, 5000, "DEALER"),
    ("HRBT", "哈尔滨冰城科技有限公司", "CORP", "230000", "哈尔滨市", 0, None, ""),
)  # fmt: skip
CATEGORIES = (("DLR", "经销商"), ("CHAIN", "连锁零售"), ("CORP", "企业团购"))
# Style (or product) code → retail price and unit cost, as the inventory
# step bought and priced them.
RETAIL_PRICES = {
    code: Decimal(price) for code, _n, _c, _cost, price, _v in inventory_demo.STYLES
} | {"BAG01": Decimal("39.00")}
UNIT_COSTS = {
    code: Decimal(cost) for code, _n, _c, cost, _price, _v in inventory_demo.STYLES
} | {"BAG01": Decimal("12.00")}

Lines = Sequence[tuple[str, int]]


@dataclass(frozen=True, slots=True)
class Staff:
    boss: User
    sales: User
    warehouse: User
    accountant: User
    cashier: User


@dataclass(frozen=True, slots=True)
class Context:
    company: Company
    staff: Staff
    hq: Warehouse
    products: dict[str, Product]
    customers: dict[str, Customer]
    start: datetime.date
    today: datetime.date

    def day(self, offset: int) -> datetime.date:
        """``offset`` days after the start, never after today."""
        return min(self.start + datetime.timedelta(days=offset), self.today)


def build(company: Company, boss: User) -> None:
    today = clock.today()
    start = max(today - datetime.timedelta(days=40), today.replace(month=1, day=1))
    hq = Warehouse.objects.get(company=company, code="HQ")
    products = {
        p.code: p
        for p in Product.objects.filter(company=company).select_related("base_unit")
    }
    update_settings(
        company=company,
        actor=boss,
        default_warehouse=hq,
        revenue_recognition=RevenueRecognition.ON_INVOICE,
    )
    staff = _staff(company, boss)
    ctx = Context(
        company, staff, hq, products, _customers(company, staff), start, today
    )
    _dealer_prices(ctx)
    _wholesale_stock(ctx)
    _dealer_orders(ctx)
    _chain_orders(ctx)
    _credit_and_advance(ctx)
    _open_documents(ctx)
    _counter_sales(ctx)


# --- set-up ----------


def _staff(company: Company, boss: User) -> Staff:
    def holder(role: str) -> User:
        membership = (
            Membership.objects.filter(company=company, role=role)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return membership.user if membership is not None else boss

    return Staff(
        boss=boss,
        sales=holder(Role.SALES),
        warehouse=holder(Role.WAREHOUSE),
        accountant=holder(Role.ACCOUNTANT),
        cashier=holder(Role.CASHIER),
    )


def _customers(company: Company, staff: Staff) -> dict[str, Customer]:
    categories: dict[str, CustomerCategory] = {
        code: partners.create_customer_category(
            company=company, actor=staff.boss, code=code, name=name
        )
        for code, name in CATEGORIES
    }
    return {
        code: partners.create_customer(
            company=company,
            actor=staff.boss,
            data=partners.CustomerData(
                code=code,
                name=name,
                category=categories[category],
                province=province,
                city=city,
                payment_terms_days=terms,
                credit_limit=Decimal(limit) if limit is not None else None,
                price_group=group,
                salesperson=staff.sales,
            ),
        )
        for code, name, category, province, city, terms, limit, group in CUSTOMERS
    }


def _retail_price(product: Product) -> Decimal:
    return RETAIL_PRICES[product.code.split("-")[0]]


def _dealer_prices(ctx: Context) -> None:
    """经销商价: 55 % of the retail price, for customers of the DEALER group."""
    price_list = catalog.create_price_list(
        company=ctx.company,
        actor=ctx.staff.boss,
        data=catalog.PriceListData(
            code="DEALER",
            name="经销商价",
            kind="customer_group",
            customer_group="DEALER",
        ),
    )
    for product in _wholesale_products(ctx):
        catalog.set_price(
            price_list=price_list,
            actor=ctx.staff.boss,
            data=catalog.PriceData(
                product=product,
                price=(_retail_price(product) * DEALER_SHARE).quantize(Decimal("0.01")),
            ),
        )


def _wholesale_products(ctx: Context) -> list[Product]:
    return [
        product
        for code, product in sorted(ctx.products.items())
        if code.split("-")[0] in WHOLESALE_STOCK
    ]


def _wholesale_stock(ctx: Context) -> None:
    """Stock bought for the wholesale business, after the stores were
    stocked (so no earlier move of HQ is revalued)."""
    manual.receive_by_hand(
        company=ctx.company,
        date=ctx.day(8),
        lines=[
            inventory.MoveLine(
                product=product,
                warehouse=ctx.hq,
                quantity=Decimal(WHOLESALE_STOCK[product.code.split("-")[0]]),
                unit_cost=UNIT_COSTS[product.code.split("-")[0]],
            )
            for product in _wholesale_products(ctx)
        ],
        counter=PURCHASES,
        actor=ctx.staff.warehouse,
        memo="批发备货入库（暂估）",
    )


# --- documents ----------


def _data(
    ctx: Context,
    customer: str,
    offset: int,
    lines: Lines,
    *,
    discount_rate: Decimal = Decimal(0),
    memo: str = "",
) -> services.OrderData:
    return services.OrderData(
        customer=ctx.customers[customer],
        date=ctx.day(offset),
        warehouse=ctx.hq,
        lines=[
            services.LineData(
                product=ctx.products[code],
                quantity=Decimal(quantity),
                discount_rate=discount_rate,
            )
            for code, quantity in lines
        ],
        memo=memo,
    )


def _order(
    ctx: Context,
    customer: str,
    offset: int,
    lines: Lines,
    *,
    discount_rate: Decimal = Decimal(0),
    memo: str = "",
    override_reason: str = "",
) -> SalesOrder:
    order = services.create_order(
        company=ctx.company,
        actor=ctx.staff.sales,
        data=_data(
            ctx, customer, offset, lines, discount_rate=discount_rate, memo=memo
        ),
    )
    actor = ctx.staff.boss if override_reason else ctx.staff.sales
    return services.confirm_order(
        order=order, actor=actor, override_reason=override_reason
    )


def _deliver(
    ctx: Context, order: SalesOrder, offset: int, lines: Lines | None = None
) -> Delivery:
    chosen = None
    if lines is not None:
        by_code = {
            line.product.code: line for line in order.lines.select_related("product")
        }
        chosen = [
            services.DeliveryLineData(
                order_line=by_code[code], quantity=Decimal(quantity)
            )
            for code, quantity in lines
        ]
    return services.deliver(
        order=order, actor=ctx.staff.warehouse, date=ctx.day(offset), lines=chosen
    )


def _invoice(ctx: Context, offset: int, deliveries: Sequence[Delivery]) -> SalesInvoice:
    return services.invoice_deliveries(
        company=ctx.company,
        actor=ctx.staff.accountant,
        date=ctx.day(offset),
        deliveries=deliveries,
    )


def _item(invoice: SalesInvoice) -> ReceivableItem:
    return ReceivableItem.objects.get(
        company=invoice.company, kind=ItemKind.INVOICE, source_id=invoice.pk
    )


def _receive(
    ctx: Context,
    customer: str,
    offset: int,
    amount: Decimal,
    method: str = PaymentMethod.BANK_TRANSFER,
    memo: str = "",
) -> Receipt:
    return services.record_receipt(
        company=ctx.company,
        actor=ctx.staff.cashier,
        customer=ctx.customers[customer],
        date=ctx.day(offset),
        amount=amount,
        method=method,
        memo=memo,
    )


# --- the stories ----------


def _dealer_orders(ctx: Context) -> None:
    """GZJX (Guangzhou dealer): a quotation accepted, delivered in two parts,
    invoiced together and paid less 0.80, which is written off (抹零).
    HZXZ (Hangzhou dealer): an order half delivered, not yet invoiced (its
    cost waits on 发出商品, the rest stays reserved)."""
    quotation = services.create_quotation(
        company=ctx.company,
        actor=ctx.staff.sales,
        data=dataclasses.replace(
            _data(
                ctx,
                "GZJX",
                9,
                [("T2601-BLACK-M", 10), ("T2601-WHITE-L", 8), ("J2601-BLUE-M", 6)],
                memo="春季补货报价",
            ),
            valid_until=ctx.day(9) + datetime.timedelta(days=14),
        ),
    )
    order = services.order_from_quotation(
        quotation=quotation, actor=ctx.staff.sales, date=ctx.day(9), warehouse=ctx.hq
    )
    order = services.confirm_order(order=order, actor=ctx.staff.sales)
    first = _deliver(ctx, order, 10, [("T2601-BLACK-M", 10), ("J2601-BLUE-M", 4)])
    second = _deliver(ctx, order, 14)
    invoice = _invoice(ctx, 15, [first, second])
    _receive(ctx, "GZJX", 30, invoice.total - Decimal("0.80"), memo="货款（抹零）")
    services.write_off_difference(
        item=_item(invoice), actor=ctx.staff.cashier, date=ctx.day(30)
    )

    hangzhou = _order(
        ctx,
        "HZXZ",
        20,
        [("J2601-BLACK-L", 6), ("D2601-WHITE-M", 5), ("T2601-BLACK-S", 10)],
    )
    _deliver(ctx, hangzhou, 21, [("J2601-BLACK-L", 6), ("T2601-BLACK-S", 5)])


def _chain_orders(ctx: Context) -> None:
    """BJJH (Beijing department store): coats and dresses at 10 % off,
    invoiced, paid in part (not yet due). SZCL (Shenzhen chain): delivered
    and invoiced, two dresses returned, half of the rest paid — the balance
    is overdue."""
    beijing = _order(
        ctx,
        "BJJH",
        9,
        [("C2601-BLACK-M", 3), ("C2601-BLACK-L", 3), ("D2601-BLACK-M", 4)],
        discount_rate=Decimal(10),
        memo="冬装订货",
    )
    delivery = _deliver(ctx, beijing, 11)
    _invoice(ctx, 12, [delivery])
    _receive(ctx, "BJJH", 36, Decimal("3000.00"), memo="预付部分货款")

    shenzhen = _order(
        ctx,
        "SZCL",
        12,
        [("T2601-BLUE-S", 6), ("D2601-RED-S", 4), ("BAG01", 10)],
        discount_rate=Decimal(15),
    )
    delivery = _deliver(ctx, shenzhen, 13)
    invoice = _invoice(ctx, 13, [delivery])
    dress = delivery.lines.get(product=ctx.products["D2601-RED-S"])
    services.return_goods(
        delivery=delivery,
        actor=ctx.staff.warehouse,
        date=ctx.day(16),
        lines=[services.ReturnLineData(delivery_line=dress, quantity=Decimal(2))],
        reason="尺码偏小",
    )
    item = _item(invoice)
    _receive(ctx, "SZCL", 25, (item.open_amount / 2).quantize(Decimal("0.01")))


def _credit_and_advance(ctx: Context) -> None:
    """SYSJ (Shenyang dealer, credit limit 5,000): an order of 5,050.10 at
    dealer prices, confirmed by the boss beyond the limit, delivered and
    invoiced, unpaid. HRBT (Harbin company, no terms): pays 2,000 in
    advance, then its group order is delivered and invoiced and the advance
    applied; 420.00 stays unapplied on 预收."""
    shenyang = _order(
        ctx,
        "SYSJ",
        22,
        [("C2601-RED-M", 4), ("C2601-BLACK-XL", 4), ("J2601-BLUE-L", 10)],
        override_reason="老客户，月底前回款",
    )
    delivery = _deliver(ctx, shenyang, 23)
    _invoice(ctx, 23, [delivery])

    advance = _receive(ctx, "HRBT", 24, Decimal("2000.00"), memo="团购预付款")
    harbin = _order(
        ctx, "HRBT", 25, [("T2601-WHITE-M", 10), ("T2601-BLUE-M", 10)], memo="年会团购"
    )
    delivery = _deliver(ctx, harbin, 26)
    _invoice(ctx, 26, [delivery])
    services.apply_advance(receipt=advance, actor=ctx.staff.cashier, date=ctx.day(27))


def _open_documents(ctx: Context) -> None:
    """What is still being worked on: a draft order, a cancelled order, a
    draft quotation and a cancelled one."""
    services.create_order(
        company=ctx.company,
        actor=ctx.staff.sales,
        data=_data(ctx, "SZCL", 38, [("BAG01", 20)], memo="待客户确认数量"),
    )
    cancelled = _order(ctx, "HZXZ", 30, [("D2601-BLACK-S", 4)])
    services.cancel_order(order=cancelled, actor=ctx.staff.sales)
    services.create_quotation(
        company=ctx.company,
        actor=ctx.staff.sales,
        data=dataclasses.replace(
            _data(ctx, "BJJH", 37, [("C2601-RED-L", 6)]),
            valid_until=ctx.day(37) + datetime.timedelta(days=15),
        ),
    )
    dropped = services.create_quotation(
        company=ctx.company,
        actor=ctx.staff.sales,
        data=_data(ctx, "GZJX", 18, [("D2601-RED-M", 12)]),
    )
    services.cancel_quotation(quotation=dropped, actor=ctx.staff.sales)


# store, day offset, number of items, payment methods
COUNTER_SALES = (
    ("GZ01", 33, 2, (PaymentMethod.CASH,)),
    ("BJ01", 34, 1, (PaymentMethod.WECHAT,)),
    ("GZ01", 36, 3, (PaymentMethod.ALIPAY, PaymentMethod.CASH)),
    ("SZ01", 38, 2, (PaymentMethod.CARD,)),
    ("BJ01", 39, 2, (PaymentMethod.CASH,)),
    ("SY01", 40, 1, (PaymentMethod.WECHAT,)),
)


def _counter_sales(ctx: Context) -> None:
    """Walk-in customers at the stores, at retail prices."""
    for code, offset, count, methods in COUNTER_SALES:
        store = Warehouse.objects.get(company=ctx.company, code=code)
        stocked = [
            balance.product
            for balance in StockBalance.objects.filter(
                company=ctx.company, warehouse=store, on_hand__gte=1
            )
            .select_related("product")
            .order_by("product__code")
        ][:count]
        if not stocked:
            continue
        total = sum((_retail_price(p) for p in stocked), Decimal(0))
        services.sell_retail(
            company=ctx.company,
            actor=ctx.staff.cashier,
            store=store,
            date=ctx.day(offset),
            lines=[
                services.RetailLineData(product=p, quantity=Decimal(1)) for p in stocked
            ],
            payments=_payments(methods, total),
        )


def _payments(methods: Sequence[str], total: Decimal) -> list[services.PaymentData]:
    """One method pays exactly (cash: the next 100 up, with change); two
    split it — the app pays 100, cash the rest rounded up to 10."""
    if len(methods) == 1:
        amount = _round_up(total, 100) if methods[0] == PaymentMethod.CASH else total
        return [services.PaymentData(methods[0], amount)]
    first, cash = methods
    return [
        services.PaymentData(first, Decimal(100)),
        services.PaymentData(cash, _round_up(total - 100, 10)),
    ]


def _round_up(amount: Decimal, step: int) -> Decimal:
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step
