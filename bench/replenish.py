"""replenish — smart replenishment (../shared/BENCHMARKS.md § replenish).

``products`` SKUs in 2 warehouses, each product bought from one of
``suppliers`` suppliers (lead times of 2–21 days, minimum quantities and
order multiples), a stock policy per SKU and warehouse, and two years of
daily sales: a Poisson demand per SKU and warehouse with a rate between
0.05 and 25 a day, a weekly pattern and a trend, one sales delivery move per
day that sold. Then times the full suggestion run (``rebuild_suggestions``
for the whole company: reading the history, forecasting, writing the
suggestions) ``RUNS`` times, and backtests the forecast on the last 28 days
against the naive forecasts (WAPE per day and of the 28-day total).

The history is written straight into inventory's tables (moves, balances,
locations, month totals — kept consistent, so ``zhongshu check`` passes),
not through ``inventory.services``: millions of moves at the services'
pace (bench ``stock``: a few thousand a second) would take hours. The moves
carry no value (a unit cost of zero), so no voucher is needed. Even so, at
full size (about 8.8 million moves) writing them takes several minutes (the
move table has fifteen indexes), and the consistency checks the runner ends
with replay every costing chain for several more.
"""

from __future__ import annotations

import datetime
import itertools
import statistics
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from bench.base import Option, Phases, Scenario
from zhongshu.catalog.models import CatalogSettings, Product, Unit
from zhongshu.core import services as core_services
from zhongshu.core.models import AccountingStandard, Company
from zhongshu.core.money import QUANTITY_SCALE
from zhongshu.inventory import services as inventory
from zhongshu.inventory.models import (
    Location,
    MoveKind,
    StockBalance,
    StockMonthTotal,
    StockMove,
    StockPolicy,
    StockQuant,
    Warehouse,
)
from zhongshu.ledger import services as ledger
from zhongshu.partners import services as partners
from zhongshu.partners.models import Supplier
from zhongshu.purchasing.forecast import backtest
from zhongshu.purchasing.models import PurchaseSettings, Suggestion, SupplierProduct
from zhongshu.purchasing.selectors.replenishment import sales_history
from zhongshu.purchasing.services.replenishment import (
    HISTORY_DAYS,
    rebuild_suggestions,
)

ON_DATE = datetime.date(2026, 6, 1)
FIRST_DAY = ON_DATE - datetime.timedelta(days=HISTORY_DAYS)
WAREHOUSES = 2
HOLDOUT_DAYS = 28
RUNS = 3
DAYS_PER_CHUNK = 30


def _company() -> tuple[Company, User]:
    owner = get_user_model().objects.create_user(username="bench-replenish")
    company = core_services.create_company(
        data=core_services.CompanyData(
            code="REPLBENCH",
            name="补货基准测试商贸有限公司",
            accounting_standard=AccountingStandard.SMALL_ENTERPRISE,
        ),
        owner=owner,
    )
    ledger.set_up_books(company=company, first_year=ON_DATE.year)
    CatalogSettings.objects.update_or_create(company=company)
    return company, owner


def _catalog(
    company: Company, owner: User, params: dict[str, int], rng: np.random.Generator
) -> tuple[list[Product], list[Warehouse]]:
    unit = Unit.objects.create(company=company, code="PCS", name="件")
    Product.objects.bulk_create(
        [
            Product(
                company=company, code=f"SKU{n:06d}", name=f"商品 {n}", base_unit=unit
            )
            for n in range(params["products"])
        ],
        batch_size=2000,
    )
    products = list(Product.objects.filter(company=company).order_by("pk"))
    warehouses = [
        inventory.create_warehouse(
            company=company,
            actor=None,
            data=inventory.WarehouseData(code=f"W{n}", name=f"仓库 {n}"),
        )
        for n in range(WAREHOUSES)
    ]
    suppliers = [
        partners.create_supplier(
            company=company,
            actor=owner,
            data=partners.SupplierData(code=f"V{n:03d}", name=f"供应商 {n} 有限公司"),
        )
        for n in range(params["suppliers"])
    ]
    _supplier_products(company, products, suppliers, rng)
    PurchaseSettings.objects.update_or_create(
        company=company, defaults={"default_warehouse": warehouses[0]}
    )
    return products, warehouses


