"""The store counter (零售): the POS page, the retail sales and their
receipts (小票), and the daily summary per store.

The POS keeps the cart of the customer at the counter in the session (one
per company), so a reload or a second tab shows the same cart. Every change
— a scan, a quantity, a line discount, the sale discount — posts and gets
back the whole priced cart (``_state.html``), priced on the server by
``selectors.retail.quote_cart`` exactly as ``sell_retail`` will book it.
``sales_retail.js`` sends the posts one after another (a USB scanner types
faster than answers come back) and drives the keyboard. Without JavaScript
each form posts and comes back to the page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhongshu.core import clock
from zhongshu.core.errors import DomainError, NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.inventory.models import Warehouse
from zhongshu.sales import permissions, services
from zhongshu.sales.models import PaymentMethod, RetailSale
from zhongshu.sales.selectors import retail
from zhongshu.web.decorators import can, company_page
from zhongshu.web.http import CompanyPageRequest, acting_user

VIEW = permissions.VIEW_SALES.code
RETAIL = permissions.RETAIL.code
ZERO = Decimal("0")

# The methods the counter takes, in the order the payment panel shows them.
COUNTER_METHODS = [
    PaymentMethod.CASH,
    PaymentMethod.CARD,
    PaymentMethod.WECHAT,
    PaymentMethod.ALIPAY,
]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _decimal(text: str) -> Decimal | None:
    """A number typed by a person (``1,5`` too), else None."""
    try:
        value = Decimal(text.strip().replace(",", ".").replace("，", "."))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


# --- the cart in the session ----------


class Cart:
    """The counter's cart of one company in the session: the store, the
    lines (product and unit ids, quantity, discount %, barcode as text) and
    the discount off the whole sale."""

    def __init__(self, request: CompanyPageRequest) -> None:
        self.session = request.session
        self.key = f"retail_pos:{request.company.pk}"
        stored = self.session.get(self.key) or {}
        self.store_id: int | None = stored.get("store")
        # Copies: a change refused later must not reach the session.
        self.lines: list[dict[str, str]] = [dict(x) for x in stored.get("lines", [])]
        self.discount: str = stored.get("discount", "0")

    def save(self) -> None:
        self.session[self.key] = {
            "store": self.store_id,
            "lines": [dict(x) for x in self.lines],
            "discount": self.discount,
        }

    def clear(self) -> None:
        self.lines = []
        self.discount = "0"

    def add(self, found: retail.Lookup) -> int:
        """One more of the scanned item: +1 on its line, else a new line
        at the end. The line's index."""
        for index, line in enumerate(self.lines):
            if line["product"] == str(found.product.pk) and line["unit"] == str(
                found.unit.pk
            ):
                line["quantity"] = str(Decimal(line["quantity"]) + 1)
                return index
        self.lines.append(
            {
                "product": str(found.product.pk),
                "unit": str(found.unit.pk),
                "quantity": "1",
                "discount_rate": "0",
                "barcode": found.barcode,
            }
        )
        return len(self.lines) - 1


def _store(request: CompanyPageRequest, cart: Cart) -> Warehouse | None:
    """The cart's store, else the first store (remembered)."""
    stores = retail.list_stores(request.company)
    chosen = next((s for s in stores if s.pk == cart.store_id), None)
    if chosen is None and stores:
        chosen = stores[0]
        cart.store_id = chosen.pk
        cart.save()
    return chosen


def _quote(company: Company, store: Warehouse, cart: Cart) -> retail.CartQuote:
    return retail.quote_cart(
        company,
        store=store,
        on_date=clock.today(),
        lines=retail.cart_lines(company, cart.lines),
        discount=_decimal(cart.discount) or ZERO,
    )


@dataclass(frozen=True, slots=True)
class LastSale:
    id: int
    number: str
    total: Decimal
    change: Decimal


def _last_sale(request: CompanyPageRequest) -> LastSale | None:
    stored = request.session.get(f"retail_pos_last:{request.company.pk}")
    if not stored:
        return None
    return LastSale(
        stored["id"],
        stored["number"],
        Decimal(stored["total"]),
        Decimal(stored["change"]),
    )


