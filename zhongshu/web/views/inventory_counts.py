"""Stock counts (盘点) and stock alerts: the list of counts, a new count, the
count sheet with its scanner, counted quantities, review and posting; and
the alerts page.

The scanner is a text field a USB scanner types into, followed by Enter: the
form posts with htmx and the answer swaps in the counted line (out of band)
and a message, leaving the field empty and focused for the next scan.
Without JavaScript the same form posts and comes back to the sheet.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.catalog import selectors as catalog
from zhongshu.core import clock
from zhongshu.core.errors import DomainError, NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.inventory import alerts, counts, permissions, selectors
from zhongshu.inventory.models import CountState, Location, StockCount
from zhongshu.web.decorators import can, company_page
from zhongshu.web.forms import WebForm, show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted

VIEW = permissions.VIEW_INVENTORY.code
COUNT = counts.COUNT_STOCK.code
POST = counts.POST_COUNTS.code


def _may(request: CompanyPageRequest, permission: str) -> bool:
    """Whether to offer a write: permitted and the company is writable."""
    return can(request, permission) and not request.company_read_only


def quantity_text(value: Decimal | None) -> str:
    """``10.0000`` → ``10``, ``2.5000`` → ``2.5``; nothing → empty."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def signed_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"+{quantity_text(value)}" if value > 0 else quantity_text(value)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- the list ----------


STATE_LABELS = {
    CountState.DRAFT: gettext_lazy("Planned"),
    CountState.COUNTING: gettext_lazy("Counting"),
    CountState.POSTED: gettext_lazy("Posted"),
    CountState.CANCELLED: gettext_lazy("Cancelled"),
}


