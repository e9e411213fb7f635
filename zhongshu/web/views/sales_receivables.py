"""Receivables pages: the aging (账龄分析) with its Excel download, open and
overdue items (逾期应收), the customer statement (对账单) with its PDF, the
delivery note PDF (发货单) and the sales settings. Every aging figure drills
down to the items behind it; every item and statement line to its document."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from zhongshu.core import clock, refs
from zhongshu.core.downloads import attachment
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.inventory import selectors as inventory_selectors
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger.models import Account
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.partners.models import Customer
from zhongshu.partners.selectors import customers as partner_selectors
from zhongshu.sales import exports, permissions
from zhongshu.sales.models import RevenueRecognition
from zhongshu.sales.selectors import receivables as reports
from zhongshu.sales.selectors.receivables import Basis
from zhongshu.sales.services import settings_of, take_opening_receivables
from zhongshu.sales.services.settings import update_settings
from zhongshu.web.decorators import can, company_page
from zhongshu.web.forms import WebForm, show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted

VIEW = permissions.VIEW_SALES.code
MANAGE = permissions.MANAGE_SALES.code
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BASIS_CHOICES = [
    (Basis.DATE.value, gettext_lazy("Days since the document date")),
    (Basis.DUE_DATE.value, gettext_lazy("Days past the due date")),
]


# --- forms ------------------------------------------------------------------------


def _customer_choices(company: Company, blank: str | None) -> list[tuple[str, str]]:
    rows = [
        (str(pk), f"{code} {name}")
        for pk, code, name in partner_selectors.list_customers(company)
        .prefetch_related(None)
        .select_related(None)
        .values_list("pk", "code", "name")
    ]
    return [("", blank), *rows] if blank is not None else rows


class AgingForm(WebForm):
    as_of = forms.DateField(label=gettext_lazy("As of"), widget=DATE_INPUT)
    customer = forms.ChoiceField(label=gettext_lazy("Customer"), required=False)
    basis = forms.ChoiceField(label=gettext_lazy("Age by"), choices=BASIS_CHOICES)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["customer"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = _customer_choices(company, "—")


class OpenItemsForm(AgingForm):
    bucket = forms.CharField(required=False, widget=forms.HiddenInput)
    everything = forms.BooleanField(
        label=gettext_lazy("Include items not yet due"), required=False
    )


class StatementForm(WebForm):
    customer = forms.ChoiceField(label=gettext_lazy("Customer"))
    date_from = forms.DateField(label=gettext_lazy("From"), widget=DATE_INPUT)
    date_to = forms.DateField(label=gettext_lazy("To"), widget=DATE_INPUT)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["customer"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = _customer_choices(company, None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", _("The end comes before the start."))
        return data


class SettingsForm(WebForm):
    revenue_recognition = forms.ChoiceField(
        label=gettext_lazy("Recognise revenue"), choices=RevenueRecognition.choices
    )
    default_warehouse = forms.ModelChoiceField(
        label=gettext_lazy("Default warehouse"),
        queryset=Warehouse.objects.none(),
        required=False,
    )
    prices_include_tax = forms.BooleanField(
        label=gettext_lazy("Prices include VAT"), required=False
    )
    aging_buckets = forms.CharField(
        label=gettext_lazy("Aging buckets (days)"),
        max_length=60,
        help_text=gettext_lazy(
            "Upper limits in days, increasing, separated by commas: "
            "30,60,90,180 gives 0–30, 31–60, 61–90, 91–180 and over 180."
        ),
    )
    write_off_tolerance = forms.DecimalField(
        label=gettext_lazy("Small difference tolerance"),
        max_digits=12,
        decimal_places=2,
        help_text=gettext_lazy("The largest difference a cashier may write off."),
    )
    bank_charge_account = forms.ModelChoiceField(
        label=gettext_lazy("Bank charges account"),
        queryset=Account.objects.none(),
        required=False,
        help_text=gettext_lazy("Empty: the finance expenses role (财务费用)."),
    )
    difference_account = forms.ModelChoiceField(
        label=gettext_lazy("Small differences account"),
        queryset=Account.objects.none(),
        required=False,
        help_text=gettext_lazy("Empty: the finance expenses role (财务费用)."),
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        warehouses = inventory_selectors.list_warehouses(company, active=True)
        accounts = ledger_selectors.list_accounts(company, active_only=True).filter(
            is_leaf=True
        )
        self.fields["default_warehouse"].queryset = warehouses  # type: ignore[attr-defined]
        self.fields["bank_charge_account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["difference_account"].queryset = accounts  # type: ignore[attr-defined]
        for name in ("bank_charge_account", "difference_account"):
            self.fields[name].label_from_instance = (  # type: ignore[attr-defined]
                lambda account: f"{account.code} {account.name}"
            )
        self.fields["default_warehouse"].label_from_instance = (  # type: ignore[attr-defined]
            lambda warehouse: f"{warehouse.code} {warehouse.name}"
        )


# --- helpers ----------------------------------------------------------------------


def _customer(company: Company, value: str | None) -> Customer | None:
    return partner_selectors.get_customer(company, int(value)) if value else None


def _source_url(kind: str, source_id: int) -> str | None:
    """The document's page, once sales registers its kinds (``sales.refs``)
    and the page exists."""
    described = refs.describe(kind)
    if described is None:
        return None
    try:
        return described.url(source_id)
    except NoReverseMatch:
        return None


def _query(url_name: str, **params: object) -> str:
    shown = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return f"{reverse(url_name)}?{urlencode(shown)}"


def _year_start(day: datetime.date) -> datetime.date:
    return day.replace(month=1, day=1)


# --- aging ------------------------------------------------------------------------


@company_page(permission=VIEW)
@require_safe
def aging(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    form = AgingForm(
        request.GET if "as_of" in request.GET else None,
        company=company,
        initial={"as_of": clock.today(), "basis": Basis.DATE.value},
    )
    data = form.cleaned_data if form.is_valid() else {}
    as_of = data.get("as_of") or clock.today()
    basis = Basis(data.get("basis") or Basis.DATE)
    customer = _customer(company, data.get("customer"))
    report = reports.aging(
        company, as_of, basis=basis, customer_id=customer.pk if customer else None
    )
    if request.GET.get("format") == "xlsx":
        return attachment(
            exports.aging_xlsx(company, report),
            f"aging-{as_of.isoformat()}.xlsx",
            exports.XLSX_CONTENT_TYPE,
        )
    return render(
        request,
        "web/sales_receivables/aging.html",
        {
            "form": form,
            "report": report,
            "rows": [
                _aging_links(row, report) for row in (*report.rows, report.totals)
            ],
        },
    )


def _aging_links(row: reports.AgingRow, report: reports.Aging) -> dict[str, Any]:
    """Each figure of a row with the page listing what is behind it."""
    common = {
        "as_of": report.as_of.isoformat(),
        "basis": report.basis.value,
        "customer": row.customer_id,
    }
    cells = [
        (
            amount,
            _query("sales_overdue", **common, bucket=bucket.key, everything="on"),
        )
        for amount, bucket in zip(row.buckets, report.buckets, strict=True)
    ]
    statement = (
        _query(
            "sales_statement",
            customer=row.customer_id,
            date_from=_year_start(report.as_of).isoformat(),
            date_to=report.as_of.isoformat(),
        )
        if row.customer_id
        else None
    )
    return {
        "row": row,
        "cells": cells,
        "open_url": _query("sales_overdue", **common, everything="on"),
        "statement_url": statement,
    }


# --- open and overdue items ------------------------------------------------------


@company_page(permission=VIEW)
@require_safe
def overdue(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    form = OpenItemsForm(
        request.GET if "as_of" in request.GET else None,
        company=company,
        initial={"as_of": clock.today(), "basis": Basis.DATE.value},
    )
    data = form.cleaned_data if form.is_valid() else {}
    as_of = data.get("as_of") or clock.today()
    basis = Basis(data.get("basis") or Basis.DATE)
    customer = _customer(company, data.get("customer"))
    buckets = reports.make_buckets(reports.company_buckets(company), basis)
    bucket = reports.find_bucket(buckets, data.get("bucket") or "")
    everything = bool(data.get("everything")) or bucket is not None
    items = reports.open_items(
        company,
        as_of,
        customer_id=customer.pk if customer else None,
        basis=basis,
        bucket=bucket,
        overdue_only=not everything,
    )
    return render(
        request,
        "web/sales_receivables/overdue.html",
        {
            "form": form,
            "as_of": as_of,
            "bucket": bucket,
            "everything": everything,
            "customer": customer,
            "items": [
                (item, _source_url(item.source_kind, item.source_id)) for item in items
            ],
            "total": sum((item.open_amount for item in items), Decimal("0.00")),
        },
    )


# --- the customer statement ------------------------------------------------------


def _statement_of(
    request: CompanyPageRequest,
) -> tuple[StatementForm, reports.CustomerStatement | None]:
    company = request.company
    today = clock.today()
    form = StatementForm(
        request.GET if "customer" in request.GET else None,
        company=company,
        initial={"date_from": today.replace(day=1), "date_to": today},
    )
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    customer = partner_selectors.get_customer(company, int(data["customer"]))
    try:
        report = reports.statement(
            company, customer, data["date_from"], data["date_to"]
        )
    except DomainError as error:
        show_domain_error(form, error)
        return form, None
    return form, report


@company_page(permission=VIEW)
@require_safe
def statement(request: CompanyPageRequest) -> HttpResponse:
    form, report = _statement_of(request)
    lines = (
        [(line, _source_url(line.source_kind, line.source_id)) for line in report.lines]
        if report
        else []
    )
    return render(
        request,
        "web/sales_receivables/statement.html",
        {
            "form": form,
            "report": report,
            "lines": lines,
            "pdf_url": f"{reverse('sales_statement_pdf')}?{request.GET.urlencode()}"
            if report
            else None,
        },
    )


@company_page(permission=VIEW)
@require_safe
def statement_pdf(request: CompanyPageRequest) -> HttpResponse:
    _form, report = _statement_of(request)
    if report is None:
        messages.error(request, _("Choose a customer and a period."))
        return redirect(f"{reverse('sales_statement')}?{request.GET.urlencode()}")
    content = exports.statement_pdf(request.company, report)
    name = f"statement-{report.customer.code}-{report.date_to.isoformat()}.pdf"
    return attachment(content, name, exports.PDF_CONTENT_TYPE)


# --- the delivery note -------------------------------------------------------------


@company_page(permission=VIEW)
@require_safe
def delivery_pdf(request: CompanyPageRequest, delivery_id: int) -> HttpResponse:
    delivery = reports.delivery_note(request.company, delivery_id)
    response = attachment(
        exports.delivery_note_pdf(delivery),
        f"delivery-{delivery.number}.pdf",
        exports.PDF_CONTENT_TYPE,
    )
    # Shown in the browser to print, not saved.
    response["Content-Disposition"] = (
        f'inline; filename="delivery-{delivery.number}.pdf"'
    )
    return response


# --- settings -----------------------------------------------------------------------


@company_page(permission=MANAGE)
@require_http_methods(["GET", "POST"])
def sales_settings(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    current = settings_of(company)
    form = SettingsForm(
        posted(request),
        company=company,
        initial={
            "revenue_recognition": current.revenue_recognition,
            "default_warehouse": current.default_warehouse,
            "prices_include_tax": current.prices_include_tax,
            "aging_buckets": current.aging_buckets,
            "write_off_tolerance": current.write_off_tolerance,
            "bank_charge_account": current.bank_charge_account,
            "difference_account": current.difference_account,
        },
    )
    writable = can(request, MANAGE) and not request.company_read_only
    if request.method == "POST" and writable and form.is_valid():
        try:
            update_settings(
                company=company, actor=acting_user(request), **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Sales settings saved."))
            return redirect("sales_settings")
    return render(
        request,
        "web/sales_receivables/settings.html",
        {"form": form, "writable": writable},
    )


@company_page(permission=MANAGE)
@require_http_methods(["POST"])
def opening_receivables(request: CompanyPageRequest) -> HttpResponse:
    """期初应收: the customers' opening balances become open items."""
    try:
        items = take_opening_receivables(
            company=request.company, actor=acting_user(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(count)d opening receivable items taken in.") % {"count": len(items)},
        )
    return redirect("sales_settings")
