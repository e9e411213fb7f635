"""Building a document's voucher line by line: the accounts its roles name,
read once per call, and a draft that merges lines per account, side and
dimensions before posting. Sales and purchasing write their vouchers with
these."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth.models import User

from zhongshu.core.models import Company
from zhongshu.core.refs import SourceRef
from zhongshu.ledger.kernel import LineInput
from zhongshu.ledger.models import Account, AccountRole, Voucher
from zhongshu.ledger.services.accounts import resolve_account
from zhongshu.ledger.services.vouchers import post_voucher

ZERO = Decimal("0")

DraftKey = tuple[int, str, tuple[tuple[str, int], ...]]


class Accounts:
    """Role → account for one service call: the company's default roles are
    read in one query on first use (documents ask for roles without
    refinements); a role missing there goes through ``resolve_account``,
    which raises the ledger's own error."""

    def __init__(self, company: Company) -> None:
        self.company = company
        self._cache: dict[str, Account] | None = None

    def __call__(self, role: str) -> Account:
        if self._cache is None:
            self._cache = {
                row.role: row.account
                for row in AccountRole.objects.filter(
                    company=self.company, key_kind="", key_id=0
                ).select_related("account")
            }
        if role not in self._cache:
            self._cache[role] = resolve_account(self.company, role)
        return self._cache[role]


def required_dimensions(
    account: Account, dimensions: Mapping[str, int] | None
) -> dict[str, int]:
    """The dimensions of ``dimensions`` the account tracks (a line must carry
    exactly the dimensions its account requires)."""
    if not dimensions:
        return {}
    return {
        kind: value for kind, value in dimensions.items() if kind in account.dimensions
    }


class VoucherDraft:
    """Lines added per account and side, merged and posted once; zero lines
    are dropped, and a draft with nothing left posts nothing."""

    def __init__(self, summary: str) -> None:
        self.summary = summary
        self._amounts: dict[DraftKey, Decimal] = defaultdict(Decimal)
        self._order: list[DraftKey] = []

    def add(
        self,
        account: Account,
        *,
        debit: Decimal = ZERO,
        credit: Decimal = ZERO,
        dimensions: Mapping[str, int] | None = None,
    ) -> None:
        dims = tuple(sorted(required_dimensions(account, dimensions).items()))
        for side, amount in (("debit", debit), ("credit", credit)):
            if amount == 0:
                continue
            key = (account.pk, side, dims)
            if key not in self._amounts:
                self._order.append(key)
            self._amounts[key] += amount

    def lines(self) -> list[LineInput]:
        result = []
        for account_id, side, dims in self._order:
            amount = self._amounts[(account_id, side, dims)]
            if amount == 0:
                continue
            result.append(
                LineInput(
                    summary=self.summary[:200],
                    account=account_id,
                    debit=amount if side == "debit" else ZERO,
                    credit=amount if side == "credit" else ZERO,
                    dimensions=dict(dims),
                )
            )
        return result

    def post(
        self,
        company: Company,
        date: datetime.date,
        source: SourceRef,
        actor: User | None,
        word: str = "记",
    ) -> Voucher | None:
        lines = self.lines()
        if not lines:
            return None
        return post_voucher(
            company=company,
            date=date,
            lines=lines,
            source=source,
            actor=actor,
            word=word,
        )
