"""Customer categories: the list with an add form, editing, deleting."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.core.errors import DomainError
from zhongshu.partners import selectors, services
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.partners.common import (
    MANAGE,
    VIEW,
    done,
    failed,
    may_manage,
)
from zhongshu.web.views.partners.forms import CustomerCategoryForm


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def category_list(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    form = CustomerCategoryForm(posted(request))
    if request.method == "POST":
        require(request, MANAGE)
        if form.is_valid():
            try:
                category = services.create_customer_category(
                    company=company,
                    actor=acting_user(request),
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(
                    request, _("Category %(code)s is added.") % {"code": category.code}
                )
                return redirect("partners_categories")
    return render(
        request,
        "web/partners/categories.html",
        {
            "categories": selectors.list_customer_categories(company),
            "form": form,
            "can_manage": may_manage(request),
        },
    )


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def category_edit(
    request: CompanyPageRequest, customer_category_id: int
) -> HttpResponse:
    category = selectors.get_customer_category(request.company, customer_category_id)
    form = CustomerCategoryForm(
        posted(request), initial={"code": category.code, "name": category.name}
    )
    if request.method == "POST":
        require(request, MANAGE)
        if form.is_valid():
            try:
                services.update_customer_category(
                    category=category,
                    actor=acting_user(request),
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(
                    request, _("Category %(code)s is saved.") % {"code": category.code}
                )
                return redirect("partners_categories")
    can_edit = may_manage(request)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "web/partners/category_edit.html",
        {"category": category, "form": form, "can_edit": can_edit},
    )


@company_page(permission=MANAGE)
@require_POST
def category_delete(
    request: CompanyPageRequest, customer_category_id: int
) -> HttpResponse:
    category = selectors.get_customer_category(request.company, customer_category_id)
    try:
        services.delete_customer_category(category=category, actor=acting_user(request))
    except DomainError as error:
        failed(request, error.message)
        return redirect("partners_category", customer_category_id=category.pk)
    done(request, _("Category %(code)s is deleted.") % {"code": category.code})
    return redirect("partners_categories")
