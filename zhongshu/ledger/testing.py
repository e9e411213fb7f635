"""Setup steps for tests of the ledger and of every module that posts."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User

from zhongshu.core import testing as core_testing
from zhongshu.core.models import AccountingStandard, Company, Role
from zhongshu.core.refs import SourceRef
from zhongshu.ledger import services
from zhongshu.ledger.kernel import LineInput
from zhongshu.ledger.models import Voucher


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
