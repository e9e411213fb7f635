"""The category tree: adding, editing (moving, costing override), deleting."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.catalog import selectors, services
from zhongshu.catalog.models import Category
from zhongshu.core.errors import DomainError
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.catalog.common import (
    MANAGE,
    VIEW,
    category_choices,
    done,
    failed,
    may_manage,
)
from zhongshu.web.views.catalog.forms import CategoryForm


def _parent(request: CompanyPageRequest, form: CategoryForm) -> Category | None:
    parent_id = form.cleaned_data["parent"]
    return selectors.get_category(request.company, parent_id) if parent_id else None


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def category_list(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    tree = selectors.category_tree(company)
    form = CategoryForm(posted(request), parents=category_choices(tree))
    if request.method == "POST":
        require(request, MANAGE)
        if form.is_valid():
            try:
                category = services.create_category(
                    company=company,
                    actor=acting_user(request),
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    parent=_parent(request, form),
                    costing_method=form.cleaned_data["costing_method"],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(
                    request, _("Category %(code)s is added.") % {"code": category.code}
                )
                return redirect("catalog_categories")
    return render(
        request,
        "web/catalog/categories.html",
        {
            "tree": tree,
            "form": form,
            "can_manage": may_manage(request),
            "company_method": selectors.company_costing_method(company),
        },
    )


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def category_edit(request: CompanyPageRequest, category_id: int) -> HttpResponse:
    company = request.company
    category = selectors.get_category(company, category_id)
    parents = [
        choice
        for choice in category_choices(selectors.category_tree(company))
        if choice[0] not in selectors.descendant_ids(company, category)
    ]
    form = CategoryForm(
        posted(request),
        parents=parents,
        initial={
            "code": category.code,
            "name": category.name,
            "parent": category.parent_id,
            "costing_method": category.costing_method,
        },
    )
    if request.method == "POST":
        require(request, MANAGE)
        if form.is_valid():
            try:
                services.update_category(
                    category=category,
                    actor=acting_user(request),
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    parent=_parent(request, form),
                    costing_method=form.cleaned_data["costing_method"],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(
                    request, _("Category %(code)s is saved.") % {"code": category.code}
                )
                return redirect("catalog_categories")
    can_edit = may_manage(request)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "web/catalog/category_edit.html",
        {"category": category, "form": form, "can_edit": can_edit},
    )


@company_page(permission=MANAGE)
@require_POST
def category_delete(request: CompanyPageRequest, category_id: int) -> HttpResponse:
    category = selectors.get_category(request.company, category_id)
    try:
        services.delete_category(category=category, actor=acting_user(request))
    except DomainError as error:
        failed(request, error.message)
        return redirect("catalog_category", category_id=category.pk)
    done(request, _("Category %(code)s is deleted.") % {"code": category.code})
    return redirect("catalog_categories")
