"""Suppliers: the list (search and filters, pages), and the supplier page:
its form, its contacts and the products it supplies edited in place
(``supplier_sections.py``); deactivating and reactivating."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from zhongshu.core.errors import DomainError
from zhongshu.partners import selectors, services
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import permissions as purchasing_permissions
from zhongshu.purchasing.selectors import supplier_products
from zhongshu.web.decorators import can, company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.partners.common import (
    MANAGE_SUPPLIERS,
    VIEW,
    done,
    failed,
    is_htmx,
    may_manage_suppliers,
    province_choices,
)
from zhongshu.web.views.partners.customers import Section
from zhongshu.web.views.partners.forms import (
    ContactForm,
    SupplierFilterForm,
    SupplierForm,
    SupplierProductForm,
)

SUPPLIERS_PER_PAGE = 50
_ACTIVE = {"active": True, "inactive": False}
FORM_TEMPLATE = "web/partners/supplier_form.html"
VIEW_PRODUCTS = purchasing_permissions.VIEW_PURCHASING.code
MANAGE_PRODUCTS = purchasing_permissions.MANAGE_PURCHASING.code
_FIELDS = (
    "code", "name", "short_name", "uscc", "tax_address", "tax_phone", "bank_name",
    "bank_account", "payment_terms_days", "province", "city", "memo",
)  # fmt: skip


@company_page(permission=VIEW)
@require_safe
def supplier_list(request: CompanyPageRequest) -> HttpResponse:
    form = SupplierFilterForm(request.GET or None, provinces=province_choices())
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    suppliers = selectors.list_suppliers(
        request.company,
        search=filters.get("q") or "",
        province=filters.get("province") or "",
        active=_ACTIVE.get(filters.get("status") or ""),
    )
    page = Paginator(suppliers, SUPPLIERS_PER_PAGE).get_page(request.GET.get("page"))
    template = "web/partners/suppliers.html"
    return render(
        request,
        f"{template}#results" if is_htmx(request) else template,
        {"form": form, "page": page, "can_manage": may_manage_suppliers(request)},
    )


# --- the supplier page ----------------------------------------------------------------


def contact_section(
    supplier: Supplier,
    *,
    add_form: ContactForm | None = None,
    edit_id: int | None = None,
    edit_form: ContactForm | None = None,
) -> Section:
    return Section(
        add_form=add_form or ContactForm(None, prefix="contact"),
        edit_id=edit_id,
        edit_form=edit_form,
        rows=list(selectors.list_supplier_contacts(supplier)),
    )


def product_section(
    supplier: Supplier,
    *,
    add_form: SupplierProductForm | None = None,
    edit_id: int | None = None,
    edit_form: SupplierProductForm | None = None,
) -> Section:
    rows = supplier_products.list_supplier_products(supplier.company, supplier=supplier)
    return Section(
        add_form=add_form or SupplierProductForm(None, prefix="product"),
        edit_id=edit_id,
        edit_form=edit_form,
        rows=list(rows),
    )


def may_manage_products(request: CompanyPageRequest) -> bool:
    return can(request, MANAGE_PRODUCTS) and not request.company_read_only


def section_context(request: CompanyPageRequest) -> dict[str, Any]:
    """Who may see and change what, on the supplier page and its sections."""
    return {
        "can_edit": may_manage_suppliers(request),
        "can_see_products": can(request, VIEW_PRODUCTS),
        "can_edit_products": may_manage_products(request),
    }


def _initial(supplier: Supplier | None) -> dict[str, Any]:
    if supplier is None:
        return {"payment_terms_days": 0}
    return {name: getattr(supplier, name) for name in _FIELDS}


def render_supplier_page(
    request: CompanyPageRequest,
    supplier: Supplier | None,
    *,
    form: SupplierForm | None = None,
    contacts: Section | None = None,
    products: Section | None = None,
) -> HttpResponse:
    if form is None:
        form = SupplierForm(
            None, provinces=province_choices(), initial=_initial(supplier)
        )
    context = {"supplier": supplier, "form": form, **section_context(request)}
    if not context["can_edit"]:
        for form_field in form.fields.values():
            form_field.disabled = True
    if supplier is not None:
        context["contacts"] = contacts or contact_section(supplier)
        if context["can_see_products"]:
            context["products"] = products or product_section(supplier)
    return render(request, FORM_TEMPLATE, context)


def _supplier_data(form: SupplierForm) -> services.SupplierData:
    data = form.cleaned_data
    return services.SupplierData(
        **{name: data[name] or "" for name in _FIELDS if name != "payment_terms_days"},
        payment_terms_days=data["payment_terms_days"] or 0,
    )


def _save(
    request: CompanyPageRequest, form: SupplierForm, supplier: Supplier | None
) -> Supplier | None:
    try:
        data = _supplier_data(form)
        if supplier is None:
            return services.create_supplier(
                company=request.company, actor=acting_user(request), data=data
            )
        return services.update_supplier(
            supplier=supplier, actor=acting_user(request), data=data
        )
    except DomainError as error:
        show_domain_error(form, error)
        return None


def _supplier_page(
    request: CompanyPageRequest, supplier: Supplier | None
) -> HttpResponse:
    form = SupplierForm(
        posted(request), provinces=province_choices(), initial=_initial(supplier)
    )
    if request.method == "POST":
        require(request, MANAGE_SUPPLIERS)
        saved = _save(request, form, supplier) if form.is_valid() else None
        if saved is not None:
            done(request, _("Supplier %(code)s is saved.") % {"code": saved.code})
            return redirect("partners_supplier", supplier_id=saved.pk)
    return render_supplier_page(request, supplier, form=form)


@company_page(permission=MANAGE_SUPPLIERS)
@require_http_methods(["GET", "POST"])
def supplier_new(request: CompanyPageRequest) -> HttpResponse:
    return _supplier_page(request, None)


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def supplier_edit(request: CompanyPageRequest, supplier_id: int) -> HttpResponse:
    return _supplier_page(request, selectors.get_supplier(request.company, supplier_id))


@company_page(permission=MANAGE_SUPPLIERS)
@require_POST
def supplier_set_active(request: CompanyPageRequest, supplier_id: int) -> HttpResponse:
    supplier = selectors.get_supplier(request.company, supplier_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_supplier_active(
            supplier=supplier, actor=acting_user(request), active=active
        )
    except DomainError as error:
        failed(request, error.message)
    else:
        message = (
            _("Supplier %(code)s is active again.")
            if active
            else _("Supplier %(code)s is deactivated.")
        )
        done(request, message % {"code": supplier.code})
    return redirect("partners_supplier", supplier_id=supplier.pk)