def _remember_sale(request: CompanyPageRequest, sale: RetailSale) -> None:
    request.session[f"retail_pos_last:{request.company.pk}"] = {
        "id": sale.pk,
        "number": sale.number,
        "total": str(sale.total),
        "change": str(sale.change),
    }


def _state_context(
    request: CompanyPageRequest,
    cart: Cart,
    store: Warehouse | None,
    *,
    error: str = "",
    message: str = "",
    completed: bool = False,
) -> dict[str, Any]:
    quote = retail.CartQuote()
    if store is not None:
        try:
            quote = _quote(request.company, store, cart)
        except DomainError as failure:
            # Someone changed a price list since the scan: show why, keep the cart.
            error = error or failure.message
    return {
        "cart": cart,
        "quote": quote,
        "total_text": f"{quote.total:.2f}",
        "store": store,
        "error": error,
        "message": message,
        "completed": completed,
        "last_sale": _last_sale(request),
        "discount": _decimal(cart.discount) or ZERO,
    }


def _answer(
    request: CompanyPageRequest, cart: Cart, store: Warehouse | None, **kwargs: Any
) -> HttpResponse:
    """The priced cart as a fragment (htmx), else back to the page."""
    if not _is_htmx(request):
        if kwargs.get("error"):
            messages.error(request, kwargs["error"])
        elif kwargs.get("message"):
            messages.success(request, kwargs["message"])
        return redirect("sales_retail_pos")
    context = _state_context(request, cart, store, **kwargs)
    return render(request, "web/sales_retail/_state.html", context)


# --- the POS page ----------


@company_page(permission=RETAIL)
@require_GET
def pos(request: CompanyPageRequest) -> HttpResponse:
    cart = Cart(request)
    store = _store(request, cart)
    context = _state_context(request, cart, store)
    context.update(
        {
            "stores": retail.list_stores(request.company),
            "methods": [(m.value, m.label) for m in COUNTER_METHODS],
            "today": clock.today(),
            "read_only": request.company_read_only,
        }
    )
    return render(request, "web/sales_retail/pos.html", context)


@company_page(permission=RETAIL)
@require_POST
def pos_store(request: CompanyPageRequest) -> HttpResponse:
    """Choose the store the counter sells from (remembered in the session);
    the cart is emptied, its prices and stock were the old store's."""
    cart = Cart(request)
    value = request.POST.get("store", "")
    try:
        store = retail.get_store(request.company, int(value) if value.isdigit() else 0)
    except NotFoundError:
        messages.error(request, _("Choose one of the stores."))
        return redirect("sales_retail_pos")
    if store.pk != cart.store_id:
        cart.store_id = store.pk
        cart.clear()
        cart.save()
    return redirect("sales_retail_pos")


def _scan(request: CompanyPageRequest, cart: Cart, store: Warehouse) -> str:
    """Add the scanned item; the message, or raise the DomainError."""
    code = request.POST.get("barcode", "").strip()
    if not code:
        raise _invalid("barcode", _("Scan a barcode."))
    found = retail.lookup(
        request.company, store=store, barcode=code, on_date=clock.today()
    )
    before = [dict(line) for line in cart.lines]
    index = cart.add(found)
    try:
        _quote(request.company, store, cart)
    except DomainError:
        cart.lines = before  # nothing added: the item cannot be priced
        raise
    cart.save()
    line = cart.lines[index]
    return _("%(code)s %(name)s: %(quantity)s in the cart.") % {
        "code": found.product.code,
        "name": found.product.name,
        "quantity": line["quantity"],
    }


@company_page(permission=RETAIL)
@require_POST
def pos_scan(request: CompanyPageRequest) -> HttpResponse:
    """One scan: the item is added (or +1 on its line), priced from the
    price lists; an unknown barcode or an item without a price adds nothing
    and says why."""
    cart = Cart(request)
    store = _store(request, cart)
    if store is None:
        return _answer(request, cart, store, error=_("There is no store to sell from."))
    try:
        message = _scan(request, cart, store)
    except DomainError as error:
        return _answer(request, cart, store, error=error.message)
    return _answer(request, cart, store, message=message)


