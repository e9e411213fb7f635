"""Supplier invoices (采购发票): entering one against the supplier's open
order lines — posted at once when it matches the orders and what came in,
otherwise kept among the exceptions — and the invoice page with each
line's reason and the buyer's way out: match again, accept the prices with
a note, or cancel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.core import clock
from zhongshu.core.errors import DomainError, ValidationError
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import services
from zhongshu.purchasing.models import InvoiceState, SupplierInvoice
from zhongshu.purchasing.selectors import documents, links
from zhongshu.purchasing.services import common as kinds
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.purchasing.common import (
    INVOICE,
    VIEW,
    find_supplier,
    offered_suppliers,
    supplier_label,
)
from zhongshu.web.views.purchasing.forms import (
    InvoiceForm,
    InvoiceLineFormSet,
    NoteForm,
)
from zhongshu.web.views.sales.common import (
    done,
    failed,
    is_htmx,
    may,
    plain,
    voucher_links,
)
from zhongshu.web.views.sales.lines import place_error


@dataclass(frozen=True, slots=True)
class Row:
    billable: links.BillableLine
    form: Any


def _line_initial(billable: links.BillableLine) -> dict[str, Any]:
    return {
        "line": billable.line.pk,
        "quantity": plain(billable.received_open) if billable.received_open else "",
        "unit_price": plain(billable.unit_price),
    }


@company_page(permission=INVOICE)
@require_http_methods(["GET", "POST"])
def invoice_new(request: CompanyPageRequest) -> HttpResponse:
    """Choose the supplier; its open order lines are offered with what came
    in and is not yet invoiced, at the order price."""
    company = request.company
    source = request.POST if request.method == "POST" else request.GET
    supplier = find_supplier(company, source.get("supplier", ""))
    billable = links.billable_lines(company, supplier.pk) if supplier else []
    form = InvoiceForm(
        posted(request),
        initial={
            "date": clock.today(),
            "supplier": supplier_label(supplier) if supplier else "",
        },
    )
    formset = InvoiceLineFormSet(
        posted(request), prefix="lines", initial=[_line_initial(b) for b in billable]
    )
    if request.method == "POST" and _stale(formset, billable):
        # The supplier was changed without its lines being loaded: offer
        # them, and save nothing yet.
        formset = InvoiceLineFormSet(
            prefix="lines", initial=[_line_initial(b) for b in billable]
        )
        form.add_error(None, _("Enter the invoice's lines of this supplier below."))
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        invoice = _enter(request, form, supplier, billable, formset.forms)
        if invoice is not None:
            _announce(request, invoice)
            return redirect("purchasing_invoice", invoice.pk)
    context = {
        "form": form,
        "formset": formset,
        "supplier": supplier,
        "rows": [Row(b, f) for b, f in zip(billable, formset.forms, strict=False)],
        "suppliers": offered_suppliers(company),
    }
    if is_htmx(request) and request.method == "GET":
        return render(request, "web/purchasing/invoice_form.html#lines", context)
    return render(
        request,
        "web/purchasing/invoice_form.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


def _stale(formset: Any, billable: list[links.BillableLine]) -> bool:
    """Whether the posted rows are not the supplier's open lines."""
    if not formset.is_valid():
        return False
    posted_ids = [f.cleaned_data.get("line") for f in formset.forms]
    return posted_ids != [b.line.pk for b in billable]


def _announce(request: CompanyPageRequest, invoice: SupplierInvoice) -> None:
    if invoice.state == InvoiceState.POSTED:
        done(
            request,
            _("Invoice %(number)s matches and is posted.")
            % {"number": invoice.invoice_number},
        )
    else:
        failed(
            request,
            _("Invoice %(number)s does not match; it waits among the exceptions.")
            % {"number": invoice.invoice_number},
        )


def _lines(
    forms: list[Any], billable: list[links.BillableLine]
) -> tuple[list[Any], list[services.InvoiceLineData]] | None:
    by_id = {b.line.pk: b.line for b in billable}
    filled = [f for f in forms if f.cleaned_data.get("quantity")]
    data = []
    for form in filled:
        line = by_id.get(form.cleaned_data["line"])
        if line is None:
            form.add_error(None, _("The line is not open for this supplier."))
            return None
        price = form.cleaned_data.get("unit_price")
        if price is None:
            form.add_error("unit_price", _("Enter the price on the invoice."))
            return None
        data.append(
            services.InvoiceLineData(
                order_line=line,
                quantity=form.cleaned_data["quantity"],
                unit_price=price,
            )
        )
    return filled, data


