"""Payables reports: the aging (应付账龄) as of a day, and the supplier
statement (供应商对账单) with its running balance. Each supplier of the
aging opens its statement; each statement line opens its document."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from zhongshu.core import clock, refs
from zhongshu.core.aging import Basis
from zhongshu.core.errors import DomainError
from zhongshu.purchasing.selectors import payables
from zhongshu.web.decorators import company_page
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest
from zhongshu.web.views.purchasing.common import VIEW, find_supplier, offered_suppliers
from zhongshu.web.views.purchasing.forms import AgingForm, StatementForm

ZERO = Decimal("0.00")


def _source_url(kind: str, source_id: int) -> str:
    described = refs.describe(kind) if kind else None
    if described is None:
        return ""
    try:
        return described.url(source_id)
    except NoReverseMatch:
        return ""


def _statement_url(supplier_code: str, as_of: datetime.date) -> str:
    query = {
        "supplier": supplier_code,
        "date_from": as_of.replace(month=1, day=1).isoformat(),
        "date_to": as_of.isoformat(),
    }
    return f"{reverse('purchasing_statement')}?{urlencode(query)}"


@company_page(permission=VIEW)
@require_safe
def aging(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    form = AgingForm(
        request.GET if "as_of" in request.GET else None,
        initial={"as_of": clock.today(), "basis": Basis.DUE_DATE.value},
    )
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    as_of = data.get("as_of") or clock.today()
    text = (data.get("supplier") or "").strip()
    supplier = find_supplier(company, text) if text else None
    if text and supplier is None:
        form.add_error("supplier", _("There is no supplier %(code)s.") % {"code": text})
    report = payables.aging(
        company,
        as_of,
        basis=Basis(data.get("basis") or Basis.DUE_DATE),
        supplier_id=supplier.pk if supplier else (0 if text else None),
    )
    return render(
        request,
        "web/purchasing/aging.html",
        {
            "form": form,
            "report": report,
            "rows": [
                (row, _statement_url(row.supplier_code, as_of)) for row in report.rows
            ],
            "suppliers": offered_suppliers(company),
        },
    )


def _statement_of(
    request: CompanyPageRequest,
) -> tuple[StatementForm, payables.SupplierStatement | None]:
    company = request.company
    today = clock.today()
    form = StatementForm(
        request.GET if "supplier" in request.GET else None,
        initial={"date_from": today.replace(day=1), "date_to": today},
    )
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    supplier = find_supplier(company, data["supplier"])
    if supplier is None:
        form.add_error(
            "supplier", _("There is no supplier %(code)s.") % {"code": data["supplier"]}
        )
        return form, None
    try:
        report = payables.statement(
            company, supplier, data["date_from"], data["date_to"]
        )
    except DomainError as error:
        show_domain_error(form, error)
        return form, None
    return form, report


@company_page(permission=VIEW)
@require_safe
def statement(request: CompanyPageRequest) -> HttpResponse:
    form, report = _statement_of(request)
    lines = report.lines if report else []
    return render(
        request,
        "web/purchasing/statement.html",
        {
            "form": form,
            "report": report,
            "lines": [
                (line, _source_url(line.source_kind, line.source_id)) for line in lines
            ],
            "increase": sum((line.increase for line in lines), ZERO),
            "decrease": sum((line.decrease for line in lines), ZERO),
            "suppliers": offered_suppliers(request.company),
        },
    )
