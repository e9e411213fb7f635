"""Vouchers (记账凭证): the list, one voucher in the classic layout, entry
and editing in the keyboard grid, and the lifecycle actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from zhongshu.core import clock, refs
from zhongshu.core.errors import DomainError
from zhongshu.ledger import exports, services
from zhongshu.ledger.models import Voucher, VoucherState
from zhongshu.ledger.selectors import templates as template_selectors
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.web.decorators import can, company_page, require
from zhongshu.web.forms_ledger import (
    DIMENSIONS,
    VoucherEntry,
    VoucherFilterForm,
)
from zhongshu.web.http import CompanyPageRequest, acting_user
from zhongshu.web.views.ledger.common import (
    ENTER,
    POST,
    REVIEW,
    UNPOST,
    VIEW,
    AccountName,
    account_names,
    books,
    choices_of,
    done,
    may,
    period_named,
    periods_of,
    report_error,
)

VOUCHERS_PER_PAGE = 50
# A paper voucher has five lines; shorter vouchers keep the form's shape.
PAPER_LINES = 5


# --- the list -----------------------------------------------------------------


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def voucher_list(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    if request.method == "POST":
        return _bulk_action(request)
    periods = periods_of(company)
    form = VoucherFilterForm(
        request.GET or None,
        periods=choices_of(periods),
        words=books(company).voucher_words,
    )
    period_key = form.value("period")
    vouchers = ledger_selectors.list_vouchers(
        company,
        period=period_named(company, period_key) if period_key else None,
        state=form.value("state") or None,
        word=form.value("word") or None,
    )
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.vouchers_xlsx(company, vouchers, period_label=period_key),
            content_type=exports.XLSX_CONTENT_TYPE,
        )
        response["Content-Disposition"] = 'attachment; filename="vouchers.xlsx"'
        return response
    page = Paginator(vouchers, VOUCHERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/ledger/vouchers.html",
        {
            "form": form,
            "page": page,
            "can_enter": may(request, ENTER),
            "can_review": may(request, REVIEW),
            "can_post": may(request, POST),
        },
    )


BULK_ACTIONS: dict[str, tuple[str, Callable[..., Voucher]]] = {
    "review": (REVIEW, services.review_voucher),
    "post": (POST, services.post_reviewed_voucher),
}


def _bulk_action(request: CompanyPageRequest) -> HttpResponse:
    """Review or post the ticked vouchers, one service call each: a voucher
    the service refuses is reported and the others go through."""
    action = request.POST.get("action", "")
    if action not in BULK_ACTIONS:
        return redirect("ledger_vouchers")
    permission, service = BULK_ACTIONS[action]
    require(request, permission)
    ids = [int(v) for v in request.POST.getlist("voucher") if v.isdigit()]
    succeeded = 0
    for voucher_id in ids:
        try:
            voucher = ledger_selectors.get_voucher(request.company, voucher_id)
            service(voucher=voucher, actor=acting_user(request))
        except DomainError as error:
            report_error(request, f_message(voucher_id, error))
        else:
            succeeded += 1
    if succeeded:
        done(request, _("%(count)d vouchers done.") % {"count": succeeded})
    return redirect(request.get_full_path())


def f_message(voucher_id: int, error: DomainError) -> DomainError:
    return DomainError(
        _("Voucher #%(id)d: %(message)s") % {"id": voucher_id, "message": error.message}
    )


# --- one voucher --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaperLine:
    summary: str
    account: AccountName | None
    debit: Decimal | None
    credit: Decimal | None
    dimensions: list[tuple[str, int]]


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    label: str
    url: str
    style: str = ""
    confirm: str = ""


def _paper_lines(voucher: Voucher) -> list[PaperLine]:
    names = account_names(ledger_selectors.list_accounts(voucher.company))
    lines = [
        PaperLine(
            summary=line.summary,
            account=names.get(line.account_id),
            debit=line.debit,
            credit=line.credit,
            dimensions=[
                (kind, getattr(line, f"{kind}_id"))
                for kind in DIMENSIONS
                if getattr(line, f"{kind}_id") is not None
            ],
        )
        for line in voucher.lines.all()
    ]
    blank = PaperLine("", None, None, None, [])
    return lines + [blank] * max(PAPER_LINES - len(lines), 0)


def _actions(request: CompanyPageRequest, voucher: Voucher) -> list[Action]:
    """What the user may do to the voucher now; the services still decide."""
    user = acting_user(request)
    state = voucher.state

    def url(name: str) -> str:
        return reverse(f"ledger_voucher_{name}", args=[voucher.pk])

    offers = [
        (state == VoucherState.DRAFT and voucher.maker_id != user.pk, REVIEW,
         Action("review", _("Review"), url("review"), "btn-primary")),
        (state == VoucherState.REVIEWED, POST,
         Action("post", _("Post"), url("post"), "btn-primary")),
        (state == VoucherState.DRAFT and voucher.is_generated, POST,
         Action("post", _("Post"), url("post"), "btn-primary")),
        (state == VoucherState.REVIEWED, UNPOST,
         Action("unreview", _("Unreview"), url("unreview"))),
        (state == VoucherState.POSTED, UNPOST,
         Action("unpost", _("Unpost"), url("unpost"))),
        (state == VoucherState.POSTED and not voucher.reversals.all(), POST,
         Action("reverse", _("Reverse (red voucher)"), url("reverse"), "btn-danger",
                _("Create a red reversal of this voucher dated today?"))),
        (state == VoucherState.DRAFT, ENTER,
         Action("edit", _("Edit"), reverse("ledger_voucher_edit", args=[voucher.pk]))),
        (True, ENTER, Action("copy", _("Copy"), url("copy"))),
        (state == VoucherState.DRAFT and voucher.number is None, ENTER,
         Action("delete", _("Delete"), url("delete"), "btn-danger",
                _("Delete this draft voucher?"))),
    ]  # fmt: skip
    return [
        action for ok, permission, action in offers if ok and may(request, permission)
    ]


@dataclass(frozen=True, slots=True)
class SourceLink:
    label: str
    url: str


def _source(voucher: Voucher) -> SourceLink | None:
    if not voucher.source_kind:
        return None
    kind = refs.describe(voucher.source_kind)
    if kind is None or voucher.source_id is None:
        return SourceLink(f"{voucher.source_kind} #{voucher.source_id or ''}", "")
    return SourceLink(f"{kind.label} #{voucher.source_id}", kind.url(voucher.source_id))


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def voucher_detail(request: CompanyPageRequest, voucher_id: int) -> HttpResponse:
    voucher = ledger_selectors.get_voucher(request.company, voucher_id)
    lines = list(voucher.lines.all())
    return render(
        request,
        "web/ledger/voucher.html",
        {
            "voucher": voucher,
            "paper_lines": _paper_lines(voucher),
            "debit_total": sum((line.debit for line in lines), Decimal("0.00")),
            "credit_total": sum((line.credit for line in lines), Decimal("0.00")),
            "is_red": voucher.total < 0,
            "actions": _actions(request, voucher),
            "source": _source(voucher),
            "reversals": list(voucher.reversals.all()),
            "can_see_history": can(request, "core.view_audit"),
            "can_save_template": may(request, ENTER),
        },
    )


@company_page(permission=VIEW)
@require_safe
def voucher_pdf(request: CompanyPageRequest, voucher_id: int) -> HttpResponse:
    """The voucher on A5 voucher paper, to print and file with its receipts."""
    voucher = ledger_selectors.get_voucher(request.company, voucher_id)
    response = HttpResponse(
        exports.voucher_pdf(voucher), content_type=exports.PDF_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'inline; filename="voucher-{voucher.pk}.pdf"'
    return response


def _act(
    request: CompanyPageRequest,
    voucher_id: int,
    permission: str,
    action: Callable[[Voucher, User], Voucher | None],
    message: str,
) -> HttpResponse:
    require(request, permission)
    voucher = ledger_selectors.get_voucher(request.company, voucher_id)
    try:
        result = action(voucher, acting_user(request))
    except DomainError as error:
        report_error(request, error)
        return redirect("ledger_voucher", voucher_id=voucher.pk)
    target = result if result is not None else voucher
    done(request, message % {"number": _number_of(target)})
    if result is None:
        return redirect("ledger_vouchers")
    return redirect("ledger_voucher", voucher_id=target.pk)


def _number_of(voucher: Voucher) -> str:
    if voucher.number is None:
        return _("draft #%(id)d") % {"id": voucher.pk}
    return voucher.display_number


@company_page(permission=VIEW)
@require_POST
def voucher_review(request: CompanyPageRequest, voucher_id: int) -> HttpResponse:
    return _act(
        request,
        voucher_id,
        REVIEW,
        lambda v, u: services.review_voucher(voucher=v, actor=u),
        _("Voucher %(number)s is reviewed."),
    )


@company_page(permission=VIEW)
@require_POST
def voucher_unreview(request: CompanyPageRequest, voucher_id: int) -> HttpResponse:
    return _act(
        request,
        voucher_id,
        UNPOST,
        lambda v, u: services.unreview_voucher(voucher=v, actor=u),
        _("Voucher %(number)s is back to draft."),
    )


@company_page(permission=VIEW)
@require_POST
def voucher_post(request: CompanyPageRequest, voucher_id: int) -> HttpResponse:
    return _act(
        request,
        voucher_id,
        POST,
        lambda v, u: services.post_reviewed_voucher(voucher=v, actor=u),
        _("Voucher %(number)s is posted."),
    )


@company_page(permission=VIEW)
@require_POST
def voucher_unpost(request: CompanyPageRequest, voucher_id: int) -> HttpResponse:
    return _act(
        request,
        voucher_id,
        UNPOST,
        lambda v, u: services.unpost_voucher(voucher=v, actor=u),
        _("Voucher %(number)s is unposted."),
    )


@company_page(permission=VIEW)
@require_POST
def voucher_reverse(request: CompanyPageRequest, voucher_id: int) -> HttpResponse:
    return _act(
        request,
        voucher_id,
        POST,
        lambda v, u: services.reverse_voucher(voucher=v, actor=u),
        _("Red reversal %(number)s is created; review and post it."),
    )


@company_page(permission=VIEW)
@require_POST
def voucher_copy(request: CompanyPageRequest, voucher_id: int) -> HttpResponse:
    return _act(
        request,
        voucher_id,
        ENTER,
        lambda v, u: services.copy_voucher(voucher=v, actor=u, date=clock.today()),
        _("Copied as %(number)s, dated today."),
    )


@company_page(permission=VIEW)
@require_POST
def voucher_delete(request: CompanyPageRequest, voucher_id: int) -> HttpResponse:
    def delete(voucher: Voucher, user: User) -> None:
        services.delete_voucher(voucher=voucher, actor=user)

    return _act(request, voucher_id, ENTER, delete, _("The draft voucher is deleted."))


# --- entry --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LeafAccount:
    """An option of the account datalist: what the grid needs to know."""

    label: str
    dimensions: str


def _leaf_accounts(request: CompanyPageRequest) -> list[LeafAccount]:
    accounts = list(ledger_selectors.list_accounts(request.company, active_only=True))
    names = account_names(accounts)
    return [
        LeafAccount(label=names[a.pk].label, dimensions=",".join(a.dimensions))
        for a in accounts
        if a.is_leaf
    ]


def _line_initial(voucher: Voucher) -> list[dict[str, Any]]:
    names = account_names(ledger_selectors.list_accounts(voucher.company))
    return [
        {
            "summary": line.summary,
            "account": names[line.account_id].label,
            "debit": f"{line.debit:.2f}" if line.debit else "",
            "credit": f"{line.credit:.2f}" if line.credit else "",
            **{kind: getattr(line, f"{kind}_id") for kind in DIMENSIONS},
        }
        for line in voucher.lines.all()
    ]


def _render_entry(
    request: CompanyPageRequest, entry: VoucherEntry, voucher: Voucher | None
) -> HttpResponse:
    return render(
        request,
        "web/ledger/voucher_entry.html",
        {
            "entry": entry,
            "voucher": voucher,
            "accounts": _leaf_accounts(request),
            "dimensions": DIMENSIONS,
            "templates": (
                list(template_selectors.list_templates(request.company))
                if voucher is None
                else []
            ),
        },
    )


def _after_save(request: CompanyPageRequest, voucher: Voucher) -> HttpResponse:
    if request.POST.get("then") == "new":
        return redirect("ledger_voucher_new")
    return redirect("ledger_voucher", voucher_id=voucher.pk)


@company_page(permission=ENTER)
@require_http_methods(["GET", "POST"])
def voucher_new(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    words = books(company).voucher_words
    entry = VoucherEntry(
        request.POST if request.method == "POST" else None,
        words=words,
        header={"word": words[0], "date": clock.today(), "attachments": 0},
        lines=[],
    )
    if request.method == "POST" and entry.is_valid():
        try:
            voucher = services.create_voucher(
                company=company,
                actor=acting_user(request),
                date=entry.date,
                lines=entry.line_inputs(),
                word=entry.word,
                attachments=entry.attachments,
            )
        except DomainError as error:
            entry.show_error(error)
        else:
            done(request, _("Draft voucher saved (%(date)s).") % {"date": voucher.date})
            return _after_save(request, voucher)
    return _render_entry(request, entry, None)


@company_page(permission=ENTER)
@require_http_methods(["GET", "POST"])
def voucher_edit(request: CompanyPageRequest, voucher_id: int) -> HttpResponse:
    company = request.company
    voucher = ledger_selectors.get_voucher(company, voucher_id)
    if voucher.state != VoucherState.DRAFT:
        report_error(request, DomainError(_("Only draft vouchers can be edited.")))
        return redirect("ledger_voucher", voucher_id=voucher.pk)
    entry = VoucherEntry(
        request.POST if request.method == "POST" else None,
        words=books(company).voucher_words,
        header={
            "word": voucher.word,
            "date": voucher.date,
            "attachments": voucher.attachments,
        },
        lines=_line_initial(voucher),
    )
    if request.method == "POST" and entry.is_valid():
        try:
            services.update_voucher(
                voucher=voucher,
                actor=acting_user(request),
                date=entry.date,
                lines=entry.line_inputs(),
                word=entry.word,
                attachments=entry.attachments,
            )
        except DomainError as error:
            entry.show_error(error)
        else:
            done(request, _("Draft voucher saved (%(date)s).") % {"date": voucher.date})
            return _after_save(request, voucher)
    return _render_entry(request, entry, voucher)


# --- templates (凭证模板) -------------------------------------------------------


@company_page(permission=ENTER)
@require_POST
def voucher_save_template(request: CompanyPageRequest, voucher_id: int) -> HttpResponse:
    voucher = ledger_selectors.get_voucher(request.company, voucher_id)
    try:
        template = services.save_voucher_as_template(
            voucher=voucher,
            actor=acting_user(request),
            name=request.POST.get("name", ""),
        )
    except DomainError as error:
        report_error(request, error)
    else:
        done(request, _("Saved as template %(name)s.") % {"name": template.name})
    return redirect("ledger_voucher", voucher_id=voucher.pk)


@company_page(permission=ENTER)
@require_POST
def voucher_template_use(request: CompanyPageRequest, template_id: int) -> HttpResponse:
    """A draft dated today from the template, opened for editing: the date
    and amounts are what usually change."""
    template = template_selectors.get_template(request.company, template_id)
    try:
        voucher = services.create_voucher_from_template(
            template=template, actor=acting_user(request), date=clock.today()
        )
    except DomainError as error:
        report_error(request, error)
        return redirect("ledger_voucher_new")
    done(
        request,
        _("Draft voucher created from template %(name)s.") % {"name": template.name},
    )
    return redirect("ledger_voucher_edit", voucher_id=voucher.pk)


@company_page(permission=ENTER)
@require_POST
def voucher_template_delete(
    request: CompanyPageRequest, template_id: int
) -> HttpResponse:
    template = template_selectors.get_template(request.company, template_id)
    try:
        services.delete_template(template=template, actor=acting_user(request))
    except DomainError as error:
        report_error(request, error)
    else:
        done(request, _("Template %(name)s is deleted.") % {"name": template.name})
    return redirect("ledger_voucher_new")
