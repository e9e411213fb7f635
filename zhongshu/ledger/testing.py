"""Setup steps for tests of the ledger and of every module that posts."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User

from zhongshu.core import clock
from zhongshu.core import testing as core_testing
from zhongshu.core.models import AccountingStandard, Company, Role
from zhongshu.core.refs import SourceRef
from zhongshu.ledger import services
from zhongshu.ledger.kernel import LineInput
from zhongshu.ledger.models import Account, Voucher


def company_with_books(
    code: str = "BOOKS",
    *,
    standard: str = AccountingStandard.SMALL_ENTERPRISE,
    year: int = 2026,
) -> Company:
    company = core_testing.make_company(code, accounting_standard=standard)
    services.set_up_books(company=company, first_year=year)
    return company


def accountant(company: Company, username: str | None = None) -> User:
    return core_testing.member(company, [Role.ACCOUNTANT], username)


def line(
    summary: str, account: str, debit: str = "0", credit: str = "0", **dims: int
) -> LineInput:
    return LineInput(
        summary=summary,
        account=account,
        debit=Decimal(debit),
        credit=Decimal(credit),
        dimensions=dims,
    )


def posted(
    company: Company,
    day: datetime.date,
    *lines: LineInput,
    source: SourceRef | None = None,
) -> Voucher:
    """A voucher posted through the posting API, as other modules do."""
    return services.post_voucher(
        company=company,
        date=day,
        lines=lines,
        source=source or SourceRef("test.document", 1),
    )


# --- objects for the tenant-isolation probes, by path parameter name --------


@core_testing.object_factory("account_id")
def _account(company: Company) -> int:
    services.set_up_books(company=company)
    return Account.objects.get(company=company, code="1001").pk


@core_testing.object_factory("voucher_id")
def _draft_voucher(company: Company) -> int:
    """A draft by an accountant, so the company's owner may review it."""
    voucher = services.create_voucher(
        company=company,
        actor=accountant(company),
        date=clock.today(),
        lines=[
            line("提取备用金", "1001", debit="500.00"),
            line("提取备用金", "1002", credit="500.00"),
        ],
    )
    return voucher.pk


@core_testing.object_factory("period_id")
def _period(company: Company) -> int:
    return services.period_for(company, clock.today()).pk


@core_testing.object_factory("template_id")
def _voucher_template(company: Company) -> int:
    voucher = Voucher.objects.get(pk=_draft_voucher(company))
    template = services.save_voucher_as_template(
        voucher=voucher, actor=accountant(company), name=f"提取备用金 {voucher.pk}"
    )
    return template.pk