def _enter(
    request: CompanyPageRequest,
    form: InvoiceForm,
    supplier: Supplier | None,
    billable: list[links.BillableLine],
    forms: list[Any],
) -> SupplierInvoice | None:
    if supplier is None:
        form.add_error(
            "supplier",
            _("There is no supplier %(code)s.")
            % {"code": form.cleaned_data["supplier"]},
        )
        return None
    read = _lines(forms, billable)
    if read is None:
        return None
    filled, lines = read
    data = form.cleaned_data
    try:
        return services.enter_invoice(
            company=request.company,
            actor=acting_user(request),
            data=services.InvoiceData(
                supplier=supplier,
                invoice_number=data["invoice_number"],
                date=data["date"],
                due_date=data.get("due_date"),
                memo=data["memo"],
                lines=lines,
            ),
        )
    except DomainError as error:
        place_error(error, form, filled)
        return None


# --- the invoice page ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    line: Any
    problem: str


def _rows(invoice: SupplierInvoice) -> list[InvoiceRow]:
    """Each line with the reason it did not match ("" when it did)."""
    reasons = {
        int(p["line"]): str(p["message"])
        for p in invoice.problems
        if isinstance(p, dict) and "line" in p
    }
    return [
        InvoiceRow(line, reasons.get(index, ""))
        for index, line in enumerate(invoice.lines.all())
    ]


def invoice_page(
    request: CompanyPageRequest,
    invoice: SupplierInvoice,
    *,
    accept_form: NoteForm | None = None,
) -> HttpResponse:
    company = request.company
    return render(
        request,
        "web/purchasing/invoice.html",
        {
            "document": invoice,
            "rows": _rows(invoice),
            "vouchers": voucher_links(company, kinds.INVOICE_KIND, invoice.pk),
            "can_resolve": invoice.state == InvoiceState.EXCEPTION
            and may(request, INVOICE),
            "accept_form": accept_form or NoteForm(),
            "cancel_form": NoteForm(),
        },
        status=422 if accept_form is not None else 200,
    )


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def invoice_detail(
    request: CompanyPageRequest, supplier_invoice_id: int
) -> HttpResponse:
    return invoice_page(
        request, documents.get_invoice(request.company, supplier_invoice_id)
    )


def _act(request: CompanyPageRequest, invoice_id: int) -> SupplierInvoice:
    invoice = documents.get_invoice(request.company, invoice_id)
    require(request, INVOICE)
    return invoice


@company_page(permission=VIEW)
@require_POST
def invoice_rematch(
    request: CompanyPageRequest, supplier_invoice_id: int
) -> HttpResponse:
    """Match again, once the goods have come in."""
    invoice = _act(request, supplier_invoice_id)
    try:
        matched = services.rematch_invoice(invoice=invoice, actor=acting_user(request))
    except DomainError as error:
        failed(request, error)
    else:
        _announce(request, matched)
    return redirect("purchasing_invoice", invoice.pk)


@company_page(permission=VIEW)
@require_POST
def invoice_accept(
    request: CompanyPageRequest, supplier_invoice_id: int
) -> HttpResponse:
    """A buyer accepts the invoice's prices; a note says why."""
    invoice = _act(request, supplier_invoice_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.resolve_invoice(invoice=invoice, actor=acting_user(request), note=note)
    except ValidationError as error:
        show_domain_error(form, error)
        return invoice_page(request, invoice, accept_form=form)
    except DomainError as error:
        failed(request, error)
        return redirect("purchasing_invoice", invoice.pk)
    done(
        request,
        _("Invoice %(number)s is accepted at its prices and posted.")
        % {"number": invoice.invoice_number},
    )
    return redirect("purchasing_invoice", invoice.pk)


@company_page(permission=VIEW)
@require_POST
def invoice_cancel(
    request: CompanyPageRequest, supplier_invoice_id: int
) -> HttpResponse:
    invoice = _act(request, supplier_invoice_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.cancel_invoice(invoice=invoice, actor=acting_user(request), note=note)
    except DomainError as error:
        failed(request, error)
    else:
        done(
            request,
            _("Invoice %(number)s is cancelled.") % {"number": invoice.invoice_number},
        )
    return redirect("purchasing_invoice", invoice.pk)
