"""Purchasing and payables of the demo garment retailer, through the
services. Runs after the inventory and sales steps (HQ, the styles):

- three suppliers, north and south, with what they supply (price, minimum,
  multiple, lead time) and a preferred supplier per style;
- an order received, invoiced at the order price and paid (with a small
  discount), then part of it returned after invoicing;
- an order received in part: the rest still in transit, the part received
  on 暂估 until its invoice comes;
- an order whose invoice came in above the order price and waits among the
  match exceptions;
- an order above the approval threshold waiting for the boss, and a
  requisition from the warehouse waiting too;
- a prepayment to a supplier not yet applied.

Each role works its own step: the buyer orders, the warehouse receives,
the accountant enters invoices, the cashier pays. Orders are dated over the
past weeks; goods move today, after the sales step's deliveries, so the
purchases do not re-cost what the sales step already shipped."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User

from zhongshu.catalog.models import Product
from zhongshu.core import clock
from zhongshu.core.models import Company, Membership, Role
from zhongshu.inventory.models import Warehouse
from zhongshu.partners import services as partners
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import services
from zhongshu.purchasing.models import PurchaseOrder, PurchaseSettings, SupplierProduct

# code, name, province, city, terms (days)
SUPPLIERS = (
    ("GZHF", "广州华纺服装厂", "440000", "广州市", 30),
    ("HZSC", "杭州丝绸制衣有限公司", "330000", "杭州市", 45),
    ("BJBD", "北京京北包袋制品厂", "110000", "北京市", 0),
)
# style prefix → supplier, lead time (days), minimum, multiple
SUPPLIES = {
    "T2601": ("GZHF", 7, 20, 10),
    "J2601": ("GZHF", 10, 20, 10),
    "D2601": ("HZSC", 14, 30, 10),
    "C2601": ("HZSC", 21, 10, 5),
    "BAG01": ("BJBD", 5, 50, 50),
}
COSTS = {"T2601": "35", "J2601": "70", "D2601": "95", "C2601": "180", "BAG01": "12"}


@dataclass(frozen=True, slots=True)
class Context:
    company: Company
    boss: User
    buyer: User
    keeper: User
    accountant: User
    cashier: User
    suppliers: dict[str, Supplier]
    products: dict[str, list[Product]]
    start: datetime.date
    today: datetime.date

    def day(self, offset: int) -> datetime.date:
        return min(self.start + datetime.timedelta(days=offset), self.today)


def _holder(company: Company, role: str, boss: User) -> User:
    membership = (
        Membership.objects.filter(company=company, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership is not None else boss


def build(company: Company, boss: User) -> None:
    today = clock.today()
    start = max(today - datetime.timedelta(days=30), today.replace(month=1, day=1))
    hq = Warehouse.objects.get(company=company, code="HQ")
    PurchaseSettings.objects.update_or_create(
        company=company,
        defaults={
            "default_warehouse": hq,
            "prices_include_tax": False,
            "approval_threshold": Decimal("20000"),
        },
    )
    products: dict[str, list[Product]] = {}
    for product in Product.objects.filter(company=company).order_by("code"):
        products.setdefault(product.code.split("-")[0], []).append(product)
    ctx = Context(
        company=company,
        boss=boss,
        buyer=_holder(company, Role.PURCHASER, boss),
        keeper=_holder(company, Role.WAREHOUSE, boss),
        accountant=_holder(company, Role.ACCOUNTANT, boss),
        cashier=_holder(company, Role.CASHIER, boss),
        suppliers=_suppliers(company, boss),
        products=products,
        start=start,
        today=today,
    )
    _supplies(ctx)
    _paid_and_returned(ctx)
    _in_transit(ctx)
    _price_exception(ctx)
    _waiting_for_approval(ctx, hq)
    _prepayment(ctx)


def _suppliers(company: Company, boss: User) -> dict[str, Supplier]:
    return {
        code: partners.create_supplier(
            company=company,
            actor=boss,
            data=partners.SupplierData(
                code=code,
                name=name,
                province=province,
                city=city,
                payment_terms_days=terms,
            ),
        )
        for code, name, province, city, terms in SUPPLIERS
    }


def _supplies(ctx: Context) -> None:
    rows = []
    for style, (supplier, lead, minimum, multiple) in SUPPLIES.items():
        for product in ctx.products.get(style, []):
            rows.append(
                SupplierProduct(
                    company=ctx.company,
                    supplier=ctx.suppliers[supplier],
                    product=product,
                    unit_price=Decimal(COSTS[style]),
                    minimum_quantity=Decimal(minimum),
                    order_multiple=Decimal(multiple),
                    lead_time_days=lead,
                    is_preferred=True,
                )
            )
    SupplierProduct.objects.bulk_create(rows)


def _order(
    ctx: Context, supplier: str, lines: list[tuple[Product, int]], offset: int
) -> PurchaseOrder:
    order = services.create_order(
        company=ctx.company,
        actor=ctx.buyer,
        data=services.OrderData(
            supplier=ctx.suppliers[supplier],
            date=ctx.day(offset),
            expected_date=ctx.day(offset) + datetime.timedelta(days=7),
            lines=[
                services.LineData(product=product, quantity=Decimal(quantity))
                for product, quantity in lines
            ],
        ),
    )
    return services.confirm_order(order=order, actor=ctx.buyer)


def _invoice(
    ctx: Context, order: PurchaseOrder, number: str, offset: int, markup: str = "0"
) -> services.InvoiceData:
    return services.InvoiceData(
        supplier=order.supplier,
        invoice_number=number,
        date=ctx.day(offset),
        lines=[
            services.InvoiceLineData(
                order_line=line,
                quantity=line.received_quantity - line.invoiced_quantity,
                unit_price=line.unit_price + Decimal(markup),
            )
            for line in order.lines.all()
            if line.received_quantity > line.invoiced_quantity
        ],
    )


def _paid_and_returned(ctx: Context) -> None:
    tees = ctx.products["T2601"][:3]
    order = _order(ctx, "GZHF", [(p, 20) for p in tees], 1)
    receipt = services.receive_goods(order=order, actor=ctx.keeper, date=ctx.today)
    invoice = services.enter_invoice(
        company=ctx.company,
        actor=ctx.accountant,
        data=_invoice(ctx, order, "44012600000000001201", 30),
    )
    # Paid early: the supplier grants a small discount (现金折扣).
    services.record_payment(
        company=ctx.company,
        actor=ctx.cashier,
        data=services.PaymentData(
            supplier=order.supplier,
            date=ctx.today,
            amount=invoice.total - Decimal("20.00"),
            discount=Decimal("20.00"),
        ),
    )
    services.return_goods(
        receipt=receipt,
        actor=ctx.keeper,
        date=ctx.today,
        lines=[
            services.ReturnLineData(
                receipt_line=receipt.lines.first(),  # type: ignore[arg-type]
                quantity=Decimal(2),
            )
        ],
        reason="质量问题：缝线开裂",
    )


def _in_transit(ctx: Context) -> None:
    dresses = ctx.products["D2601"][:2]
    order = _order(ctx, "HZSC", [(p, 30) for p in dresses], 8)
    services.receive_goods(
        order=order,
        actor=ctx.keeper,
        date=ctx.today,
        lines=[
            services.ReceiptLineData(order_line=line, quantity=Decimal(20))
            for line in order.lines.all()
        ],
    )


def _price_exception(ctx: Context) -> None:
    jeans = ctx.products["J2601"][:2]
    order = _order(ctx, "GZHF", [(p, 20) for p in jeans], 10)
    services.receive_goods(order=order, actor=ctx.keeper, date=ctx.today)
    services.enter_invoice(
        company=ctx.company,
        actor=ctx.accountant,
        data=_invoice(ctx, order, "44012600000000001377", 30, markup="6.00"),
    )


def _waiting_for_approval(ctx: Context, hq: Warehouse) -> None:
    coats = ctx.products["C2601"][:4]
    order = services.create_order(
        company=ctx.company,
        actor=ctx.buyer,
        data=services.OrderData(
            supplier=ctx.suppliers["HZSC"],
            date=ctx.day(25),
            lines=[services.LineData(product=p, quantity=Decimal(40)) for p in coats],
        ),
    )
    services.confirm_order(order=order, actor=ctx.buyer)  # 28,800.00: submitted
    requisition = services.create_requisition(
        company=ctx.company,
        actor=ctx.keeper,
        data=services.RequisitionData(
            date=ctx.day(26),
            warehouse=hq,
            reason="门店补货：手提袋",
            lines=[
                services.RequisitionLineData(product=bag, quantity=Decimal(2000))
                for bag in ctx.products["BAG01"][:1]
            ],
        ),
    )
    services.submit_requisition(requisition=requisition, actor=ctx.keeper)


def _prepayment(ctx: Context) -> None:
    services.record_payment(
        company=ctx.company,
        actor=ctx.cashier,
        data=services.PaymentData(
            supplier=ctx.suppliers["BJBD"],
            date=ctx.day(27),
            amount=Decimal("3000.00"),
            is_prepayment=True,
            memo="包袋定金",
        ),
    )
