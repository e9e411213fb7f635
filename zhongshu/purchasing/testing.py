"""Setup steps for tests of purchasing and of the modules that read it
(never imported by product code)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Q

from zhongshu.catalog import testing as catalog_testing
from zhongshu.catalog.models import Product
from zhongshu.core import testing as core_testing
from zhongshu.core.fields import sum_amount
from zhongshu.core.models import Company, Role
from zhongshu.core.testing import object_factory
from zhongshu.inventory import services as inventory_services
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger import services as ledger_services
from zhongshu.ledger.models import VoucherLine, VoucherState
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import services
from zhongshu.purchasing.models import (
    GoodsReceipt,
    PayableItem,
    PayableKind,
    PurchaseOrder,
    PurchaseSettings,
    Suggestion,
    SupplierProduct,
)
from zhongshu.purchasing.services.replenishment import rebuild_suggestions
from zhongshu.purchasing.services.setup import track_suppliers
from zhongshu.purchasing.services.supplier_products import (
    SupplierProductData,
    set_supplier_product,
)

DAY = datetime.date(2026, 3, 2)


def purchasing_company(
    code: str = "BUY",
    *,
    prices_include_tax: bool = False,
    method: str = "moving_average",
    **settings: object,
) -> Company:
    """A company with books (payables tracking suppliers) and one warehouse
    WH1, the purchasing default."""
    company = inventory_testing.stocked_company(code, method=method)
    track_suppliers(company)
    warehouse = inventory_testing.warehouse(company, "WH1")
    PurchaseSettings.objects.update_or_create(
        company=company,
        defaults={
            "default_warehouse": warehouse,
            "prices_include_tax": prices_include_tax,
            **settings,
        },
    )
    return company


def buyer(company: Company, username: str | None = None) -> User:
    return core_testing.member(company, [Role.PURCHASER], username)


def supplier(
    company: Company, code: str = "V1", *, payment_terms_days: int = 0
) -> Supplier:
    return partners_testing.make_supplier(
        company, code, payment_terms_days=payment_terms_days
    )


def draft_order(
    company: Company,
    vendor: Supplier,
    lines: Sequence[tuple[Product, str, str]],
    *,
    day: datetime.date = DAY,
    actor: User | None = None,
    warehouse: Warehouse | None = None,
) -> PurchaseOrder:
    """Lines of (product, base quantity, unit price)."""
    return services.create_order(
        company=company,
        actor=actor or core_testing.owner_of(company),
        data=services.OrderData(
            supplier=vendor,
            date=day,
            warehouse=warehouse,
            lines=[
                services.LineData(
                    product=product,
                    quantity=Decimal(quantity),
                    unit_price=Decimal(price),
                )
                for product, quantity, price in lines
            ],
        ),
    )


def confirmed_order(
    company: Company,
    vendor: Supplier,
    lines: Sequence[tuple[Product, str, str]],
    *,
    day: datetime.date = DAY,
) -> PurchaseOrder:
    owner = core_testing.owner_of(company)
    order = draft_order(company, vendor, lines, day=day, actor=owner)
    return services.confirm_order(order=order, actor=owner)


def balance(
    company: Company, code: str, *, supplier: Supplier | None = None
) -> Decimal:
    """Debit − credit of an account (and its sub-accounts) over posted and
    generated vouchers, for one supplier when given."""
    lines = VoucherLine.objects.filter(
        company=company, account__code__startswith=code
    ).filter(Q(voucher__state=VoucherState.POSTED) | Q(voucher__is_generated=True))
    if supplier is not None:
        lines = lines.filter(supplier_id=supplier.pk)
    totals = lines.aggregate(d=sum_amount("debit"), c=sum_amount("credit"))
    return (totals["d"] or Decimal("0")) - (totals["c"] or Decimal("0"))


# --- objects the tenancy probes name by id ----------
# Pages and API routes of purchasing name their documents with these path
# parameters; each factory makes one in ``company``.


def _probe_order(company: Company) -> PurchaseOrder:
    """A confirmed order of one cup, received and invoiced in full."""
    # Probe companies start without books, as sales' probes do.
    ledger_services.set_up_books(company=company)
    track_suppliers(company)
    if not PurchaseSettings.objects.filter(company=company).exists():
        warehouse = Warehouse.objects.filter(company=company).first()
        if warehouse is None:
            warehouse = inventory_testing.warehouse(company, "WHP")
        PurchaseSettings.objects.create(company=company, default_warehouse=warehouse)
    product = Product.objects.filter(company=company, code="PROBE-P").first()
    if product is None:
        product = inventory_testing.product(company, "PROBE-P")
    vendor = Supplier.objects.filter(company=company, code="PROBE-V").first()
    if vendor is None:
        vendor = supplier(company, "PROBE-V")
    return confirmed_order(company, vendor, [(product, "2", "10")])


def _probe_receipt(company: Company) -> GoodsReceipt:
    order = _probe_order(company)
    return services.receive_goods(
        order=order, actor=core_testing.owner_of(company), date=DAY
    )


@object_factory("requisition_id")
def _requisition(company: Company) -> int:
    order = _probe_order(company)
    return services.create_requisition(
        company=company,
        actor=core_testing.owner_of(company),
        data=services.RequisitionData(
            date=DAY,
            warehouse=order.warehouse,
            lines=[
                services.RequisitionLineData(
                    product=order.lines.get().product, quantity=Decimal(1)
                )
            ],
        ),
    ).pk


@object_factory("purchase_order_id")
def _order(company: Company) -> int:
    return _probe_order(company).pk


@object_factory("goods_receipt_id")
def _receipt(company: Company) -> int:
    return _probe_receipt(company).pk


@object_factory("supplier_invoice_id")
def _invoice(company: Company) -> int:
    receipt = _probe_receipt(company)
    line = receipt.order.lines.get()
    return services.enter_invoice(
        company=company,
        actor=core_testing.owner_of(company),
        data=services.InvoiceData(
            supplier=receipt.supplier,
            invoice_number=f"PROBE-{receipt.pk}",
            date=DAY,
            lines=[
                services.InvoiceLineData(
                    order_line=line, quantity=Decimal(2), unit_price=Decimal(10)
                )
            ],
        ),
    ).pk


@object_factory("purchase_return_id")
def _return(company: Company) -> int:
    receipt = _probe_receipt(company)
    return services.return_goods(
        receipt=receipt,
        actor=core_testing.owner_of(company),
        date=DAY,
        lines=[
            services.ReturnLineData(
                receipt_line=receipt.lines.get(), quantity=Decimal(1)
            )
        ],
    ).pk


@object_factory("supplier_payment_id")
def _payment(company: Company) -> int:
    order = _probe_order(company)
    return services.record_payment(
        company=company,
        actor=core_testing.owner_of(company),
        data=services.PaymentData(
            supplier=order.supplier,
            date=DAY,
            amount=Decimal(50),
            is_prepayment=True,
        ),
    ).pk


def supplier_product(
    company: Company,
    vendor: Supplier,
    product: Product,
    unit_price: str = "10.00",
    *,
    is_preferred: bool = False,
) -> SupplierProduct:
    """What ``vendor`` supplies of ``product``, through the service."""
    return set_supplier_product(
        company=company,
        actor=core_testing.owner_of(company),
        data=SupplierProductData(
            supplier=vendor,
            product=product,
            unit_price=Decimal(unit_price),
            is_preferred=is_preferred,
        ),
    )


@object_factory("supplier_product_id")
def _supplier_product(company: Company) -> int:
    vendor = partners_testing.make_supplier(company)
    return supplier_product(company, vendor, catalog_testing.make_product(company)).pk


@object_factory("payable_item_id")
def _payable_item(company: Company) -> int:
    """The open item of a posted invoice (API bodies name items by id)."""
    invoice_id = _invoice(company)
    return PayableItem.objects.get(
        company=company, kind=PayableKind.INVOICE, source_id=invoice_id
    ).pk


@object_factory("suggestion_id")
def _suggestion(company: Company) -> int:
    """A suggestion for a product below its safety stock (nothing on hand)."""
    order = _probe_order(company)
    product = inventory_testing.product(company, f"PROBE-R{order.pk}")
    set_supplier_product(
        company=company,
        actor=core_testing.owner_of(company),
        data=SupplierProductData(
            supplier=order.supplier,
            product=product,
            unit_price=Decimal(3),
            is_preferred=True,
        ),
    )
    inventory_services.set_stock_policy(
        company=company,
        actor=None,
        product=product,
        warehouse=order.warehouse,
        safety_stock=Decimal(5),
        maximum_stock=None,
    )
    rebuild_suggestions(company=company, on_date=DAY, product_ids=[product.pk])
    return Suggestion.objects.get(company=company, product=product).pk
