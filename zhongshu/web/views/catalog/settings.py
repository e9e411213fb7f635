"""Catalog settings: the costing method and the units of measure."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.catalog import selectors, services
from zhongshu.core.errors import DomainError
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user
from zhongshu.web.views.catalog.common import MANAGE, VIEW, done, failed, may_manage
from zhongshu.web.views.catalog.forms import CostingMethodForm, UnitEditForm, UnitForm


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def catalog_settings(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    settings = services.catalog_settings_of(company)
    action = request.POST.get("action") if request.method == "POST" else None
    costing = CostingMethodForm(
        request.POST if action == "costing" else None,
        initial={"costing_method": settings.costing_method},
    )
    unit_form = UnitForm(request.POST if action == "unit" else None, prefix="unit")
    if request.method == "POST":
        require(request, MANAGE)
        try:
            if action == "costing" and costing.is_valid():
                services.set_costing_method(
                    company=company,
                    actor=acting_user(request),
                    costing_method=costing.cleaned_data["costing_method"],
                )
                done(request, _("The costing method is saved."))
                return redirect("catalog_settings")
            if action == "unit" and unit_form.is_valid():
                unit = services.create_unit(
                    company=company,
                    actor=acting_user(request),
                    **unit_form.cleaned_data,
                )
                done(request, _("Unit %(code)s is added.") % {"code": unit.code})
                return redirect("catalog_settings")
        except DomainError as error:
            show_domain_error(costing if action == "costing" else unit_form, error)
    can_edit = may_manage(request)
    if not can_edit:
        for field in costing.fields.values():
            field.disabled = True
    return render(
        request,
        "web/catalog/settings.html",
        {
            "costing": costing,
            "unit_form": unit_form,
            "units": selectors.list_units(company),
            "can_edit": can_edit,
        },
    )


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def unit_edit(request: CompanyPageRequest, unit_id: int) -> HttpResponse:
    unit = selectors.get_unit(request.company, unit_id)
    form = UnitEditForm(
        request.POST if request.method == "POST" else None,
        initial={"name": unit.name, "places": unit.places},
    )
    if request.method == "POST":
        require(request, MANAGE)
        if form.is_valid():
            try:
                services.update_unit(
                    unit=unit, actor=acting_user(request), **form.cleaned_data
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(request, _("Unit %(code)s is saved.") % {"code": unit.code})
                return redirect("catalog_settings")
    can_edit = may_manage(request)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "web/catalog/unit_edit.html",
        {"unit": unit, "form": form, "can_edit": can_edit},
    )


@company_page(permission=MANAGE)
@require_POST
def unit_delete(request: CompanyPageRequest, unit_id: int) -> HttpResponse:
    unit = selectors.get_unit(request.company, unit_id)
    try:
        services.delete_unit(unit=unit, actor=acting_user(request))
    except DomainError as error:
        failed(request, error.message)
        return redirect("catalog_unit", unit_id=unit.pk)
    done(request, _("Unit %(code)s is deleted.") % {"code": unit.code})
    return redirect("catalog_settings")