def _line_index(cart: Cart, value: str) -> int:
    """The line a post names (``last`` for the last line)."""
    if value == "last" and cart.lines:
        return len(cart.lines) - 1
    if value.isdigit() and int(value) < len(cart.lines):
        return int(value)
    raise _invalid("line", _("That line is no longer in the cart."))


def _change_cart(request: CompanyPageRequest, cart: Cart) -> None:
    """Apply one change the POS posts (``action``), or raise a DomainError."""
    action = request.POST.get("action", "")
    if action == "clear":
        cart.clear()
        return
    if action == "discount":
        amount = _decimal(request.POST.get("discount", "") or "0")
        if amount is None or amount < 0:
            raise _invalid("discount", _("Enter the discount as an amount, 0 or more."))
        cart.discount = str(amount)
        return
    index = _line_index(cart, request.POST.get("line", ""))
    line = cart.lines[index]
    if action == "remove":
        del cart.lines[index]
    elif action == "adjust":
        step = _decimal(request.POST.get("delta", "")) or ZERO
        quantity = Decimal(line["quantity"]) + step
        if quantity <= 0:
            del cart.lines[index]
        else:
            line["quantity"] = str(quantity)
    elif action == "set":
        typed = _decimal(request.POST.get("quantity", ""))
        rate = _decimal(request.POST.get("discount_rate", "") or "0")
        if typed is None or typed <= 0:
            raise _invalid("quantity", _("Enter a quantity greater than zero."))
        if rate is None or not ZERO <= rate <= 100:
            raise _invalid(
                "discount_rate", _("The discount is a percentage from 0 to 100.")
            )
        line["quantity"], line["discount_rate"] = str(typed), str(rate)
    else:
        raise _invalid("action", _("Unknown change."))


@company_page(permission=RETAIL)
@require_POST
def pos_cart(request: CompanyPageRequest) -> HttpResponse:
    """A change to the cart: a line's quantity and discount (``set``),
    ±1 (``adjust``), ``remove`` a line, ``discount`` off the sale, ``clear``.
    A change the sale would refuse (a bad quantity) is not kept."""
    cart = Cart(request)
    store = _store(request, cart)
    before = ([dict(line) for line in cart.lines], cart.discount)
    try:
        _change_cart(request, cart)
        if store is not None:
            _quote(request.company, store, cart)
    except DomainError as error:
        cart.lines, cart.discount = before
        return _answer(request, cart, store, error=error.message)
    cart.save()
    return _answer(request, cart, store)


def _payments(request: HttpRequest) -> list[services.PaymentData]:
    """The amounts typed per method (``pay_<method>``); empty ones skipped."""
    payments = []
    for method in COUNTER_METHODS:
        text = request.POST.get(f"pay_{method.value}", "").strip()
        if not text:
            continue
        amount = _decimal(text)
        if amount is None:
            raise _invalid(
                f"pay_{method.value}",
                _("%(method)s: enter an amount.") % {"method": method.label},
            )
        payments.append(services.PaymentData(method.value, amount))
    return payments


@company_page(permission=RETAIL)
@require_POST
def pos_complete(request: CompanyPageRequest) -> HttpResponse:
    """Ring up the cart with the payments typed; the counter is then ready
    for the next customer and shows the sale's number and change."""
    cart = Cart(request)
    store = _store(request, cart)
    if store is None:
        return _answer(request, cart, store, error=_("There is no store to sell from."))
    company = request.company
    try:
        sale = services.sell_retail(
            company=company,
            actor=acting_user(request),
            store=store,
            date=clock.today(),
            lines=[
                services.RetailLineData(
                    product=line.product,
                    unit=line.unit,
                    quantity=line.quantity,
                    discount_rate=line.discount_rate,
                )
                for line in retail.cart_lines(company, cart.lines)
            ],
            payments=_payments(request),
            discount=_decimal(cart.discount) or ZERO,
        )
    except DomainError as error:
        return _answer(request, cart, store, error=error.message)
    cart.clear()
    cart.save()
    _remember_sale(request, sale)
    message = _("Sale %(number)s done: %(total)s, change %(change)s.") % {
        "number": sale.number,
        "total": f"{sale.total:.2f}",
        "change": f"{sale.change:.2f}",
    }
    return _answer(request, cart, store, message=message, completed=True)


