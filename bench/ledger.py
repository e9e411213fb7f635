"""ledger — posting and reports at volume (../shared/BENCHMARKS.md § ledger).

Posts ``lines`` voucher lines as 4-line vouchers spread over the twelve
periods of one fiscal year and 200 leaf accounts, through the posting API
other modules call (``ledger.services.post_voucher``: validation, numbering,
period totals and the hash chain all run), or with ``--param bulk=N`` through
``post_vouchers``, N vouchers per call (the same validations). Then times
the reports a user opens: the trial balance for one period, the year and a
range, the balance sheet and income statement, and the first 100 rows of the
account detail of the busiest account.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from bench.base import Option, Phases, Scenario
from zhongshu.core import services as core_services
from zhongshu.core.models import AccountingStandard, Company
from zhongshu.core.refs import SourceRef
from zhongshu.ledger import services
from zhongshu.ledger.kernel import LineInput
from zhongshu.ledger.models import Account, Period
from zhongshu.ledger.selectors import reports, statements

YEAR = 2026
LINES_PER_VOUCHER = 4
SOURCE_KIND = "bench.document"
REPORT_RUNS = 5

# Sub-accounts created under level-1 accounts of the 小企业会计准则 chart
# that have none in the template: 200 leaves the vouchers post to.
SUB_ACCOUNTS = {
    "1002": ("银行", 10),
    "1122": ("客户", 60),
    "2202": ("供应商", 60),
    "1405": ("商品", 30),
    "5001": ("产品线", 10),
    "5401": ("产品线", 10),
    "5602": ("费用项目", 20),
}


def _company() -> tuple[Company, User]:
    owner = get_user_model().objects.create_user(username="bench-owner")
    data = core_services.CompanyData(
        code="BENCH",
        name="基准测试商贸有限公司",
        accounting_standard=AccountingStandard.SMALL_ENTERPRISE,
    )
    company = core_services.create_company(data=data, owner=owner)
    services.set_up_books(company=company, first_year=YEAR)
    return company, owner


def _accounts(company: Company, owner: User) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    for parent, (label, count) in SUB_ACCOUNTS.items():
        codes[parent] = []
        for n in range(1, count + 1):
            account = services.add_account(
                company=company,
                actor=owner,
                parent_code=parent,
                code=f"{parent}{n:02d}",
                name=f"{label}{n:02d}",
            )
            codes[parent].append(account.code)
    return codes


def _amount(rng: random.Random, low: int = 100, high: int = 1_000_000) -> Decimal:
    """A random amount in fen turned into yuan: exact, two places."""
    return Decimal(rng.randint(low, high)) / 100


def _voucher_lines(
    rng: random.Random, kind: int, codes: dict[str, list[str]]
) -> list[LineInput]:
    """A sale with its cost, a purchase paid partly at once, or a receipt
    from two customers: four lines that balance by construction."""
    a, b = _amount(rng), _amount(rng)
    pick = rng.choice
    if kind == 0:
        sides = [
            ("销售商品", pick(codes["1122"]), a, True),
            ("结转成本", pick(codes["5401"]), b, True),
            ("销售商品", pick(codes["5001"]), a, False),
            ("结转成本", pick(codes["1405"]), b, False),
        ]
    elif kind == 1:
        sides = [
            ("采购商品", pick(codes["1405"]), a, True),
            ("运杂费", pick(codes["5602"]), b, True),
            ("采购商品", pick(codes["2202"]), a, False),
            ("支付运杂费", pick(codes["1002"]), b, False),
        ]
    else:
        first, second = rng.sample(codes["1122"], 2)
        fee = Decimal("0.50")
        sides = [
            ("收到货款", pick(codes["1002"]), a + b - fee, True),
            ("银行手续费", pick(codes["5602"]), fee, True),
            ("收到货款", first, a, False),
            ("收到货款", second, b, False),
        ]
    return [
        LineInput(
            summary=summary,
            account=code,
            debit=amount if is_debit else Decimal("0.00"),
            credit=Decimal("0.00") if is_debit else amount,
        )
        for summary, code, amount, is_debit in sides
    ]


def _voucher_dates(count: int) -> Iterator[datetime.date]:
    """Ascending dates, an equal share of the vouchers in each month, spread
    over its first 28 days."""
    for index in range(count):
        month = index * 12 // count + 1
        day = 1 + (index * 12 * 28 // count) % 28
        yield datetime.date(YEAR, month, day)


def _post(
    company: Company, codes: dict[str, list[str]], params: dict[str, int]
) -> tuple[int, Counter[str]]:
    rng = random.Random(params["seed"])
    vouchers = params["lines"] // LINES_PER_VOUCHER
    batch = max(params["batch"], 1)
    used: Counter[str] = Counter()
    lines_posted = 0
    dates = _voucher_dates(vouchers)
    if params["bulk"] > 0:
        return _post_bulk(company, codes, params)
    for start in range(0, vouchers, batch):
        with transaction.atomic() if batch > 1 else nullcontext():
            for index in range(start, min(start + batch, vouchers)):
                lines = _voucher_lines(rng, index % 3, codes)
                services.post_voucher(
                    company=company,
                    date=next(dates),
                    lines=lines,
                    source=SourceRef(SOURCE_KIND, index + 1),
                )
                used.update(str(line.account) for line in lines)
                lines_posted += len(lines)
    return lines_posted, used


def _post_bulk(
    company: Company, codes: dict[str, list[str]], params: dict[str, int]
) -> tuple[int, Counter[str]]:
    """The same vouchers as ``_post``, ``bulk`` per ``post_vouchers`` call."""
    rng = random.Random(params["seed"])
    vouchers = params["lines"] // LINES_PER_VOUCHER
    used: Counter[str] = Counter()
    lines_posted = 0
    dates = _voucher_dates(vouchers)
    for start in range(0, vouchers, params["bulk"]):
        entries = []
        for index in range(start, min(start + params["bulk"], vouchers)):
            lines = _voucher_lines(rng, index % 3, codes)
            entries.append(
                services.VoucherEntry(
                    date=next(dates),
                    lines=lines,
                    source=SourceRef(SOURCE_KIND, index + 1),
                )
            )
            used.update(str(line.account) for line in lines)
            lines_posted += len(lines)
        services.post_vouchers(company=company, entries=entries)
    return lines_posted, used


def _time(call: Callable[[], object]) -> float:
    """Median milliseconds of a few runs after a first (cold) one."""
    call()
    runs = []
    for _ in range(REPORT_RUNS):
        started = time.perf_counter()
        call()
        runs.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(runs), 2)


def _reports(company: Company, busiest: str) -> dict[str, float]:
    """Median milliseconds per report."""
    periods = {p.number: p for p in Period.objects.filter(company=company, year=YEAR)}
    account = Account.objects.get(company=company, code=busiest)
    timings = {
        "trial_balance_period": _time(
            lambda: reports.trial_balance(
                company, from_period=periods[6], to_period=periods[6]
            )
        ),
        "trial_balance_year": _time(
            lambda: reports.trial_balance(
                company, from_period=periods[1], to_period=periods[12]
            )
        ),
        "trial_balance_range": _time(
            lambda: reports.trial_balance(
                company, from_period=periods[4], to_period=periods[9]
            )
        ),
        "balance_sheet": _time(
            lambda: statements.balance_sheet(company, period=periods[12])
        ),
        "income_statement": _time(
            lambda: statements.income_statement(company, period=periods[12])
        ),
        "account_detail_first_100": _time(
            lambda: reports.account_detail(
                company,
                account=account,
                from_period=periods[1],
                to_period=periods[12],
                limit=100,
            )
        ),
    }
    return timings


def run(params: dict[str, int]) -> dict[str, Any]:
    phases = Phases()
    with phases.timed("setup"):
        company, owner = _company()
        codes = _accounts(company, owner)
    cpu_started = time.process_time()
    with phases.timed("post"):
        lines_posted, used = _post(company, codes, params)
    # This process's CPU time: what posting costs in Python, apart from the
    # database server and from other load on the machine.
    post_cpu = time.process_time() - cpu_started
    busiest, busiest_lines = used.most_common(1)[0]
    with phases.timed("reports"):
        report_ms = _reports(company, busiest)
    figures: dict[str, Any] = {
        "phase_s": phases.seconds,
        "cpu_s": {"post": round(post_cpu, 2)},
        "rate": {
            "post_lines": round(lines_posted / max(phases.seconds["post"], 1e-9), 1),
            "post_vouchers": round(
                lines_posted / LINES_PER_VOUCHER / max(phases.seconds["post"], 1e-9),
                1,
            ),
        },
        "report_ms": report_ms,
        "counts": {
            "vouchers": lines_posted // LINES_PER_VOUCHER,
            "voucher_lines": lines_posted,
            "accounts": sum(len(c) for c in codes.values()),
            "busiest_account": busiest,
            "busiest_account_lines": busiest_lines,
        },
    }
    return figures


SCENARIO = Scenario(
    name="ledger",
    run=run,
    options=(
        Option("lines", 1_000_000, "voucher lines to post (4 per voucher)"),
        Option("batch", 1, "vouchers per transaction (1: each its own)"),
        Option("bulk", 0, "vouchers per post_vouchers call (0: post_voucher each)"),
    ),
)
