"""Customers to and from Excel: the template, the export, and the import
page that lists every problem of a rejected sheet with its row and column."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from zhongshu.core.downloads import attachment
from zhongshu.core.errors import DomainError
from zhongshu.partners import excel, selectors, services
from zhongshu.web.decorators import company_page
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user
from zhongshu.web.views.partners.common import MANAGE, VIEW, done
from zhongshu.web.views.partners.forms import ImportForm


@company_page(permission=VIEW)
@require_safe
def template_download(request: CompanyPageRequest) -> HttpResponse:
    return attachment(
        excel.template_xlsx(), "customers-template.xlsx", excel.XLSX_CONTENT_TYPE
    )


@company_page(permission=VIEW)
@require_safe
def export_download(request: CompanyPageRequest) -> HttpResponse:
    """Every customer; reads stay open to read-only trial companies."""
    customers = selectors.list_customers(request.company).iterator(chunk_size=500)
    return attachment(
        excel.customers_xlsx(customers),
        f"customers-{request.company.code}.xlsx",
        excel.XLSX_CONTENT_TYPE,
    )


@company_page(permission=MANAGE)
@require_http_methods(["GET", "POST"])
def import_page(request: CompanyPageRequest) -> HttpResponse:
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    problems: list[services.ImportProblem] = []
    rejected = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            excel.check_file_size(upload.size)
            result = services.import_customers(
                company=request.company,
                actor=acting_user(request),
                rows=excel.read_customer_rows(upload),
            )
        except services.ImportRejectedError as error:
            problems, rejected = error.problems, error.message
        except DomainError as error:
            show_domain_error(form, error)
        else:
            done(
                request,
                _("Customers imported: %(created)d added, %(updated)d updated.")
                % {"created": len(result.created), "updated": len(result.updated)},
            )
            return redirect("partners_customers")
    return render(
        request,
        "web/partners/import.html",
        {"form": form, "problems": problems, "rejected": rejected},
    )