def _supplier_products(
    company: Company,
    products: list[Product],
    suppliers: list[Supplier],
    rng: np.random.Generator,
) -> None:
    minimums = rng.choice([0, 10, 50], len(products))
    multiples = rng.choice([0, 6, 12, 24], len(products))
    lead_times = rng.integers(2, 22, len(products))
    SupplierProduct.objects.bulk_create(
        [
            SupplierProduct(
                company=company,
                supplier=suppliers[n % len(suppliers)],
                product=product,
                unit_price=Decimal(int(rng.integers(100, 20000))) / 100,
                minimum_quantity=Decimal(int(minimums[n])),
                order_multiple=Decimal(int(multiples[n])),
                lead_time_days=int(lead_times[n]),
                is_preferred=True,
            )
            for n, product in enumerate(products)
        ],
        batch_size=2000,
    )


def _demand(count: int, rng: np.random.Generator) -> tuple[Any, Any]:
    """Daily sales of ``count`` series over the history, and each one's rate."""
    rate = np.exp(rng.uniform(np.log(0.05), np.log(25), count))
    weekly = rng.uniform(0.6, 1.4, (count, 7))
    weekly /= weekly.mean(axis=1, keepdims=True)
    trend = rng.normal(0, 0.3, count)
    day = np.arange(HISTORY_DAYS)
    level = rate[:, None] * np.clip(1 + trend[:, None] * day / HISTORY_DAYS, 0.05, None)
    weekday = (day + FIRST_DAY.weekday()) % 7
    return rng.poisson(level * weekly[:, weekday]).astype(np.int64), rate


# --- writing the history straight into inventory's tables ----------


