"""Payments to suppliers (付款单): recording one with its allocation to the
supplier's open items (empty: oldest first), its discount and whether what
is left is a prepayment; the payment page with what it settled and its
vouchers; and applying a prepayment to the open items."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.core import clock
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.ledger.models import Account
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import services
from zhongshu.purchasing.models import PayableItem, PayableKind, Payment
from zhongshu.purchasing.selectors import documents, payables
from zhongshu.purchasing.services import common as kinds
from zhongshu.web.decorators import company_page
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.purchasing.common import (
    PAY,
    VIEW,
    find_account,
    find_supplier,
    money_accounts,
    offered_suppliers,
    supplier_label,
)
from zhongshu.web.views.purchasing.forms import DateForm, PaymentForm
from zhongshu.web.views.sales.common import done, failed, is_htmx, may, voucher_links

ALLOCATE = "allocate-"
ITEM_PAGES = {
    PayableKind.INVOICE: "purchasing_invoice",
    PayableKind.RETURN: "purchasing_return",
}
ZERO = Decimal("0")


def item_url(item: PayableItem) -> str:
    """The document behind an item (an opening balance has none)."""
    page = ITEM_PAGES.get(PayableKind(item.kind))
    return reverse(page, args=[item.source_id]) if page else ""


@dataclass(slots=True)
class OpenItem:
    """An open item of the supplier, its page, and what the cashier typed
    against it (kept when the form comes back with an error)."""

    item: PayableItem
    url: str
    typed: str = ""
    error: str = ""


def _open_items(company: Company, supplier: Supplier | None) -> list[OpenItem]:
    """What the company owes the supplier, oldest due first (credits are
    settled by the services themselves)."""
    if supplier is None:
        return []
    return [
        OpenItem(item, item_url(item))
        for item in payables.open_items(company, supplier.pk)
        if item.open_amount > 0
    ]


def _account(company: Company, form: PaymentForm) -> Account | None:
    text = form.cleaned_data.get("account", "").strip()
    if not text:
        return None
    account = find_account(company, text)
    if account is None:
        code = text.split(" ", 1)[0]
        form.add_error("account", _("There is no account %(code)s.") % {"code": code})
        raise ValueError(code)
    return account


def _allocations(
    request: CompanyPageRequest, items: list[OpenItem]
) -> list[services.Allocation] | None:
    """The amounts typed against items; None (oldest first) when every box
    is empty."""
    result = []
    for row in items:
        row.typed = request.POST.get(f"{ALLOCATE}{row.item.pk}", "").strip()
        if not row.typed:
            continue
        try:
            amount = Decimal(row.typed.replace(",", ""))
        except InvalidOperation:
            row.error = _("Enter a number.")
            raise ValueError(row.typed) from None
        result.append(services.Allocation(row.item, amount))
    return result or None


def _place(error: DomainError, form: PaymentForm, items: list[OpenItem]) -> None:
    """``allocations.0.amount`` names the first typed allocation."""
    typed = [row for row in items if row.typed]
    rest = {}
    for key, messages in error.fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(typed):
            typed[int(parts[1])].error = str(messages[0])
        else:
            rest[key] = messages
    if rest or not error.fields:
        show_domain_error(form, DomainError(error.message, fields=rest))


def _record(
    request: CompanyPageRequest,
    form: PaymentForm,
    supplier: Supplier | None,
    items: list[OpenItem],
) -> Payment | None:
    company = request.company
    if supplier is None:
        form.add_error("supplier", _("Choose the supplier paid."))
        return None
    data = form.cleaned_data
    try:
        account = _account(company, form)
        allocations = _allocations(request, items)
    except ValueError:
        return None
    try:
        return services.record_payment(
            company=company,
            actor=acting_user(request),
            data=services.PaymentData(
                supplier=supplier,
                date=data["date"],
                amount=data["amount"],
                account=account,
                discount=data.get("discount") or ZERO,
                allocations=allocations,
                is_prepayment=data["is_prepayment"],
                memo=data["memo"],
            ),
        )
    except DomainError as error:
        _place(error, form, items)
        return None


@company_page(permission=PAY)
@require_http_methods(["GET", "POST"])
def payment_new(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    source = request.POST if request.method == "POST" else request.GET
    supplier = find_supplier(company, source.get("supplier", ""))
    items = _open_items(company, supplier)
    form = PaymentForm(
        posted(request),
        initial={
            "date": clock.today(),
            "supplier": supplier_label(supplier) if supplier else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        payment = _record(request, form, supplier, items)
        if payment is not None:
            done(
                request,
                _("Payment %(number)s is recorded.") % {"number": payment.number},
            )
            return redirect("purchasing_payment", payment.pk)
    context = {
        "form": form,
        "supplier": supplier,
        "items": items,
        "suppliers": offered_suppliers(company),
        "accounts": money_accounts(company),
    }
    if is_htmx(request) and request.method == "GET":
        return render(request, "web/purchasing/payment_form.html#items", context)
    return render(
        request,
        "web/purchasing/payment_form.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


# --- the payment page and applying a prepayment ---------------------------------------


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def payment_detail(
    request: CompanyPageRequest, supplier_payment_id: int
) -> HttpResponse:
    company = request.company
    payment = documents.get_payment(company, supplier_payment_id)
    vouchers = voucher_links(company, kinds.PAYMENT_KIND, payment.pk)
    vouchers += voucher_links(company, kinds.SETTLEMENT_KIND, payment.pk)
    items = _open_items(company, payment.supplier) if payment.unallocated > 0 else []
    return render(
        request,
        "web/purchasing/payment.html",
        {
            "document": payment,
            "settlements": [(s, item_url(s.item)) for s in payment.settlements.all()],
            "items": items,
            "vouchers": vouchers,
            "can_apply": bool(items) and may(request, PAY),
            "apply_form": DateForm(initial={"date": clock.today()}),
        },
    )


@company_page(permission=PAY)
@require_POST
def payment_apply(
    request: CompanyPageRequest, supplier_payment_id: int
) -> HttpResponse:
    """Set what is left of a prepayment against the oldest open items."""
    payment = documents.get_payment(request.company, supplier_payment_id)
    form = DateForm(request.POST)
    day = form.cleaned_data["date"] if form.is_valid() else clock.today()
    try:
        rows = services.apply_prepayment(
            payment=payment, actor=acting_user(request), date=day
        )
    except DomainError as error:
        failed(request, error)
    else:
        applied = sum((row.amount for row in rows), ZERO)
        done(
            request,
            _("%(amount)s of the prepayment is applied.")
            % {"amount": f"{applied:.2f}"},
        )
    return redirect("purchasing_payment", payment.pk)
