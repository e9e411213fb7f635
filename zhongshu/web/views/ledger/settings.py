"""The ledger's settings page: voucher words and how generated vouchers post."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhongshu.core.errors import DomainError
from zhongshu.ledger import services
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.forms_ledger import LedgerSettingsForm
from zhongshu.web.http import CompanyPageRequest, acting_user, posted
from zhongshu.web.views.ledger.common import MANAGE_ACCOUNTS, VIEW, done, may


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def ledger_settings(request: CompanyPageRequest) -> HttpResponse:
    settings = services.books_of(request.company)
    form = LedgerSettingsForm(
        posted(request),
        initial={
            "voucher_words": settings.voucher_words,
            "auto_post": settings.auto_post,
        },
    )
    if request.method == "POST":
        require(request, MANAGE_ACCOUNTS)
        if form.is_valid():
            try:
                services.update_ledger_settings(
                    company=request.company,
                    actor=acting_user(request),
                    voucher_words=form.cleaned_data["voucher_words"],
                    auto_post=form.cleaned_data["auto_post"],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                done(request, _("The ledger settings are saved."))
                return redirect("ledger_settings")
    can_edit = may(request, MANAGE_ACCOUNTS)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "web/ledger/settings.html",
        {"form": form, "can_edit": can_edit, "settings": settings},
    )