def _insert(
    model: type[Any], columns: Sequence[str], count: int, values: dict[str, Any]
) -> None:
    """``count`` rows of ``model``: each of ``columns`` takes its value from
    ``values``, a list (one per row) or anything else (the same in every
    row), already as the database stores it."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    rows = zip(
        *(
            values[c]
            if isinstance(values[c], list)
            else itertools.repeat(values[c], count)
            for c in columns
        ),
        strict=True,
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


MOVE_COLUMNS = (
    "company", "date", "kind", "product", "warehouse", "location", "quantity",
    "unit_cost", "value", "fixed_value", "balance_quantity", "balance_value",
    "fifo_in", "fifo_out", "counter_dimensions", "source_kind", "source_id",
    "memo", "created_at",
)  # fmt: skip


class _History:
    """The moves, balances, locations and month totals of the demand."""

    def __init__(
        self, company: Company, series: list[tuple[Product, Warehouse]]
    ) -> None:
        self.company = company
        self.series = series
        locations = {
            loc.warehouse_id: loc.pk
            for loc in Location.objects.filter(company=company, is_default=True)
        }
        self.location = np.array([locations[w.pk] for _p, w in series])
        self.product = np.array([p.pk for p, _w in series])
        self.warehouse = np.array([w.pk for _p, w in series])
        ops = connection.ops
        self.dates = [
            ops.adapt_datefield_value(FIRST_DAY + datetime.timedelta(days=d))
            for d in range(-1, HISTORY_DAYS)
        ]
        # Valueless moves: no cost, no value, nothing to post.
        self.constants = {
            "company": company.pk,
            "unit_cost": 0,
            "value": 0,
            "balance_value": 0,
            "counter_dimensions": StockMove._meta.get_field(
                "counter_dimensions"
            ).get_db_prep_save({}, connection),
            "memo": "",
            "created_at": ops.adapt_datetimefield_value(timezone.now()),
        }
        self.moves = 0

    def _moves(self, count: int, values: dict[str, Any]) -> None:
        first = self.moves + 1
        self.moves += count
        values = {
            **self.constants,
            **values,
            "source_id": list(range(first, first + count)),
        }
        _insert(StockMove, MOVE_COLUMNS, count, values)

    def openings(self, opening: Any) -> None:
        """The stock each series starts with, the day before the history."""
        scaled = (opening * QUANTITY_SCALE).tolist()
        self._moves(
            len(self.series),
            {
                "date": self.dates[0],
                "kind": MoveKind.OPENING,
                "product": self.product.tolist(),
                "warehouse": self.warehouse.tolist(),
                "location": self.location.tolist(),
                "quantity": scaled,
                "fixed_value": True,
                "balance_quantity": scaled,
                "fifo_in": scaled,
                "fifo_out": 0,
                "source_kind": "bench.opening",
            },
        )

    def issues(self, first_day: int, demand: Any, sold: Any, opening: Any) -> int:
        """The sales moves of the days from ``first_day`` (columns of
        ``demand``; ``sold``: the running totals), day by day as a shop
        records them."""
        days, series = np.nonzero(demand.T)
        quantity = demand[series, days] * QUANTITY_SCALE
        total_out = sold[series, days] * QUANTITY_SCALE
        opened = opening[series] * QUANTITY_SCALE
        self._moves(
            len(series),
            {
                "date": [self.dates[d + 1] for d in (days + first_day).tolist()],
                "kind": MoveKind.ISSUE,
                "product": self.product[series].tolist(),
                "warehouse": self.warehouse[series].tolist(),
                "location": self.location[series].tolist(),
                "quantity": (-quantity).tolist(),
                "fixed_value": False,
                "balance_quantity": (opened - total_out).tolist(),
                "fifo_in": opened.tolist(),
                "fifo_out": total_out.tolist(),
                "source_kind": "sales.delivery",
            },
        )
        return len(series)


MONTH_COLUMNS = (
    "company", "product", "warehouse", "month", "in_quantity", "in_value",
    "out_quantity", "out_value",
)  # fmt: skip


def _month_starts() -> tuple[list[datetime.date], Any]:
    """The first day of each month the history touches (the opening's
    month first), and each history day's month index."""
    days = [FIRST_DAY + datetime.timedelta(days=d) for d in range(-1, HISTORY_DAYS)]
    months = sorted({d.replace(day=1) for d in days})
    index = {m: n for n, m in enumerate(months)}
    return months, np.array([index[d.replace(day=1)] for d in days[1:]])


def _derived(company: Company, history: _History, demand: Any, opening: Any) -> None:
    """Balances, stock at the default locations and month totals."""
    last_moves = {
        (p, w): last
        for p, w, last in StockMove.objects.filter(company=company)
        .values_list("product_id", "warehouse_id")
        .annotate(last=Max("id"))
        .order_by()
    }
    total_out = demand.sum(axis=1)
    sold_days = demand > 0
    last_day = np.where(
        sold_days.any(axis=1), HISTORY_DAYS - 1 - sold_days[:, ::-1].argmax(axis=1), -1
    )
    balances, quants = [], []
    for n, (product, warehouse) in enumerate(history.series):
        on_hand = Decimal(int(opening[n] - total_out[n]))
        balances.append(
            StockBalance(
                company=company,
                product=product,
                warehouse=warehouse,
                on_hand=on_hand,
                fifo_in=Decimal(int(opening[n])),
                fifo_out=Decimal(int(total_out[n])),
                last_date=FIRST_DAY + datetime.timedelta(days=int(last_day[n])),
                last_move_id=last_moves[(product.pk, warehouse.pk)],
            )
        )
        quants.append(
            StockQuant(
                company=company,
                product=product,
                warehouse=warehouse,
                location_id=int(history.location[n]),
                quantity=on_hand,
            )
        )
    StockBalance.objects.bulk_create(balances, batch_size=2000)
    StockQuant.objects.bulk_create(quants, batch_size=2000)
    _month_totals(company, history, demand, opening)


