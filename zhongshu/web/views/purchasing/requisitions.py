"""Purchase requisitions (请购单): the entry grid (new and edit), the
requisition page, and its actions — submit, approve, reject with a note,
cancel, and turn it into draft purchase orders, one per supplier."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.core import clock
from zhongshu.core.errors import DomainError
from zhongshu.inventory import selectors as inventory_selectors
from zhongshu.purchasing import services
from zhongshu.purchasing.models import Requisition, RequisitionState
from zhongshu.purchasing.selectors import documents, links
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.purchasing.common import (
    APPROVE,
    BUY,
    REQUEST,
    offered_products,
    offered_suppliers,
    require_view_or_request,
    supplier_label,
)
from zhongshu.web.views.purchasing.forms import (
    NoteForm,
    RequisitionForm,
    RequisitionLineFormSet,
)
from zhongshu.web.views.purchasing.lines import read_requisition_lines
from zhongshu.web.views.sales.common import (
    done,
    failed,
    may,
    plain,
    warehouse_choices,
)
from zhongshu.web.views.sales.lines import place_error


def requisition_name(requisition: Requisition) -> str:
    return requisition.number or _("Requisition #%(id)d") % {"id": requisition.pk}


def _initial(requisition: Requisition | None) -> dict[str, Any]:
    if requisition is None:
        return {"date": clock.today()}
    return {
        "date": requisition.date,
        "warehouse": requisition.warehouse_id,
        "needed_by": requisition.needed_by,
        "reason": requisition.reason,
    }


def _lines_initial(requisition: Requisition | None) -> list[dict[str, Any]]:
    if requisition is None:
        return []
    return [
        {
            "product": line.product.code,
            "quantity": plain(line.quantity),
            "supplier": supplier_label(line.supplier) if line.supplier else "",
            "unit_price": plain(line.unit_price),
        }
        for line in requisition.lines.all()
    ]


def _save(
    request: CompanyPageRequest,
    requisition: Requisition | None,
    header: RequisitionForm,
    lines: Any,
) -> Requisition | None:
    company = request.company
    read = read_requisition_lines(company, list(lines.forms))
    if read is None:
        return None
    filled, rows = read
    if not filled:
        header.add_error(None, _("Add at least one line."))
        return None
    data = header.cleaned_data
    actor = acting_user(request)
    try:
        requisition_data = services.RequisitionData(
            date=data["date"],
            warehouse=inventory_selectors.get_warehouse(company, data["warehouse"]),
            needed_by=data.get("needed_by"),
            reason=data["reason"],
            lines=rows,
        )
        if requisition is not None:
            return services.update_requisition(
                requisition=requisition, actor=actor, data=requisition_data
            )
        return services.create_requisition(
            company=company, actor=actor, data=requisition_data
        )
    except DomainError as error:
        place_error(error, header, filled)
        return None


def _entry(
    request: CompanyPageRequest, requisition: Requisition | None
) -> HttpResponse:
    company = request.company
    data = posted(request)
    header = RequisitionForm(
        data, warehouses=warehouse_choices(company), initial=_initial(requisition)
    )
    lines = RequisitionLineFormSet(
        data, prefix="lines", initial=_lines_initial(requisition), warehouses=None
    )
    if request.method == "POST" and header.is_valid() and lines.is_valid():
        saved = _save(request, requisition, header, lines)
        if saved is not None:
            done(
                request,
                _("%(document)s is saved.") % {"document": requisition_name(saved)},
            )
            return redirect("purchasing_requisition", saved.pk)
    return render(
        request,
        "web/purchasing/requisition_form.html",
        {
            "document": requisition,
            "header": header,
            "lines": lines,
            "kind": "requisition",
            "products": offered_products(company),
            "suppliers": offered_suppliers(company),
        },
        status=422 if request.method == "POST" else 200,
    )


@company_page(permission=REQUEST)
@require_http_methods(["GET", "POST"])
def requisition_new(request: CompanyPageRequest) -> HttpResponse:
    return _entry(request, None)


@company_page(permission=REQUEST)
@require_http_methods(["GET", "POST"])
def requisition_edit(request: CompanyPageRequest, requisition_id: int) -> HttpResponse:
    requisition = documents.get_requisition(request.company, requisition_id)
    if requisition.state != RequisitionState.DRAFT:
        failed(request, _("Only a draft requisition can be changed."))
        return redirect("purchasing_requisition", requisition.pk)
    return _entry(request, requisition)


# --- the requisition page -----------------------------------------------------------


def requisition_page(
    request: CompanyPageRequest,
    requisition: Requisition,
    *,
    reject_form: NoteForm | None = None,
) -> HttpResponse:
    company = request.company
    state = requisition.state
    return render(
        request,
        "web/purchasing/requisition.html",
        {
            "document": requisition,
            "lines": list(requisition.lines.all()),
            "orders": list(links.requisition_orders(company, requisition.pk)),
            "can_edit": state == RequisitionState.DRAFT and may(request, REQUEST),
            "can_submit": state == RequisitionState.DRAFT and may(request, REQUEST),
            "can_decide": state == RequisitionState.SUBMITTED and may(request, APPROVE),
            "can_cancel": state
            in (
                RequisitionState.DRAFT,
                RequisitionState.SUBMITTED,
                RequisitionState.APPROVED,
            )
            and may(request, REQUEST),
            "can_order": state == RequisitionState.APPROVED and may(request, BUY),
            "note_form": NoteForm(),
            "reject_form": reject_form or NoteForm(),
        },
        status=422 if reject_form is not None else 200,
    )


@company_page()
@require_http_methods(["GET"])
def requisition_detail(
    request: CompanyPageRequest, requisition_id: int
) -> HttpResponse:
    require_view_or_request(request)
    requisition = documents.get_requisition(request.company, requisition_id)
    return requisition_page(request, requisition)


def _act(
    request: CompanyPageRequest, requisition_id: int, permission: str
) -> Requisition:
    requisition = documents.get_requisition(request.company, requisition_id)
    require(request, permission)
    return requisition


@company_page()
@require_POST
def requisition_submit(
    request: CompanyPageRequest, requisition_id: int
) -> HttpResponse:
    requisition = _act(request, requisition_id, REQUEST)
    try:
        sent = services.submit_requisition(
            requisition=requisition, actor=acting_user(request)
        )
    except DomainError as error:
        failed(request, error)
    else:
        message = (
            _("Requisition %(number)s awaits approval.")
            if sent.state == RequisitionState.SUBMITTED
            else _("Requisition %(number)s is approved.")
        )
        done(request, message % {"number": sent.number})
    return redirect("purchasing_requisition", requisition.pk)


@company_page()
@require_POST
def requisition_approve(
    request: CompanyPageRequest, requisition_id: int
) -> HttpResponse:
    requisition = _act(request, requisition_id, APPROVE)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.approve_requisition(
            requisition=requisition, actor=acting_user(request), note=note
        )
    except DomainError as error:
        failed(request, error)
    else:
        done(
            request,
            _("Requisition %(number)s is approved.")
            % {"number": requisition_name(requisition)},
        )
    return redirect("purchasing_requisition", requisition.pk)


@company_page()
@require_POST
def requisition_reject(
    request: CompanyPageRequest, requisition_id: int
) -> HttpResponse:
    requisition = _act(request, requisition_id, APPROVE)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.reject_requisition(
            requisition=requisition, actor=acting_user(request), note=note
        )
    except DomainError as error:
        if "note" not in error.fields:
            failed(request, error)
            return redirect("purchasing_requisition", requisition.pk)
        show_domain_error(form, error)
        return requisition_page(request, requisition, reject_form=form)
    done(
        request,
        _("Requisition %(number)s is rejected.")
        % {"number": requisition_name(requisition)},
    )
    return redirect("purchasing_requisition", requisition.pk)


@company_page()
@require_POST
def requisition_cancel(
    request: CompanyPageRequest, requisition_id: int
) -> HttpResponse:
    requisition = _act(request, requisition_id, REQUEST)
    try:
        services.cancel_requisition(requisition=requisition, actor=acting_user(request))
    except DomainError as error:
        failed(request, error)
    else:
        done(
            request,
            _("%(document)s is cancelled.")
            % {"document": requisition_name(requisition)},
        )
    return redirect("purchasing_requisition", requisition.pk)


@company_page()
@require_POST
def requisition_order(request: CompanyPageRequest, requisition_id: int) -> HttpResponse:
    """Draft purchase orders from the approved requisition, one per
    supplier, dated today."""
    requisition = _act(request, requisition_id, BUY)
    try:
        orders = services.order_requisition(
            requisition=requisition,
            actor=acting_user(request),
            on_date=clock.today(),
        )
    except DomainError as error:
        failed(request, error)
        return redirect("purchasing_requisition", requisition.pk)
    number = requisition_name(requisition)
    if len(orders) == 1:
        done(
            request,
            _("Draft purchase order #%(id)d is made from requisition %(number)s.")
            % {"id": orders[0].pk, "number": number},
        )
        return redirect("purchasing_order", orders[0].pk)
    done(
        request,
        _("%(count)d draft purchase orders are made from requisition %(number)s.")
        % {"count": len(orders), "number": number},
    )
    return redirect("purchasing_requisition", requisition.pk)
