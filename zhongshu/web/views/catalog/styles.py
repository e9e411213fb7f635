"""Styles (款式) and their variant matrix: attributes and values, a style's
settings, and generating the colour × size SKUs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.catalog import selectors, services
from zhongshu.catalog.models import Attribute, AttributeValue, Style
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.inventory import permissions as inventory_permissions
from zhongshu.inventory import selectors as inventory
from zhongshu.web.decorators import can, company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.catalog.common import (
    MANAGE,
    VIEW,
    category_choices,
    done,
    failed,
    may_manage,
    unit_choices,
)
from zhongshu.web.views.catalog.forms import (
    AttributeForm,
    AttributeValueForm,
    StyleForm,
)


def _style_form(
    request: CompanyPageRequest, attributes: list[Attribute], **kwargs: Any
) -> StyleForm:
    company = request.company
    return StyleForm(
        kwargs.pop("data", None),
        attributes=[(a.code, f"{a.name} ({a.code})") for a in attributes],
        units=unit_choices(company),
        categories=category_choices(selectors.category_tree(company)),
        **kwargs,
    )


def _style_data(company: Company, form: StyleForm) -> services.StyleData:
    data = form.cleaned_data
    return services.StyleData(
        code=data["code"],
        name=data["name"],
        axes=tuple(data["axes"]),
        base_unit=selectors.get_unit(company, data["base_unit"]),
        category=(
            selectors.get_category(company, data["category"])
            if data["category"]
            else None
        ),
        brand=data["brand"],
        tax_code=data["tax_code"],
        vat_rate=data["vat_rate"],
    )


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def style_list(request: CompanyPageRequest) -> HttpResponse:
    """The styles, the attributes with their values, and forms for new ones."""
    company = request.company
    attributes = list(selectors.list_attributes(company))
    action = request.POST.get("action") if request.method == "POST" else None
    style_form = _style_form(
        request, attributes, data=request.POST if action == "style" else None
    )
    attribute_form = AttributeForm(
        request.POST if action == "attribute" else None, prefix="attribute"
    )
    if request.method == "POST":
        require(request, MANAGE)
        response = _create(request, action, style_form, attribute_form)
        if response is not None:
            return response
    return render(
        request,
        "web/catalog/styles.html",
        {
            "styles": selectors.list_styles(company),
            "attributes": attributes,
            "style_form": style_form,
            "attribute_form": attribute_form,
            "value_form": AttributeValueForm(None, prefix="value"),
            "can_manage": may_manage(request),
        },
    )


def _create(
    request: CompanyPageRequest,
    action: str | None,
    style_form: StyleForm,
    attribute_form: AttributeForm,
) -> HttpResponse | None:
    company, actor = request.company, acting_user(request)
    if action == "style" and style_form.is_valid():
        try:
            style = services.create_style(
                company=company, actor=actor, data=_style_data(company, style_form)
            )
        except DomainError as error:
            show_domain_error(style_form, error)
            return None
        done(request, _("Style %(code)s is added.") % {"code": style.code})
        return redirect("catalog_style", style_id=style.pk)
    if action == "attribute" and attribute_form.is_valid():
        try:
            attribute = services.create_attribute(
                company=company,
                actor=actor,
                code=attribute_form.cleaned_data["code"],
                name=attribute_form.cleaned_data["name"],
                values=attribute_form.value_pairs(),
            )
        except DomainError as error:
            show_domain_error(attribute_form, error)
            return None
        done(request, _("Attribute %(name)s is added.") % {"name": attribute.name})
        return redirect("catalog_styles")
    return None


@company_page(permission=MANAGE)
@require_POST
def attribute_value_add(request: CompanyPageRequest, attribute_id: int) -> HttpResponse:
    attribute = selectors.get_attribute(request.company, attribute_id)
    form = AttributeValueForm(request.POST, prefix="value")
    if not form.is_valid():
        failed(request, _("Give the value a code and a name."))
        return redirect("catalog_styles")
    try:
        services.add_attribute_value(
            attribute=attribute,
            actor=acting_user(request),
            code=form.cleaned_data["code"],
            name=form.cleaned_data["name"],
        )
    except DomainError as error:
        failed(request, error.message)
    else:
        done(
            request,
            _("%(attribute)s has the new value %(value)s.")
            % {"attribute": attribute.name, "value": form.cleaned_data["name"]},
        )
    return redirect("catalog_styles")


# --- one style ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AxisChoice:
    """One axis of the generate form: its values, ticked when in use."""

    attribute: Attribute
    values: list[tuple[AttributeValue, bool]]


def _axis_choices(style: Style, attributes: list[Attribute]) -> list[AxisChoice]:
    used = {
        (axis, str(code))
        for variant in selectors.style_variants(style).values_list("variant", flat=True)
        for axis, code in dict(variant).items()
    }
    by_code = {a.code: a for a in attributes}
    return [
        AxisChoice(
            attribute=by_code[axis],
            values=[(v, (axis, v.code) in used) for v in by_code[axis].values.all()],
        )
        for axis in style.axes
        if axis in by_code
    ]


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def style_detail(request: CompanyPageRequest, style_id: int) -> HttpResponse:
    """The style's variant matrix, the generate form and the style's settings."""
    company = request.company
    style = selectors.get_style(company, style_id)
    attributes = list(selectors.list_attributes(company))
    form = _style_form(
        request,
        attributes,
        data=posted(request),
        initial={
            "code": style.code,
            "name": style.name,
            "axes": style.axes,
            "base_unit": style.base_unit_id,
            "category": style.category_id,
            "brand": style.brand,
            "tax_code": style.tax_code,
            "vat_rate": style.vat_rate,
        },
    )
    if request.method == "POST":
        require(request, MANAGE)
        if form.is_valid():
            try:
                services.update_style(
                    style=style,
                    actor=acting_user(request),
                    data=_style_data(company, form),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(request, _("Style %(code)s is saved.") % {"code": style.code})
                return redirect("catalog_style", style_id=style.pk)
    if not may_manage(request):
        for field in form.fields.values():
            field.disabled = True
    matrix = selectors.variant_matrix(company, style)
    return render(
        request,
        "web/catalog/style.html",
        {
            "style": style,
            "form": form,
            "matrix": matrix,
            **_stock_pivot(request, style, matrix),
            "variant_count": sum(
                len(cell.products) for row in matrix.rows for cell in row.cells
            ),
            "axes": _axis_choices(style, attributes),
            "can_manage": may_manage(request),
        },
    )


VIEW_STOCK = inventory_permissions.VIEW_INVENTORY.code


def _stock_pivot(
    request: CompanyPageRequest, style: Style, matrix: selectors.VariantMatrix
) -> dict[str, Any]:
    """On hand by colour × size, in one warehouse or all, for those who may
    see stock."""
    if not can(request, VIEW_STOCK):
        return {}
    company = request.company
    warehouses = list(inventory.list_warehouses(company))
    chosen = next(
        (w for w in warehouses if str(w.pk) == request.GET.get("warehouse")), None
    )
    variants = [p for row in matrix.rows for cell in row.cells for p in cell.products]
    stock = inventory.on_hand_by_product(company, variants, chosen)
    return {
        "stock_matrix": selectors.variant_matrix(company, style, values=stock),
        "stock_warehouses": warehouses,
        "stock_warehouse": chosen,
    }


@company_page(permission=MANAGE)
@require_POST
def style_generate(request: CompanyPageRequest, style_id: int) -> HttpResponse:
    style = selectors.get_style(request.company, style_id)
    values = {axis: request.POST.getlist(f"axis-{axis}") for axis in style.axes}
    try:
        created = services.generate_variants(
            style=style, actor=acting_user(request), values=values
        )
    except DomainError as error:
        failed(request, error.message)
    else:
        done(
            request,
            ngettext(
                "%(count)d variant is added.",
                "%(count)d variants are added.",
                len(created),
            )
            % {"count": len(created)}
            if created
            else _("Every combination exists already."),
        )
    return redirect("catalog_style", style_id=style.pk)
