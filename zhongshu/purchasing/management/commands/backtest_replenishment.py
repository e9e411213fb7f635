"""``zhongshu backtest_replenishment CODE``: how well replenishment's
forecast would have done on a company's own sales.

Holds out the last ``--days`` days (default 28) of the sales history before
``--on-date`` (default today), forecasts them from the days before with the
method replenishment uses and with two naive forecasts (the last day
repeated; the last week repeated), and prints each one's errors per day and
over the held-out days as a whole (the total is what a suggestion orders
by): WAPE = Σ|forecast − actual| / Σ|actual|, MAPE = the mean of
|forecast − actual| / |actual| where the actual is not zero.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhongshu.core import clock
from zhongshu.core.models import Company
from zhongshu.purchasing.forecast import Accuracy, backtest
from zhongshu.purchasing.selectors.replenishment import sales_history
from zhongshu.purchasing.services.replenishment import HISTORY_DAYS


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


class Command(BaseCommand):
    help = "Backtest the replenishment forecast against naive forecasts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the company's code")
        parser.add_argument("--days", type=int, default=28, help="days held out")
        parser.add_argument(
            "--on-date", default="", help="YYYY-MM-DD; history ends the day before"
        )
        parser.add_argument("--history-days", type=int, default=HISTORY_DAYS)
        parser.add_argument("--json", action="store_true", help="one JSON line")

    def handle(self, *args: Any, **options: Any) -> None:
        company = Company.objects.filter(code__iexact=options["code"]).first()
        if company is None:
            raise CommandError(f"No company with the code {options['code']}.")
        on_date = (
            datetime.date.fromisoformat(options["on_date"])
            if options["on_date"]
            else clock.today()
        )
        days, held_out = options["history_days"], options["days"]
        if not 0 < held_out < days:
            raise CommandError("--days must be between 1 and --history-days − 1.")
        keys, history = sales_history(company, on_date=on_date, days=days)
        if not keys:
            raise CommandError(f"{company.code} sold nothing in the {days} days.")
        results = backtest(history, held_out)
        if options["json"]:
            self.stdout.write(json.dumps([r.as_dict() for r in results]))
            return
        self._table(company, on_date, days, held_out, results)

    def _table(
        self,
        company: Company,
        on_date: datetime.date,
        days: int,
        held_out: int,
        results: list[Accuracy],
    ) -> None:
        self.stdout.write(
            f"{company.code}: {results[0].series} products × warehouses, {days} days "
            f"of sales to {on_date - datetime.timedelta(days=1)}, the last "
            f"{held_out} held out."
        )
        header = ("method", "daily WAPE", "daily MAPE", "total WAPE", "total MAPE")
        self.stdout.write(f"{header[0]:<16}" + "".join(f"{h:>12}" for h in header[1:]))
        for result in results:
            figures = (
                result.daily_wape,
                result.daily_mape,
                result.total_wape,
                result.total_mape,
            )
            self.stdout.write(
                f"{result.method!s:<16}"
                + "".join(f"{_percent(f):>12}" for f in figures)
            )
