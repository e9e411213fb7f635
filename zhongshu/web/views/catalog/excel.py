"""Products to and from Excel: the template, the export, and the import page
that lists every problem of a rejected sheet with its row and column."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from zhongshu.catalog import excel, selectors, services
from zhongshu.core.downloads import attachment
from zhongshu.core.errors import DomainError
from zhongshu.web.decorators import company_page
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user
from zhongshu.web.views.catalog.common import MANAGE, VIEW, done
from zhongshu.web.views.catalog.forms import ImportForm


@company_page(permission=VIEW)
@require_safe
def template_download(request: CompanyPageRequest) -> HttpResponse:
    return attachment(
        excel.template_xlsx(), "products-template.xlsx", excel.XLSX_CONTENT_TYPE
    )


@company_page(permission=VIEW)
@require_safe
def export_download(request: CompanyPageRequest) -> HttpResponse:
    """Every product; reads stay open to read-only trial companies."""
    products = selectors.list_products(request.company).iterator(chunk_size=500)
    return attachment(
        excel.products_xlsx(products),
        f"products-{request.company.code}.xlsx",
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
            rows = excel.read_product_rows(upload)
            created = services.import_products(
                company=request.company, actor=acting_user(request), rows=rows
            )
        except services.ImportRejectedError as error:
            problems, rejected = error.problems, error.message
        except DomainError as error:
            show_domain_error(form, error)
        else:
            done(
                request,
                ngettext(
                    "%(count)d product is imported.",
                    "%(count)d products are imported.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("catalog_products")
    return render(
        request,
        "web/catalog/import.html",
        {"form": form, "problems": problems, "rejected": rejected},
    )