@dataclass(frozen=True, slots=True)
class StateTab:
    value: str
    label: str
    is_active: bool


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def count_list(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    state = request.GET.get("state", "")
    if state not in CountState.values:
        state = ""
    tabs = [StateTab("", _("All"), state == "")] + [
        StateTab(value, str(label), state == value)
        for value, label in STATE_LABELS.items()
    ]
    rows = [
        (count, counts.scope_label(count))
        for count in counts.list_counts(company, state=state)[:200]
    ]
    return render(
        request,
        "web/inventory_counts/list.html",
        {
            "rows": rows,
            "tabs": tabs,
            "state_labels": {k: str(v) for k, v in STATE_LABELS.items()},
            "can_count": _may(request, COUNT),
        },
    )


# --- a new count ----------


class NewCountForm(WebForm):
    warehouse = forms.TypedChoiceField(label=gettext_lazy("Warehouse"), coerce=int)
    date = forms.DateField(
        label=gettext_lazy("Count date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    zone = forms.CharField(
        label=gettext_lazy("Zone"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Empty: every location of the warehouse."),
        widget=forms.TextInput(attrs={"list": "count-zones", "autocomplete": "off"}),
    )
    category = forms.TypedChoiceField(
        label=gettext_lazy("Product category"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("With its sub-categories. Empty: every product."),
    )
    memo = forms.CharField(label=gettext_lazy("Memo"), required=False, max_length=200)
    start = forms.BooleanField(
        label=gettext_lazy("Freeze the book and start counting now"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].choices = [  # type: ignore[attr-defined]
            (w.pk, str(w)) for w in selectors.list_warehouses(company, active=True)
        ]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((node.category.pk, node.path) for node in catalog.category_tree(company)),
        ]


@company_page(permission=COUNT)
@require_http_methods(["GET", "POST"])
def count_new(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    form = NewCountForm(
        posted(request),
        company=company,
        initial={"date": clock.today(), "start": True},
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            category = (
                catalog.get_category(company, data["category"])
                if data["category"] is not None
                else None
            )
            count = counts.create_count(
                company=company,
                actor=acting_user(request),
                warehouse=selectors.get_warehouse(company, data["warehouse"]),
                date=data["date"],
                zone=data["zone"],
                category=category,
                memo=data["memo"],
                start=data["start"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Count %(count)s started: the book is frozen.") % {"count": count}
                if count.state == CountState.COUNTING
                else _("Count %(count)s is planned.") % {"count": count},
            )
            return redirect("inventory_count", count_id=count.pk)
    return render(
        request,
        "web/inventory_counts/new.html",
        {"form": form, "zones": counts.zones_of(company)},
    )


# --- the count sheet ----------


@dataclass(frozen=True, slots=True)
class SheetRow:
    """A line as the sheet shows it: quantities as text, values as Decimals."""

    id: int
    location: str
    product_code: str
    product_name: str
    unit: str
    lot: str
    book: str
    counted: str
    variance: str
    variance_sign: int
    unit_cost: Decimal
    value: Decimal | None
    moved_since: str
    on_hand_after: str
    is_added: bool


def _sheet_row(row: counts.CountRow) -> SheetRow:
    line = row.line
    variance = row.variance
    return SheetRow(
        id=line.pk,
        location=line.location.code,
        product_code=line.product.code,
        product_name=line.product.name,
        unit=line.product.base_unit.name,
        lot=line.lot.number if line.lot else "",
        book=quantity_text(row.book),
        counted=quantity_text(row.counted),
        variance=signed_text(variance),
        variance_sign=0 if not variance else (1 if variance > 0 else -1),
        unit_cost=row.unit_cost,
        value=row.variance_value,
        moved_since=signed_text(row.moved_since) if row.moved_since else "",
        on_hand_after=quantity_text(row.on_hand_after),
        is_added=line.is_added,
    )


def _count_locations(company: Company, count: StockCount) -> list[Location]:
    rows = selectors.list_locations(company, count.warehouse).filter(is_active=True)
    if count.zone:
        rows = rows.filter(zone=count.zone)
    return list(rows)


def _sheet_context(
    request: CompanyPageRequest, count: StockCount, **extra: Any
) -> dict[str, Any]:
    company = request.company
    sheet = counts.count_sheet(company, count)
    counting = count.state == CountState.COUNTING
    return {
        "count": count,
        "scope": counts.scope_label(count),
        "sheet": sheet,
        "rows": [_sheet_row(row) for row in sheet.rows],
        "state_label": STATE_LABELS[CountState(count.state)],
        "counting": counting,
        "can_count": counting and _may(request, COUNT),
        "can_post": counting and _may(request, POST),
        "can_start": count.state == CountState.DRAFT and _may(request, COUNT),
        "can_cancel": count.state in (CountState.DRAFT, CountState.COUNTING)
        and _may(request, COUNT),
        "locations": _count_locations(company, count) if counting else [],
        **extra,
    }


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def count_detail(request: CompanyPageRequest, count_id: int) -> HttpResponse:
    count = counts.get_count(request.company, count_id)
    location_id = request.GET.get("location", "")
    return render(
        request,
        "web/inventory_counts/detail.html",
        _sheet_context(
            request,
            count,
            chosen_location=int(location_id) if location_id.isdigit() else None,
        ),
    )


def _back(count: StockCount, location_id: str = "") -> HttpResponse:
    response = redirect("inventory_count", count_id=count.pk)
    if location_id.isdigit():
        response["Location"] += f"?location={location_id}"
    return response


def _scan_location(company: Company, value: str) -> Location:
    if not value.isdigit():
        message = _("Choose the location you are counting.")
        raise ValidationError(message, fields={"location": [message]})
    return selectors.get_location(company, int(value))


def _scan(
    request: CompanyPageRequest, count: StockCount
) -> tuple[counts.ScanResult | None, str]:
    """Scan what the form says; the result, or the error's message."""
    company = request.company
    try:
        location = _scan_location(company, request.POST.get("location", ""))
        result = counts.scan_barcode(
            count=count,
            actor=acting_user(request),
            code=request.POST.get("barcode", ""),
            location=location,
            lot_number=request.POST.get("lot", ""),
        )
    except NotFoundError:
        return None, _("That location is not in this warehouse.")
    except DomainError as error:
        return None, error.message
    return result, ""


def _scanned_message(result: counts.ScanResult) -> str:
    line = result.line
    return _(
        "%(product)s %(name)s at %(location)s: +%(added)s, counted %(counted)s."
    ) % {
        "product": line.product.code,
        "name": line.product.name,
        "location": line.location.code,
        "added": quantity_text(result.added),
        "counted": quantity_text(line.counted_quantity),
    }


@company_page(permission=COUNT)
@require_POST
def count_scan(request: CompanyPageRequest, count_id: int) -> HttpResponse:
    """One scan. With htmx: a message plus the counted line and the totals,
    swapped in out of band; without: back to the sheet."""
    count = counts.get_count(request.company, count_id)
    result, error = _scan(request, count)
    if not _is_htmx(request):
        if result is not None:
            messages.success(request, _scanned_message(result))
        else:
            messages.error(request, error)
        return _back(count, request.POST.get("location", ""))
    context = _sheet_context(request, count, error=error)
    if result is not None:
        context["message"] = _scanned_message(result)
        context["scanned"] = next(
            row for row in context["rows"] if row.id == result.line.pk
        )
        context["is_new_line"] = result.is_new_line
    return render(request, "web/inventory_counts/_scan_result.html", context)


@company_page(permission=COUNT)
@require_POST
def count_enter(request: CompanyPageRequest, count_id: int) -> HttpResponse:
    """Save the counted quantities typed into the sheet (``counted-<line>``)."""
    count = counts.get_count(request.company, count_id)
    quantities: dict[int, str | None] = {}
    for name in request.POST:
        prefix, _sep, line_id = name.partition("-")
        if prefix == "counted" and line_id.isdigit():
            quantities[int(line_id)] = request.POST.get(name, "").strip() or None
    try:
        changed = counts.enter_counts(
            count=count, actor=acting_user(request), quantities=quantities
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(lines)s counted quantities saved.") % {"lines": len(changed)},
        )
    return _back(count)


@company_page(permission=COUNT)
@require_POST
def count_add_line(request: CompanyPageRequest, count_id: int) -> HttpResponse:
    """Count a product the sheet does not list (found where the book had
    none), by its code."""
    company = request.company
    count = counts.get_count(company, count_id)
    code = request.POST.get("product", "").strip()
    product = catalog.find_product(company, code) if code else None
    try:
        if product is None:
            message = _("No product has the code %(code)s.") % {"code": code or "—"}
            raise ValidationError(message, fields={"product": [message]})
        line = counts.set_counted(
            count=count,
            actor=acting_user(request),
            product=product,
            location=_scan_location(company, request.POST.get("location", "")),
            lot_number=request.POST.get("lot", ""),
            quantity=request.POST.get("quantity", "").strip(),
        )
    except NotFoundError:
        messages.error(request, _("That location is not in this warehouse."))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(product)s counted at %(location)s: %(counted)s.")
            % {
                "product": product.code,
                "location": line.location.code,
                "counted": quantity_text(line.counted_quantity),
            },
        )
    return _back(count)


def _count_action(
    request: CompanyPageRequest, count_id: int, action: str
) -> HttpResponse:
    company = request.company
    count = counts.get_count(company, count_id)
    actor = acting_user(request)
    try:
        message = _run_action(count, action, actor)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return _back(count)


def _run_action(count: StockCount, action: str, actor: Any) -> str:
    if action == "start":
        count = counts.start_count(count=count, actor=actor)
        return _("Count %(count)s started: the book is frozen.") % {"count": count}
    if action == "zero":
        zeroed = counts.zero_uncounted(count=count, actor=actor)
        return _("%(lines)s uncounted lines set to zero.") % {"lines": zeroed}
    if action == "review":
        counts.review_count(count=count, actor=actor)
        return _("The variances are reviewed; the count can be posted.")
    if action == "post":
        counts.post_count(count=count, actor=actor)
        return _("Count %(count)s is posted.") % {"count": count}
    counts.cancel_count(count=count, actor=actor)
    return _("Count %(count)s is cancelled.") % {"count": count}


@company_page(permission=COUNT)
@require_POST
def count_start(request: CompanyPageRequest, count_id: int) -> HttpResponse:
    return _count_action(request, count_id, "start")


@company_page(permission=COUNT)
@require_POST
def count_zero(request: CompanyPageRequest, count_id: int) -> HttpResponse:
    return _count_action(request, count_id, "zero")


@company_page(permission=POST)
@require_POST
def count_review(request: CompanyPageRequest, count_id: int) -> HttpResponse:
    return _count_action(request, count_id, "review")


@company_page(permission=POST)
@require_POST
def count_post(request: CompanyPageRequest, count_id: int) -> HttpResponse:
    return _count_action(request, count_id, "post")


@company_page(permission=COUNT)
@require_POST
def count_cancel(request: CompanyPageRequest, count_id: int) -> HttpResponse:
    return _count_action(request, count_id, "cancel")


# --- alerts ----------


@dataclass(frozen=True, slots=True)
class AlertRow:
    kind: str
    label: str
    product_code: str
    product_name: str
    warehouse: str
    lot: str
    figure: str
    date: datetime.date | None
    when: str


def _figure(alert: alerts.StockAlert) -> str:
    quantity = quantity_text(alert.quantity)
    threshold = quantity_text(alert.threshold)
    if alert.kind == alerts.AlertKind.BELOW_SAFETY:
        return _("%(available)s available, safety stock %(safety)s") % {
            "available": quantity,
            "safety": threshold,
        }
    if alert.kind == alerts.AlertKind.ABOVE_MAXIMUM:
        return _("%(on_hand)s on hand, maximum %(maximum)s") % {
            "on_hand": quantity,
            "maximum": threshold,
        }
    return _("%(quantity)s on hand") % {"quantity": quantity}


def _when(alert: alerts.StockAlert) -> str:
    days = alert.days
    if days is None:
        return ""
    if alert.kind == alerts.AlertKind.NOT_MOVING:
        return ngettext(
            "no movement for %(days)s day", "no movement for %(days)s days", days
        ) % {"days": days}
    if days < 0:
        return ngettext(
            "expired %(days)s day ago", "expired %(days)s days ago", -days
        ) % {"days": -days}
    if days == 0:
        return _("expires today")
    return ngettext("expires in %(days)s day", "expires in %(days)s days", days) % {
        "days": days
    }


def _alert_row(alert: alerts.StockAlert) -> AlertRow:
    return AlertRow(
        kind=alert.kind,
        label=alert.label,
        product_code=alert.product.code,
        product_name=alert.product.name,
        warehouse=str(alert.warehouse),
        lot=alert.lot.number if alert.lot else "",
        figure=_figure(alert),
        date=alert.expiry_date or alert.last_move_on,
        when=_when(alert),
    )


@dataclass(frozen=True, slots=True)
class AlertTab:
    value: str
    label: str
    count: int
    is_active: bool


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def alert_list(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    kind = request.GET.get("kind", "")
    if kind not in alerts.AlertKind.values:
        kind = ""
    warehouses = list(selectors.list_warehouses(company, active=True))
    wanted = request.GET.get("warehouse", "")
    warehouse = next((w for w in warehouses if str(w.pk) == wanted), None)
    every = alerts.list_alerts(company, warehouse=warehouse)
    totals = alerts.alert_counts(every)
    tabs = [AlertTab("", _("All"), len(every), kind == "")] + [
        AlertTab(value, str(label), totals[value], kind == value)
        for value, label in alerts.AlertKind.choices
    ]
    shown = [_alert_row(a) for a in every if not kind or a.kind == kind]
    return render(
        request,
        "web/inventory_counts/alerts.html",
        {
            "rows": shown,
            "tabs": tabs,
            "kind": kind,
            "warehouses": warehouses,
            "warehouse": warehouse,
            "settings": selectors.inventory_settings(company),
        },
    )
