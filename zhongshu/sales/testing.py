"""Setup steps for tests of sales and of the modules that read it (never
imported by product code)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Q

from zhongshu.catalog.models import Product
from zhongshu.core import testing as core_testing
from zhongshu.core.fields import sum_amount
from zhongshu.core.models import Company, Role
from zhongshu.core.testing import object_factory
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger import services as ledger_services
from zhongshu.ledger.models import VoucherLine, VoucherState
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Customer
from zhongshu.sales import services
from zhongshu.sales.models import (
    Delivery,
    Receipt,
    ReceivableItem,
    SalesOrder,
    SalesSettings,
    Settlement,
)
from zhongshu.sales.services.setup import track_customers

DAY = datetime.date(2026, 3, 2)


def sales_company(
    code: str = "SALES", *, revenue_recognition: str = "delivery"
) -> Company:
    """A company with books (receivables tracking customers) and one
    warehouse WH1, the sales default."""
    company = inventory_testing.stocked_company(code)
    track_customers(company)
    warehouse = inventory_testing.warehouse(company, "WH1")
    SalesSettings.objects.update_or_create(
        company=company,
        defaults={
            "default_warehouse": warehouse,
            "revenue_recognition": revenue_recognition,
        },
    )
    return company


def seller(company: Company, username: str | None = None) -> User:
    return core_testing.member(company, [Role.SALES], username)


def stocked_product(
    company: Company,
    code: str,
    *,
    quantity: str = "100",
    unit_cost: str = "10",
    warehouse: Warehouse | None = None,
    day: datetime.date = datetime.date(2026, 1, 5),
    **fields: object,
) -> Product:
    product = inventory_testing.product(company, code, **fields)  # type: ignore[arg-type]
    where = warehouse or Warehouse.objects.get(company=company, code="WH1")
    if Decimal(quantity) > 0:
        inventory_testing.receive(company, day, product, where, quantity, unit_cost)
    return product


def draft_order(
    company: Company,
    customer: Customer,
    lines: Sequence[tuple[Product, str, str]],
    *,
    day: datetime.date = DAY,
    actor: User | None = None,
    **fields: object,
) -> SalesOrder:
    """A draft order of (product, quantity, unit price) lines."""
    return services.create_order(
        company=company,
        actor=actor,
        data=services.OrderData(
            customer=customer,
            date=day,
            lines=[
                services.LineData(
                    product=product, quantity=Decimal(q), unit_price=Decimal(p)
                )
                for product, q, p in lines
            ],
            **fields,  # type: ignore[arg-type]
        ),
    )


def confirmed_order(
    company: Company,
    customer: Customer,
    lines: Sequence[tuple[Product, str, str]],
    *,
    day: datetime.date = DAY,
    actor: User | None = None,
    **fields: object,
) -> SalesOrder:
    """An order of (product, quantity, unit price) lines, confirmed."""
    order = draft_order(company, customer, lines, day=day, actor=actor, **fields)
    return services.confirm_order(order=order, actor=actor)


def balance(
    company: Company, code: str, *, customer: Customer | None = None
) -> Decimal:
    """Posted debit − credit of an account code and its sub-accounts."""
    rows = VoucherLine.objects.filter(
        company=company,
        voucher__state=VoucherState.POSTED,
    ).filter(Q(account__code=code) | Q(account__code__startswith=code))
    if customer is not None:
        rows = rows.filter(customer_id=customer.pk)
    totals = rows.aggregate(debit=sum_amount("debit"), credit=sum_amount("credit"))
    result: Decimal = totals["debit"] - totals["credit"]
    return result


# --- objects the tenancy probe names by id ----------


def _probe_setup(company: Company) -> tuple[Customer, Product]:
    # Probe companies start without books, as inventory's probes do.
    ledger_services.set_up_books(company=company)
    if not SalesSettings.objects.filter(company=company).exists():
        warehouse = Warehouse.objects.filter(company=company).first()
        if warehouse is None:
            warehouse = inventory_testing.warehouse(company, "WHP")
        SalesSettings.objects.create(company=company, default_warehouse=warehouse)
    customer = partners_testing.make_customer(company)
    product = Product.objects.filter(company=company, code="PROBE-S").first()
    if product is None:
        product = stocked_product(company, "PROBE-S", warehouse=_warehouse(company))
    return customer, product


def _warehouse(company: Company) -> Warehouse:
    settings = services.settings_of(company)
    assert settings.default_warehouse is not None  # noqa: S101
    return settings.default_warehouse


def _probe_order(company: Company) -> SalesOrder:
    customer, product = _probe_setup(company)
    return confirmed_order(company, customer, [(product, "1", "10")])


@object_factory("quotation_id")
def _quotation(company: Company) -> int:
    customer, product = _probe_setup(company)
    quotation = services.create_quotation(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=customer,
            date=DAY,
            lines=[
                services.LineData(
                    product=product, quantity=Decimal(1), unit_price=Decimal(5)
                )
            ],
        ),
    )
    return quotation.pk


@object_factory("order_id")
def _order(company: Company) -> int:
    return _probe_order(company).pk


def _probe_delivery(company: Company) -> Delivery:
    order = _probe_order(company)
    return services.deliver(order=order, actor=None, date=DAY)


@object_factory("delivery_id")
def _delivery(company: Company) -> int:
    return _probe_delivery(company).pk


@object_factory("return_id")
def _return(company: Company) -> int:
    delivery = _probe_delivery(company)
    line = delivery.lines.get()
    return services.return_goods(
        delivery=delivery,
        actor=None,
        date=DAY,
        lines=[services.ReturnLineData(delivery_line=line, quantity=Decimal(1))],
    ).pk


@object_factory("invoice_id")
def _invoice(company: Company) -> int:
    _probe_setup(company)
    SalesSettings.objects.filter(company=company).update(revenue_recognition="invoice")
    try:
        delivery = _probe_delivery(company)
        return services.invoice_deliveries(
            company=company, actor=None, date=DAY, deliveries=[delivery]
        ).pk
    finally:
        SalesSettings.objects.filter(company=company).update(
            revenue_recognition="delivery"
        )


@object_factory("order_line_id")
def _order_line(company: Company) -> int:
    return _probe_order(company).lines.get().pk


@object_factory("delivery_line_id")
def _delivery_line(company: Company) -> int:
    return _probe_delivery(company).lines.get().pk


@object_factory("item_id")
def _item(company: Company) -> int:
    delivery = _probe_delivery(company)
    return ReceivableItem.objects.get(company=company, source_id=delivery.pk).pk


@object_factory("receipt_id")
def _receipt(company: Company) -> int:
    delivery = _probe_delivery(company)
    return services.record_receipt(
        company=company,
        actor=None,
        customer=delivery.customer,
        date=DAY,
        amount=Decimal(4),
    ).pk


@object_factory("settlement_id")
def _settlement(company: Company) -> int:
    receipt = Receipt.objects.get(pk=_receipt(company))
    return Settlement.objects.get(receipt=receipt).pk


@object_factory("retail_sale_id")
def _retail_sale(company: Company) -> int:
    _customer, product = _probe_setup(company)
    return services.sell_retail(
        company=company,
        actor=None,
        store=_warehouse(company),
        date=DAY,
        lines=[
            services.RetailLineData(
                product=product, quantity=Decimal(1), unit_price=Decimal(8)
            )
        ],
        payments=[services.PaymentData("cash", Decimal(10))],
    ).pk
