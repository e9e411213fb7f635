"""Customers and suppliers to and from Excel: the templates, the exports,
and the import pages that list every problem of a rejected sheet with its
row and column (one page, ``_import_page``, for both)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Protocol

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from zhongshu.core.downloads import attachment
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.core.sheets import SheetRow
from zhongshu.partners import excel, selectors, services
from zhongshu.web.decorators import company_page
from zhongshu.web.forms import show_domain_error
from zhongshu.web.http import CompanyPageRequest, acting_user
from zhongshu.web.views.partners.common import MANAGE, MANAGE_SUPPLIERS, VIEW, done
from zhongshu.web.views.partners.forms import ImportForm


class _Importer(Protocol):
    def __call__(
        self, *, company: Company, actor: User, rows: Sequence[SheetRow]
    ) -> services.ImportResult: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class _ImportKind:
    """What differs between the customer and the supplier import pages."""

    read: Callable[[IO[bytes]], list[SheetRow]]
    run: _Importer
    list_url: str  # URL names
    template_url: str
    eyebrow: str
    list_title: str
    title: str
    intro: str
    imported: str  # "… %(created)d added, %(updated)d updated."


def _import_page(request: CompanyPageRequest, kind: _ImportKind) -> HttpResponse:
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
            result = kind.run(
                company=request.company,
                actor=acting_user(request),
                rows=kind.read(upload),
            )
        except services.ImportRejectedError as error:
            problems, rejected = error.problems, error.message
        except DomainError as error:
            show_domain_error(form, error)
        else:
            counts = {"created": len(result.created), "updated": len(result.updated)}
            done(request, kind.imported % counts)
            return redirect(kind.list_url)
    return render(
        request,
        "web/partners/import.html",
        {
            "form": form,
            "problems": problems,
            "rejected": rejected,
            "kind": kind,
            "list_url": reverse(kind.list_url),
            "template_url": reverse(kind.template_url),
        },
    )


# --- customers ------------------------------------------------------------------------


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
    kind = _ImportKind(
        read=excel.read_customer_rows,
        run=services.import_customers,
        list_url="partners_customers",
        template_url="partners_import_template",
        eyebrow=_("Sales"),
        list_title=_("Customers"),
        title=_("Import customers"),
        intro=_(
            "Fill in the template and upload it. Every row is checked first: if "
            "any row has a problem, nothing is imported and every problem is "
            "listed with its row and column. A row whose code exists updates "
            "that customer; other rows add customers."
        ),
        imported=_("Customers imported: %(created)d added, %(updated)d updated."),
    )
    return _import_page(request, kind)


# --- suppliers ------------------------------------------------------------------------


@company_page(permission=VIEW)
@require_safe
def supplier_template_download(request: CompanyPageRequest) -> HttpResponse:
    return attachment(
        excel.supplier_template_xlsx(),
        "suppliers-template.xlsx",
        excel.XLSX_CONTENT_TYPE,
    )


@company_page(permission=VIEW)
@require_safe
def supplier_export_download(request: CompanyPageRequest) -> HttpResponse:
    """Every supplier; reads stay open to read-only trial companies."""
    suppliers = selectors.list_suppliers(request.company).iterator(chunk_size=500)
    return attachment(
        excel.suppliers_xlsx(suppliers),
        f"suppliers-{request.company.code}.xlsx",
        excel.XLSX_CONTENT_TYPE,
    )


@company_page(permission=MANAGE_SUPPLIERS)
@require_http_methods(["GET", "POST"])
def supplier_import_page(request: CompanyPageRequest) -> HttpResponse:
    kind = _ImportKind(
        read=excel.read_supplier_rows,
        run=services.import_suppliers,
        list_url="partners_suppliers",
        template_url="partners_supplier_import_template",
        eyebrow=_("Purchasing"),
        list_title=_("Suppliers"),
        title=_("Import suppliers"),
        intro=_(
            "Fill in the template and upload it. Every row is checked first: if "
            "any row has a problem, nothing is imported and every problem is "
            "listed with its row and column. A row whose code exists updates "
            "that supplier; other rows add suppliers."
        ),
        imported=_("Suppliers imported: %(created)d added, %(updated)d updated."),
    )
    return _import_page(request, kind)
