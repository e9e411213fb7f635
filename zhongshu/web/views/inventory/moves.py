"""Stock moved by hand (其他入库, 其他出库, 调拨) and the pages behind every
figure: a manual document, one stock move with its voucher and source, and
a cost adjustment (出库成本调整) with the moves it revalued."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zhongshu.catalog.selectors import products as catalog
from zhongshu.core import clock
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.inventory import manual, selectors, services
from zhongshu.inventory.manual import ManualKind
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger.chart import Role
from zhongshu.ledger.models import Account
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.ledger.services import resolve_account
from zhongshu.web.decorators import company_page
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.inventory.common import (
    MOVE,
    VIEW,
    done,
    month_range,
    source_link,
    stock_ledger_url,
    warehouse_choices,
)
from zhongshu.web.views.inventory.forms import (
    ManualHeaderForm,
    ManualLineForm,
    ManualLineFormSet,
)
from zhongshu.web.views.ledger.common import account_names

KIND_TITLES = {
    ManualKind.RECEIPT: gettext_lazy("Other receipt"),
    ManualKind.ISSUE: gettext_lazy("Other issue"),
    ManualKind.TRANSFER: gettext_lazy("Transfer"),
}
# The account a page offers first for the other side of the voucher.
DEFAULT_COUNTER_ROLES = {
    ManualKind.RECEIPT: Role.OTHER_PAYABLE,
    ManualKind.ISSUE: Role.ADMIN_EXPENSES,
}
MAX_PRODUCTS_OFFERED = 1000


def _kind(value: str) -> ManualKind:
    known = {kind.value for kind in ManualKind}
    return ManualKind(value) if value in known else ManualKind.RECEIPT


@company_page(permission=MOVE)
@require_http_methods(["GET", "POST"])
def manual_new(request: CompanyPageRequest) -> HttpResponse:
    """The grid of a manual receipt, issue or transfer (``?kind=``)."""
    company = request.company
    kind = _kind(request.GET.get("kind", ""))
    warehouses = warehouse_choices(company)
    header = ManualHeaderForm(
        posted(request), initial=_initial_header(company, kind, warehouses)
    )
    lines = ManualLineFormSet(posted(request), prefix="lines", warehouses=warehouses)
    if request.method == "POST" and header.is_valid() and lines.is_valid():
        document = _post(request, company, kind, header, lines.forms)
        if document is not None:
            done(
                request,
                _("%(kind)s %(number)s posted.")
                % {"kind": KIND_TITLES[kind], "number": document.number},
            )
            return redirect("inventory_manual_document", document.source.id)
    return render(
        request,
        "web/inventory/manual_form.html",
        {
            "kind": kind,
            "kinds": [(k, KIND_TITLES[k]) for k in ManualKind],
            "title": KIND_TITLES[kind],
            "header": header,
            "lines": lines,
            "accounts": _account_labels(company),
            "products": catalog.list_products(company, active=True)
            .prefetch_related(None)
            .select_related(None)[:MAX_PRODUCTS_OFFERED],
        },
    )


def _initial_header(
    company: Company, kind: ManualKind, warehouses: list[tuple[str, str]]
) -> dict[str, Any]:
    initial: dict[str, Any] = {"date": clock.today()}
    role = DEFAULT_COUNTER_ROLES.get(kind)
    if role is not None:
        try:
            account = resolve_account(company, role)
        except DomainError:
            return initial
        initial["counter_account"] = f"{account.code} {account.name}"
    return initial


def _account_labels(company: Company) -> list[str]:
    accounts = list(ledger_selectors.list_accounts(company, active_only=True))
    names = account_names(accounts)
    return [names[a.pk].label for a in accounts if a.is_leaf]


class _LineError(Exception):
    pass


def _post(
    request: CompanyPageRequest,
    company: Company,
    kind: ManualKind,
    header: ManualHeaderForm,
    forms: list[ManualLineForm],
) -> manual.ManualDocument | None:
    """Post the document, or put each refusal on its field and answer None."""
    filled = [form for form in forms if not form.is_blank]
    if not filled:
        header.add_error(None, _("Add at least one line."))
        return None
    data = header.cleaned_data
    try:
        if kind == ManualKind.TRANSFER:
            return manual.transfer_by_hand(
                company=company,
                date=data["date"],
                lines=[_transfer_line(company, form) for form in filled],
                actor=acting_user(request),
                memo=data["memo"],
            )
        post = (
            manual.receive_by_hand
            if kind == ManualKind.RECEIPT
            else manual.issue_by_hand
        )
        return post(
            company=company,
            date=data["date"],
            lines=[_move_line(company, kind, form) for form in filled],
            counter=_counter(company, header),
            actor=acting_user(request),
            memo=data["memo"],
        )
    except _LineError:
        return None
    except DomainError as error:
        _place(error, header, filled)
        return None


def _place(error: DomainError, header: ManualHeaderForm, lines: list[Any]) -> None:
    """``lines.2.quantity`` goes to the third filled line's quantity; the
    rest to the header (or above the grid)."""
    placed = False
    for key, messages in error.fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(lines):
                form = lines[index]
                name = form.service_fields.get(parts[2], parts[2])
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
                placed = True
    if not placed:
        show_domain_error(header, error)


def _code(text: str) -> str:
    """The code at the head of what a picker filled in ("1405 库存商品")."""
    return text.strip().split(" ", 1)[0] if text.strip() else ""


def _counter(company: Company, header: ManualHeaderForm) -> services.Counterpart:
    code = _code(header.cleaned_data["counter_account"])
    account: Account | None = (
        ledger_selectors.find_account(company, code) if code else None
    )
    if account is None:
        header.add_error(
            "counter_account",
            _("There is no account %(code)s.") % {"code": code}
            if code
            else _("Name the account of the other side."),
        )
        raise _LineError
    return services.Counterpart(account)


def _line_warehouse(company: Company, form: ManualLineForm, name: str) -> Warehouse:
    warehouse_id = form.cleaned_data[name]
    if warehouse_id is None:
        form.add_error(name, _("Choose a warehouse."))
        raise _LineError
    return selectors.get_warehouse(company, warehouse_id)


def _line_product(company: Company, form: ManualLineForm) -> Any:
    code = _code(form.cleaned_data["product"])
    product = selectors.find_product(company, code)
    if product is None:
        form.add_error("product", _("There is no product %(code)s.") % {"code": code})
        raise _LineError
    return product


def _line_location(
    company: Company, form: ManualLineForm, warehouse: Warehouse, name: str
) -> Any:
    code = form.cleaned_data[name].strip()
    if not code:
        return None
    location = selectors.find_location(company, warehouse, code)
    if location is None:
        form.add_error(
            name,
            _("There is no location %(code)s in %(warehouse)s.")
            % {"code": code, "warehouse": warehouse.code},
        )
        raise _LineError
    return location


def _quantity(form: ManualLineForm) -> Decimal:
    quantity = form.cleaned_data["quantity"]
    if quantity is None:
        form.add_error("quantity", _("Enter a quantity."))
        raise _LineError
    return Decimal(quantity)


def _move_line(
    company: Company, kind: ManualKind, form: ManualLineForm
) -> services.MoveLine:
    warehouse = _line_warehouse(company, form, "warehouse")
    unit_cost = form.cleaned_data["unit_cost"]
    return services.MoveLine(
        product=_line_product(company, form),
        warehouse=warehouse,
        quantity=_quantity(form),
        location=_line_location(company, form, warehouse, "location"),
        lot=form.cleaned_data["lot"],
        expiry_date=form.cleaned_data["expiry_date"],
        unit_cost=unit_cost if kind == ManualKind.RECEIPT else None,
    )


def _transfer_line(company: Company, form: ManualLineForm) -> services.TransferLine:
    source = _line_warehouse(company, form, "warehouse")
    target = _line_warehouse(company, form, "to_warehouse")
    return services.TransferLine(
        product=_line_product(company, form),
        quantity=_quantity(form),
        from_warehouse=source,
        to_warehouse=target,
        from_location=_line_location(company, form, source, "location"),
        to_location=_line_location(company, form, target, "to_location"),
        lot=form.cleaned_data["lot"],
    )


# --- the documents and moves behind the figures ------------------------------


@dataclass(frozen=True, slots=True)
class MoveRow:
    move: Any
    ledger_url: str


def _move_rows(moves: list[Any]) -> list[MoveRow]:
    return [
        MoveRow(
            move,
            stock_ledger_url(
                move.product.code, *month_range(move.date), move.warehouse_id
            ),
        )
        for move in moves
    ]


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def manual_document(
    request: CompanyPageRequest, manual_document_id: int
) -> HttpResponse:
    moves = selectors.moves_of_source(
        request.company, manual.MANUAL_KIND, manual_document_id
    )
    if not moves:
        raise Http404
    kind = manual.kind_of(moves)
    return render(
        request,
        "web/inventory/manual_document.html",
        {
            "number": manual.number_of(moves),
            "title": KIND_TITLES[kind] if kind else _("Manual stock document"),
            "date": moves[0].date,
            "rows": _move_rows(moves),
            "voucher": moves[0].voucher,
            "total": sum((m.value for m in moves if m.value > 0), Decimal("0.00")),
        },
    )


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def move_detail(request: CompanyPageRequest, move_id: int) -> HttpResponse:
    company = request.company
    move = selectors.get_move(company, move_id)
    return render(
        request,
        "web/inventory/move.html",
        {
            "move": move,
            "source": source_link(move.source_kind, move.source_id),
            "adjustments": selectors.move_adjustments(company, move),
            "ledger_url": stock_ledger_url(
                move.product.code, *month_range(move.date), move.warehouse_id
            ),
        },
    )


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def cost_adjustment_detail(
    request: CompanyPageRequest, cost_adjustment_id: int
) -> HttpResponse:
    company = request.company
    adjustment = selectors.get_cost_adjustment(company, cost_adjustment_id)
    lines = selectors.cost_adjustment_lines(company, adjustment)
    return render(
        request,
        "web/inventory/cost_adjustment.html",
        {
            "adjustment": adjustment,
            "lines": lines,
            "total": sum(
                (ln.new_value - ln.old_value for ln in lines), Decimal("0.00")
            ),
        },
    )
