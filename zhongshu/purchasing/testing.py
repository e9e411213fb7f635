"""Setup steps for tests of purchasing and of the modules that read it
(never imported by product code)."""

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
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger.models import VoucherLine, VoucherState
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import services
from zhongshu.purchasing.models import PurchaseOrder, PurchaseSettings
from zhongshu.purchasing.services.setup import track_suppliers

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


def supplier(company: Company, code: str = "V1", **fields: object) -> Supplier:
    # Until partners' supplier service lands (same session), a plain row.
    maker = getattr(partners_testing, "make_supplier", None)
    if maker is not None:
        found: Supplier = maker(company, code, **fields)
        return found
    return Supplier.objects.create(
        company=company,
        code=code,
        name=f"供应商 {code}",
        **fields,
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