# --- sales and receipts ----------


def _date_param(request: HttpRequest, name: str) -> datetime.date | None:
    text = request.GET.get(name, "")
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


def _store_param(request: CompanyPageRequest) -> Warehouse | None:
    value = request.GET.get("store", "")
    if not value.isdigit():
        return None
    try:
        return retail.get_store(request.company, int(value))
    except NotFoundError:
        return None


@company_page(permission=VIEW)
@require_GET
def sale_list(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    store = _store_param(request)
    date_from, date_to = (
        _date_param(request, "date_from"),
        _date_param(request, "date_to"),
    )
    sales = retail.list_retail_sales(
        company,
        store_id=store.pk if store else None,
        date_from=date_from,
        date_to=date_to,
        search=request.GET.get("q", ""),
    )
    page = Paginator(sales, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/sales_retail/list.html",
        {
            "page": page,
            "stores": retail.list_stores(company),
            "store": store,
            "date_from": date_from,
            "date_to": date_to,
            "q": request.GET.get("q", ""),
            "can_sell": can(request, RETAIL) and not request.company_read_only,
        },
    )


@company_page(permission=VIEW)
@require_GET
def sale_detail(request: CompanyPageRequest, retail_sale_id: int) -> HttpResponse:
    company = request.company
    sale = retail.get_retail_sale(company, retail_sale_id)
    return render(
        request,
        "web/sales_retail/detail.html",
        {
            "sale": sale,
            "lines": [(line, line.net_amount - line.cost) for line in sale.lines.all()],
            "vouchers": retail.vouchers_of_sale(company, sale),
            "margin": sale.net_total - sale.cost_total,
        },
    )


@company_page(permission=VIEW)
@require_GET
def sale_receipt(request: CompanyPageRequest, retail_sale_id: int) -> HttpResponse:
    """The printable receipt (小票), sized for a 58 or 80 mm roll
    (``?width=58``)."""
    sale = retail.get_retail_sale(request.company, retail_sale_id)
    width = "58" if request.GET.get("width") == "58" else "80"
    return render(
        request,
        "web/sales_retail/receipt.html",
        {"sale": sale, "company": request.company, "width": width},
    )


# --- the daily summary ----------


@company_page(permission=VIEW)
@require_GET
def daily(request: CompanyPageRequest) -> HttpResponse:
    """Per store and day, from the first of the month to today unless
    chosen."""
    company = request.company
    today = clock.today()
    date_from = _date_param(request, "date_from") or today.replace(day=1)
    date_to = _date_param(request, "date_to") or today
    store = _store_param(request)
    error = ""
    summary = None
    try:
        summary = retail.daily_summary(
            company, date_from, date_to, store.pk if store else None
        )
    except ValidationError as failure:
        error = failure.message
    labels = dict(PaymentMethod.choices)
    methods = [(m, labels[m]) for m in summary.methods] if summary else []
    rows = [
        (row, [row.by_method.get(m, ZERO) for m, _label in methods])
        for row in (summary.rows if summary else [])
    ]
    return render(
        request,
        "web/sales_retail/daily.html",
        {
            "summary": summary,
            "rows": rows,
            "methods": methods,
            "totals_by_method": [
                summary.totals.by_method.get(m, ZERO) for m, _l in methods
            ]
            if summary
            else [],
            "stores": retail.list_stores(company),
            "store": store,
            "date_from": date_from,
            "date_to": date_to,
            "error": error,
        },
    )
