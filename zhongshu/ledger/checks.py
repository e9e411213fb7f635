"""The ledger's consistency checks, run by ``zhongshu check``."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import F

from zhongshu.core.consistency import register
from zhongshu.core.fields import sum_amount
from zhongshu.ledger import kernel
from zhongshu.ledger.models import (
    LedgerSettings,
    OpeningBalance,
    OpeningDimensionBalance,
    PeriodTotal,
    PostingAction,
    PostingRecord,
    Voucher,
    VoucherLine,
    VoucherState,
)
from zhongshu.ledger.selectors import statements
from zhongshu.ledger.services.vouchers import canonical


@register("ledger.vouchers_balance")
def every_voucher_balances() -> list[str]:
    rows = (
        VoucherLine.objects.values("voucher_id", "voucher__company_id")
        .annotate(debit=sum_amount("debit"), credit=sum_amount("credit"))
        .order_by()
    )
    return [
        f"voucher {r['voucher_id']} of company {r['voucher__company_id']}: "
        f"debit {r['debit']} ≠ credit {r['credit']}"
        for r in rows
        if r["debit"] != r["credit"]
    ]


@register("ledger.trial_balance")
def trial_balance_balances() -> list[str]:
    rows = (
        PeriodTotal.objects.values("company_id", "period_id")
        .annotate(debit=sum_amount("debit"), credit=sum_amount("credit"))
        .order_by()
    )
    return [
        f"company {r['company_id']} period {r['period_id']}: "
        f"debit {r['debit']} ≠ credit {r['credit']}"
        for r in rows
        if r["debit"] != r["credit"]
    ]


@register("ledger.totals_match_postings")
def period_totals_match_posted_lines() -> list[str]:
    """The per-period totals reports read equal the posted lines behind them."""
    lines = (
        VoucherLine.objects.filter(voucher__state=VoucherState.POSTED)
        .values("company_id", "account_id", "voucher__period_id")
        .annotate(debit=sum_amount("debit"), credit=sum_amount("credit"))
        .order_by()
    )
    from_lines = {
        (r["company_id"], r["account_id"], r["voucher__period_id"]): (
            r["debit"],
            r["credit"],
        )
        for r in lines
    }
    totals = {
        (t.company_id, t.account_id, t.period_id): (t.debit, t.credit)
        for t in PeriodTotal.objects.all()
    }
    zero = (Decimal("0.00"), Decimal("0.00"))
    return [
        f"company {key[0]} account {key[1]} period {key[2]}: "
        f"totals {totals.get(key, zero)} ≠ posted lines {from_lines.get(key, zero)}"
        for key in set(from_lines) | set(totals)
        if totals.get(key, zero) != from_lines.get(key, zero)
    ]


@register("ledger.opening_splits")
def opening_splits_add_up() -> list[str]:
    """辅助核算期初: each dimension's values add up to their account's
    opening balance and year-to-date figures."""
    zero = Decimal("0.00")
    splits = (
        OpeningDimensionBalance.objects.values("company_id", "account_id", "dimension")
        .annotate(
            debit=sum_amount("debit"),
            credit=sum_amount("credit"),
            ytd_debit=sum_amount("ytd_debit"),
            ytd_credit=sum_amount("ytd_credit"),
        )
        .order_by()
    )
    accounts = {
        (row.company_id, row.account_id): (
            row.debit - row.credit,
            row.ytd_debit,
            row.ytd_credit,
        )
        for row in OpeningBalance.objects.filter(
            account_id__in={split["account_id"] for split in splits}
        )
    }
    problems = []
    for split in splits:
        balance = split["debit"] - split["credit"]
        figures = (balance, split["ytd_debit"], split["ytd_credit"])
        expected = accounts.get((split["company_id"], split["account_id"]), (zero,) * 3)
        if figures != expected:
            problems.append(
                f"company {split['company_id']} account {split['account_id']} "
                f"by {split['dimension']}: opening (balance, ytd debit, ytd credit) "
                f"{figures} ≠ the account's {expected}"
            )
    return problems


@register("ledger.no_posting_in_closed_period")
def nothing_posted_after_close() -> list[str]:
    late = PostingRecord.objects.filter(
        voucher__period__is_closed=True, at__gt=F("voucher__period__closed_at")
    )
    return [f"voucher {r.voucher_id} posted after its period closed" for r in late]


@register("ledger.hash_chain")
def posting_chain_is_intact() -> list[str]:
    """Recompute the chain of every company and the content of every posted
    voucher: an edit in the database behind the services shows up here."""
    problems: list[str] = []
    records: dict[int, list[PostingRecord]] = defaultdict(list)
    for record in PostingRecord.objects.order_by("company_id", "sequence"):
        records[record.company_id].append(record)
    heads = {s.company_id: s for s in LedgerSettings.objects.all()}
    for company_id, chain in records.items():
        problems += _check_chain(company_id, chain, heads.get(company_id))
    posted = Voucher.objects.filter(state=VoucherState.POSTED).select_related(
        "company", "period", "reversal_of__period"
    )
    last_post: dict[int, str] = {}
    for company_chain in records.values():
        for record in company_chain:
            if record.action == PostingAction.POST:
                last_post[record.voucher_id] = record.content_hash
    for voucher in posted:
        expected = last_post.get(voucher.pk)
        if expected != kernel.content_hash(canonical(voucher)):
            problems.append(
                f"company {voucher.company.code} voucher {voucher.display_number} "
                f"({voucher.period}) differs from what was posted"
            )
    return problems


def _check_chain(
    company_id: int, chain: list[PostingRecord], head: LedgerSettings | None
) -> list[str]:
    problems = []
    previous = kernel.GENESIS_HASH
    for expected_sequence, record in enumerate(chain, start=1):
        link = kernel.chain_hash(
            previous, record.sequence, record.action, record.content_hash
        )
        if (
            record.sequence != expected_sequence
            or record.previous_hash != previous
            or record.hash != link
        ):
            problems.append(
                f"company {company_id}: posting record {record.sequence} is broken"
            )
            break
        previous = record.hash
    if head is not None and (
        head.chain_head != previous or head.chain_length != len(chain)
    ):
        problems.append(
            f"company {company_id}: the chain head does not match its records"
        )
    return problems


@register("ledger.balance_sheet_equation")
def balance_sheet_equation_holds() -> list[str]:
    """Assets = liabilities + owners' equity on every period's balance sheet."""
    return statements.balance_sheet_equation_findings()
