"""Retail sales (零售单) at a store counter: scanned lines priced from the
price lists (tax included), paid on the spot by one or more methods, stock
issued from the store at cost, revenue and money posted at once.

Voucher: Dr 库存现金 (cash, net of change) / 银行存款 (card, WeChat, Alipay)
— Cr 主营业务收入, 应交税费—销项税额; the stock issue posts its own cost of
goods voucher (Dr 主营业务成本 / Cr 库存商品). Events published: none."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.catalog.models import PriceListKind, Product, Unit
from zhongshu.catalog.selectors import products as catalog_products
from zhongshu.core import audit
from zhongshu.core.models import Company
from zhongshu.core.money import round_amount, to_decimal
from zhongshu.core.refs import SourceRef
from zhongshu.core.services import require_writable
from zhongshu.inventory import services as inventory
from zhongshu.inventory.models import MoveKind, Warehouse
from zhongshu.ledger.chart import Role
from zhongshu.ledger.services.drafts import Accounts
from zhongshu.partners.models import Customer
from zhongshu.sales.models import (
    PaymentMethod,
    RetailPayment,
    RetailSale,
    RetailSaleLine,
)
from zhongshu.sales.services.common import (
    RETAIL_KIND,
    RETAIL_NUMBERS,
    ZERO,
    VoucherDraft,
    check_customer,
    check_warehouse,
    field_error,
    line_error,
    next_number,
    user_or_none,
)
from zhongshu.sales.services.orders import LineData, OrderData, price_document
from zhongshu.sales.services.receivables import account_for_method


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class RetailLineData:
    """A scanned line: ``barcode`` or ``product`` (a barcode names its unit,
    e.g. the 箱 of 12)."""

    quantity: Decimal
    barcode: str = ""
    product: Product | None = None
    unit: Unit | None = None
    unit_price: Decimal | None = None
    discount_rate: Decimal = ZERO


@dataclasses.dataclass(frozen=True, slots=True)
class PaymentData:
    method: str
    amount: Decimal


def _resolve(company: Company, lines: Sequence[RetailLineData]) -> list[LineData]:
    resolved = []
    for index, line in enumerate(lines):
        product, unit = line.product, line.unit
        if line.barcode:
            try:
                hit = catalog_products.find_by_barcode(company, line.barcode)
            except Exception as error:  # UnknownBarcodeError: a domain error
                message = getattr(error, "message", str(error))
                raise line_error(index, "barcode", message) from error
            product, unit = hit.product, hit.unit
        if product is None:
            raise line_error(index, "barcode", _("scan a barcode or choose a product."))
        resolved.append(
            LineData(
                product=product,
                quantity=line.quantity,
                unit=unit,
                unit_price=line.unit_price,
                discount_rate=line.discount_rate,
            )
        )
    return resolved


def _checked_payments(
    payments: Sequence[PaymentData], total: Decimal
) -> tuple[list[PaymentData], Decimal, Decimal]:
    """The payments as booked (cash net of change), the tendered sum and
    the change. Only cash gives change."""
    if not payments:
        raise field_error("payments", _("Take a payment."))
    cleaned = []
    for index, payment in enumerate(payments):
        if payment.method not in PaymentMethod.values:
            raise field_error(f"payments.{index}.method", _("Unknown payment method."))
        amount = round_amount(to_decimal(payment.amount))
        if amount <= 0:
            raise field_error(
                f"payments.{index}.amount", _("A payment must be greater than zero.")
            )
        cleaned.append(PaymentData(payment.method, amount))
    tendered = sum((p.amount for p in cleaned), ZERO)
    if tendered < total:
        message = _("%(tendered)s paid of %(total)s; %(short)s is missing.") % {
            "tendered": f"{tendered:.2f}",
            "total": f"{total:.2f}",
            "short": f"{total - tendered:.2f}",
        }
        raise field_error("payments", message)
    change = tendered - total
    cash = sum((p.amount for p in cleaned if p.method == PaymentMethod.CASH), ZERO)
    if change > cash:
        raise field_error(
            "payments", _("Only cash gives change; card and app payments are exact.")
        )
    booked = []
    left = change
    for payment in cleaned:
        if payment.method == PaymentMethod.CASH and left > 0:
            taken = min(left, payment.amount)
            left -= taken
            if payment.amount - taken > 0:
                booked.append(PaymentData(payment.method, payment.amount - taken))
        else:
            booked.append(payment)
    return booked, tendered, change


@transaction.atomic
def sell_retail(
    *,
    company: Company,
    actor: User | None,
    store: Warehouse,
    date: datetime.date,
    lines: Sequence[RetailLineData],
    payments: Sequence[PaymentData],
    discount: Decimal = ZERO,
    customer: Customer | None = None,
) -> RetailSale:
    """Ring up a counter sale: all or nothing."""
    require_writable(company)
    check_warehouse(company, store, "store")
    if customer is not None:
        check_customer(company, customer)
    if not lines:
        raise field_error("lines", _("Scan at least one item."))
    resolved = _resolve(company, lines)
    walk_in = customer or Customer(company=company, code="", name="", price_group="")
    priced = price_document(
        company,
        OrderData(
            customer=walk_in,
            date=date,
            lines=resolved,
            discount=discount,
            price_kinds=(PriceListKind.RETAIL, PriceListKind.CUSTOMER_GROUP),
        ),
        True,
    )
    total = sum((p.amounts.amount for p in priced), ZERO)
    booked, tendered, change = _checked_payments(payments, total)
    sale = RetailSale.objects.create(
        company=company,
        number=next_number(company, RETAIL_NUMBERS.key, date),
        store=store,
        date=date,
        customer=customer,
        discount=round_amount(discount),
        net_total=sum((p.amounts.net_amount for p in priced), ZERO),
        tax_total=sum((p.amounts.tax_amount for p in priced), ZERO),
        total=total,
        tendered=tendered,
        change=change,
        cashier=user_or_none(actor),
    )
    source = SourceRef(RETAIL_KIND, sale.pk)
    posting = inventory.issue(
        company=company,
        date=date,
        lines=[
            inventory.MoveLine(
                product=item.data.product,
                warehouse=store,
                quantity=item.base_quantity,
            )
            for item in priced
        ],
        counter=inventory.Counterpart(Role.COST_OF_SALES),
        source=source,
        kind=MoveKind.ISSUE,
        actor=actor,
        summary=_("Retail sale %(number)s") % {"number": sale.number},
    )
    rows = []
    for index, (item, move) in enumerate(zip(priced, posting.moves, strict=True)):
        rows.append(
            RetailSaleLine(
                company=company,
                sale=sale,
                line_no=index + 1,
                product=item.data.product,
                unit=item.unit,
                quantity=to_decimal(item.data.quantity),
                base_quantity=item.base_quantity,
                unit_price=item.unit_price,
                discount_rate=to_decimal(item.data.discount_rate),
                order_discount=item.amounts.order_discount,
                tax_rate=item.data.product.vat_rate,
                amount=item.amounts.amount,
                net_amount=item.amounts.net_amount,
                tax_amount=item.amounts.tax_amount,
                cost=-move.value,
            )
        )
    RetailSaleLine.objects.bulk_create(rows)
    sale.cost_total = sum((r.cost for r in rows), ZERO)
    sale.save(update_fields=["cost_total"])
    accounts = Accounts(company)
    draft = VoucherDraft(_("Retail sale %(number)s") % {"number": sale.number})
    payment_rows = []
    for payment in booked:
        account = account_for_method(company, payment.method, accounts)
        draft.add(account, debit=payment.amount)
        payment_rows.append(
            RetailPayment(
                company=company,
                sale=sale,
                method=payment.method,
                amount=payment.amount,
                account=account,
            )
        )
    RetailPayment.objects.bulk_create(payment_rows)
    draft.add(accounts(Role.SALES_REVENUE), credit=sale.net_total)
    draft.add(accounts(Role.OUTPUT_VAT), credit=sale.tax_total)
    draft.post(company, date, source, actor)
    audit.record(company=company, actor=actor, action="create", obj=sale)
    return sale