def _month_totals(
    company: Company, history: _History, demand: Any, opening: Any
) -> None:
    months, month_of_day = _month_starts()
    out = np.zeros((len(history.series), len(months)), dtype=np.int64)
    for index in range(len(months)):
        out[:, index] = demand[:, month_of_day == index].sum(axis=1)
    out_in = np.zeros_like(out)
    out_in[:, 0] = opening
    series, month = np.nonzero(out + out_in)
    firsts = [connection.ops.adapt_datefield_value(m) for m in months]
    _insert(
        StockMonthTotal,
        MONTH_COLUMNS,
        len(series),
        {
            "company": company.pk,
            "product": history.product[series].tolist(),
            "warehouse": history.warehouse[series].tolist(),
            "month": [firsts[m] for m in month.tolist()],
            "in_quantity": (out_in[series, month] * QUANTITY_SCALE).tolist(),
            "in_value": 0,
            "out_quantity": (out[series, month] * QUANTITY_SCALE).tolist(),
            "out_value": 0,
        },
    )


def _write_history(
    company: Company,
    products: list[Product],
    warehouses: list[Warehouse],
    rng: np.random.Generator,
) -> int:
    series = [(p, w) for p in products for w in warehouses]
    demand, rate = _demand(len(series), rng)
    # What is left at the end: up to three weeks of demand.
    left = np.floor(rng.uniform(0, 21, len(series)) * rate).astype(np.int64)
    opening = demand.sum(axis=1) + left
    history = _History(company, series)
    with transaction.atomic():
        history.openings(opening)
        sold = np.cumsum(demand, axis=1)
        for first in range(0, HISTORY_DAYS, DAYS_PER_CHUNK):
            days = slice(first, first + DAYS_PER_CHUNK)
            history.issues(first, demand[:, days], sold[:, days], opening)
        _derived(company, history, demand, opening)
        StockPolicy.objects.bulk_create(
            [
                StockPolicy(
                    company=company,
                    product=p,
                    warehouse=w,
                    safety_stock=Decimal(int(np.ceil(rate[n] * 3))),
                )
                for n, (p, w) in enumerate(series)
            ],
            batch_size=2000,
        )
    return history.moves


def run(params: dict[str, int]) -> dict[str, Any]:
    rng = np.random.default_rng(params.get("seed", 42))
    phases = Phases()
    with phases.timed("setup"):
        company, owner = _company()
        products, warehouses = _catalog(company, owner, params, rng)
    with phases.timed("history"):
        moves = _write_history(company, products, warehouses, rng)
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        suggestions = rebuild_suggestions(company=company, on_date=ON_DATE)
        runs.append(round(time.perf_counter() - started, 2))
    with phases.timed("backtest"):
        _keys, history = sales_history(company, on_date=ON_DATE, days=HISTORY_DAYS)
        accuracy = backtest(history, HOLDOUT_DAYS)
    assert len(suggestions) == Suggestion.objects.filter(company=company).count()
    by_method = {a.method: a for a in accuracy}
    return {
        "phase_s": phases.seconds,
        # The first run of a process also loads the forecasting library.
        "suggestion_run_s": statistics.median(runs),
        "suggestion_runs_s": runs,
        "suggestions": len(suggestions),
        "to_order": sum(1 for s in suggestions if s.quantity > 0),
        "wape": {
            method: {"daily": round(a.daily_wape, 4), "total": round(a.total_wape, 4)}
            for method, a in by_method.items()
        },
        "backtest": [a.as_dict() for a in accuracy],
        "rows": {
            "products": len(products),
            "series": len(products) * WAREHOUSES,
            "stock_moves": moves,
        },
    }


SCENARIO = Scenario(
    name="replenish",
    run=run,
    options=(
        Option("products", 10_000, "SKUs, each in 2 warehouses"),
        Option("suppliers", 50, "suppliers the products are bought from"),
    ),
)
