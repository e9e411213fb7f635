"""Receipts (收款单) and settlement (核销): recording a receipt with its
allocation to the customer's open items (empty: oldest first), the receipt
page, applying an advance, undoing a settlement, writing off a small
difference on an item."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.core import clock
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.ledger.models import Account
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.partners.models import Customer
from zhongshu.sales import services
from zhongshu.sales.models import ItemKind, Receipt, ReceivableItem, Settlement
from zhongshu.sales.selectors import documents
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.ledger.common import account_names
from zhongshu.web.views.sales.common import (
    RECEIVE,
    VIEW,
    VoucherLink,
    customer_label,
    done,
    failed,
    find_customer,
    is_htmx,
    may,
    offered_customers,
    voucher_links,
)
from zhongshu.web.views.sales.flow import flow_panel
from zhongshu.web.views.sales.forms import (
    ApplyAdvanceForm,
    ReceiptForm,
    WriteOffForm,
)

ITEM_PAGES = {
    ItemKind.DELIVERY: "sales_delivery",
    ItemKind.INVOICE: "sales_invoice",
    ItemKind.RETURN: "sales_return",
}
ALLOCATE = "allocate-"


@dataclass(slots=True)
class OpenItem:
    """An open item of the customer, its page, and what the cashier typed
    against it (kept when the form comes back with an error)."""

    item: ReceivableItem
    url: str
    typed: str = ""
    error: str = ""


def item_url(item: ReceivableItem) -> str:
    return reverse(ITEM_PAGES[ItemKind(item.kind)], args=[item.source_id])


def _open_items(company: Company, customer: Customer | None) -> list[OpenItem]:
    if customer is None:
        return []
    rows = documents.receivable_items(company, customer.pk, open_only=True)
    return [
        OpenItem(item, item_url(item))
        for item in sorted(rows, key=lambda i: (i.due_date, i.date, i.pk))
        if item.open_amount > 0
    ]


def _money_accounts(company: Company) -> list[str]:
    """Cash and bank accounts offered first (any account is accepted)."""
    accounts = list(ledger_selectors.list_accounts(company, active_only=True))
    names = account_names(accounts)
    return [
        names[a.pk].label
        for a in accounts
        if a.is_leaf and a.code[:4] in ("1001", "1002", "1012")
    ]


def _account(company: Company, form: ReceiptForm) -> Account | None:
    text = form.cleaned_data.get("account", "").strip()
    if not text:
        return None
    code = text.split(" ", 1)[0]
    account = ledger_selectors.find_account(company, code)
    if account is None:
        form.add_error("account", _("There is no account %(code)s.") % {"code": code})
        raise ValueError(code)
    return account


def _allocations(
    request: CompanyPageRequest, items: list[OpenItem]
) -> list[services.Allocation] | None:
    """The amounts typed against items; None (automatic, oldest first) when
    every box is empty."""
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


def _place(error: DomainError, form: ReceiptForm, items: list[OpenItem]) -> None:
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
    form: ReceiptForm,
    customer: Customer | None,
    items: list[OpenItem],
) -> Receipt | None:
    company = request.company
    if customer is None:
        form.add_error("customer", _("Choose the customer who paid."))
        return None
    data = form.cleaned_data
    try:
        account = _account(company, form)
        allocations = _allocations(request, items)
    except ValueError:
        return None
    try:
        return services.record_receipt(
            company=company,
            actor=acting_user(request),
            customer=customer,
            date=data["date"],
            amount=data["amount"],
            method=data["method"],
            account=account,
            bank_charge=data.get("bank_charge") or Decimal("0"),
            allocations=allocations,
            memo=data["memo"],
        )
    except DomainError as error:
        _place(error, form, items)
        return None


@company_page(permission=RECEIVE)
@require_http_methods(["GET", "POST"])
def receipt_new(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    source = request.POST if request.method == "POST" else request.GET
    customer = find_customer(company, source.get("customer", ""))
    items = _open_items(company, customer)
    form = ReceiptForm(
        posted(request),
        initial={
            "date": clock.today(),
            "customer": customer_label(customer) if customer else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        receipt = _record(request, form, customer, items)
        if receipt is not None:
            done(
                request,
                _("Receipt %(number)s is recorded.") % {"number": receipt.number},
            )
            return redirect("sales_receipt", receipt.pk)
    context = {
        "form": form,
        "customer": customer,
        "items": items,
        "customers": offered_customers(company),
        "accounts": _money_accounts(company),
    }
    if is_htmx(request) and request.method == "GET":
        return render(request, "web/sales/receipt_form.html#items", context)
    return render(
        request,
        "web/sales/receipt_form.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


# --- the receipt page and its actions -------------------------------------------------


@dataclass(frozen=True, slots=True)
class SettlementRow:
    settlement: Settlement
    item_url: str
    vouchers: list[VoucherLink]


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def receipt_detail(request: CompanyPageRequest, receipt_id: int) -> HttpResponse:
    company = request.company
    receipt = documents.get_receipt(company, receipt_id)
    settlements = [
        SettlementRow(
            s,
            item_url(s.item),
            voucher_links(company, "sales.settlement", s.pk),
        )
        for s in receipt.settlements.all()
    ]
    can_receive = may(request, RECEIVE)
    return render(
        request,
        "web/sales/receipt.html",
        {
            "document": receipt,
            "settlements": settlements,
            "items": _open_items(company, receipt.customer),
            "vouchers": voucher_links(company, "sales.receipt", receipt.pk),
            "flow": flow_panel(company, "sales.receipt", receipt.pk),
            "can_receive": can_receive,
            "apply_form": ApplyAdvanceForm(initial={"date": clock.today()}),
            "write_off_form": WriteOffForm(initial={"date": clock.today()}),
        },
    )


@company_page(permission=RECEIVE)
@require_POST
def receipt_apply(request: CompanyPageRequest, receipt_id: int) -> HttpResponse:
    """Apply what is left of the receipt to the oldest open items."""
    receipt = documents.get_receipt(request.company, receipt_id)
    form = ApplyAdvanceForm(request.POST)
    day = form.cleaned_data["date"] if form.is_valid() else clock.today()
    try:
        settlements = services.apply_advance(
            receipt=receipt, actor=acting_user(request), date=day
        )
    except DomainError as error:
        failed(request, error)
    else:
        applied = sum((s.amount for s in settlements), Decimal("0"))
        done(
            request,
            _("%(amount)s of the advance is applied.") % {"amount": f"{applied:.2f}"},
        )
    return redirect("sales_receipt", receipt.pk)


def _back(request: CompanyPageRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def _settlement_page(settlement: Settlement) -> str:
    if settlement.receipt_id is not None:
        return reverse("sales_receipt", args=[settlement.receipt_id])
    return item_url(settlement.item)


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def settlement_detail(request: CompanyPageRequest, settlement_id: int) -> HttpResponse:
    """A settlement is shown on its receipt (or on the item's document)."""
    settlement = documents.get_settlement(request.company, settlement_id)
    return redirect(_settlement_page(settlement))


@company_page(permission=RECEIVE)
@require_POST
def settlement_undo(request: CompanyPageRequest, settlement_id: int) -> HttpResponse:
    settlement = documents.get_settlement(request.company, settlement_id)
    try:
        services.undo_settlement(settlement=settlement, actor=acting_user(request))
    except DomainError as error:
        failed(request, error)
    else:
        done(
            request,
            _("The settlement of %(amount)s on %(item)s is undone.")
            % {"amount": f"{settlement.amount:.2f}", "item": settlement.item.number},
        )
    return _back(request, _settlement_page(settlement))


@company_page(permission=VIEW)
@require_POST
def item_write_off(request: CompanyPageRequest, item_id: int) -> HttpResponse:
    """Write off a small difference left open on an item (抹零)."""
    item = documents.get_item(request.company, item_id)
    require(request, RECEIVE)
    form = WriteOffForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        services.write_off_difference(
            item=item,
            actor=acting_user(request),
            date=data.get("date") or clock.today(),
            amount=data.get("amount"),
        )
    except DomainError as error:
        failed(request, error)
    else:
        done(
            request,
            _("The difference on %(item)s is written off.") % {"item": item.number},
        )
    return _back(request, item_url(item))
