"""Warehouses and stores, and their bins (货位) with zone, aisle, rack,
level and floor position."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.inventory import selectors, services
from zhongshu.inventory.models import Location, Warehouse
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.inventory.common import MANAGE, VIEW, done, may
from zhongshu.web.views.inventory.forms import LocationForm, WarehouseForm


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def warehouse_list(request: CompanyPageRequest) -> HttpResponse:
    show = request.GET.get("show", "active")
    active = None if show == "all" else show != "inactive"
    return render(
        request,
        "web/inventory/warehouses.html",
        {
            "warehouses": list(
                selectors.list_warehouses(request.company, active=active)
            ),
            "show": show,
            "can_manage": may(request, MANAGE),
        },
    )


@company_page(permission=MANAGE)
@require_http_methods(["GET", "POST"])
def warehouse_new(request: CompanyPageRequest) -> HttpResponse:
    form = WarehouseForm(posted(request))
    if form.is_valid():
        try:
            warehouse = services.create_warehouse(
                company=request.company,
                actor=acting_user(request),
                data=form.warehouse_data(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            done(request, _("Warehouse %(code)s created.") % {"code": warehouse.code})
            return redirect("inventory_warehouse", warehouse.pk)
    return render(
        request, "web/inventory/warehouse_form.html", {"form": form, "warehouse": None}
    )


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def warehouse_edit(request: CompanyPageRequest, warehouse_id: int) -> HttpResponse:
    """The warehouse's details and its bins, with a form to add one."""
    company = request.company
    warehouse = selectors.get_warehouse(company, warehouse_id)
    form = WarehouseForm.of(warehouse, posted(request))
    if request.method == "POST":
        require(request, MANAGE)
        if form.is_valid():
            try:
                services.update_warehouse(
                    warehouse=warehouse,
                    actor=acting_user(request),
                    data=form.warehouse_data(),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(request, _("Warehouse saved."))
                return redirect("inventory_warehouse", warehouse.pk)
    return _warehouse_page(request, company, warehouse, form, LocationForm())


def _warehouse_page(
    request: CompanyPageRequest,
    company: Company,
    warehouse: Warehouse,
    form: WarehouseForm,
    location_form: LocationForm,
) -> HttpResponse:
    return render(
        request,
        "web/inventory/warehouse_form.html",
        {
            "form": form,
            "warehouse": warehouse,
            "locations": list(selectors.list_locations(company, warehouse)),
            "location_form": location_form,
            "can_manage": may(request, MANAGE),
        },
    )


@company_page(permission=MANAGE)
@require_POST
def warehouse_set_active(
    request: CompanyPageRequest, warehouse_id: int
) -> HttpResponse:
    warehouse = selectors.get_warehouse(request.company, warehouse_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_warehouse_active(
            warehouse=warehouse, actor=acting_user(request), active=active
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        done(
            request,
            _("Warehouse activated.") if active else _("Warehouse deactivated."),
        )
    return redirect("inventory_warehouse", warehouse.pk)


@company_page(permission=MANAGE)
@require_POST
def location_add(request: CompanyPageRequest, warehouse_id: int) -> HttpResponse:
    company = request.company
    warehouse = selectors.get_warehouse(company, warehouse_id)
    location_form = LocationForm(request.POST)
    if location_form.is_valid():
        try:
            location = services.add_location(
                warehouse=warehouse,
                actor=acting_user(request),
                data=location_form.location_data(),
            )
        except DomainError as error:
            show_domain_error(location_form, error)
        else:
            done(request, _("Location %(code)s added.") % {"code": location.code})
            return redirect("inventory_warehouse", warehouse.pk)
    form = WarehouseForm.of(warehouse)
    return _warehouse_page(request, company, warehouse, form, location_form)


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def location_edit(request: CompanyPageRequest, location_id: int) -> HttpResponse:
    location: Location = selectors.get_location(request.company, location_id)
    form = LocationForm.of(location, posted(request))
    if request.method == "POST":
        require(request, MANAGE)
        if form.is_valid():
            try:
                services.update_location(
                    location=location,
                    actor=acting_user(request),
                    data=form.location_data(),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(request, _("Location saved."))
                return redirect("inventory_warehouse", location.warehouse_id)
    return render(
        request,
        "web/inventory/location_form.html",
        {"form": form, "location": location, "can_manage": may(request, MANAGE)},
    )
