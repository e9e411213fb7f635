"""stock — inventory at volume (../shared/BENCHMARKS.md § stock).

Creates ``products`` SKUs and ``warehouses`` warehouses, then posts ``moves``
stock moves over one year through ``inventory.services`` (receipts and
issues as documents of ``lines`` lines, each posting its voucher): every
move is valued by costing and every chain kept as a user's clicks would.
One SKU, HOT, gets a receipt on 2 January and ``hot_issues`` issues spread
over the year. Then times what a user opens — the on-hand page of a
warehouse, HOT's stock ledger for the year, the 收发存汇总表 for a month —
and a receipt backdated to 1 January on HOT, which revalues every one of its
later issues in the same transaction. On PostgreSQL it also measures
reservations per second under ``clients`` concurrent clients.
"""

from __future__ import annotations

import datetime
import random
import statistics
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, connections

from bench.base import Option, Phases, Scenario
from zhongshu.catalog.models import CatalogSettings, Product, Unit
from zhongshu.core import services as core_services
from zhongshu.core.errors import ConflictError
from zhongshu.core.models import AccountingStandard, Company
from zhongshu.core.refs import SourceRef
from zhongshu.inventory import selectors, services
from zhongshu.inventory.models import StockBalance, Warehouse
from zhongshu.ledger import services as ledger

YEAR = 2026
RUNS = 5
PURCHASES = services.Counterpart("estimated_payable")
SALES = services.Counterpart("cost_of_sales")


def _company() -> Company:
    owner = get_user_model().objects.create_user(username="bench-stock")
    data = core_services.CompanyData(
        code="STOCKBENCH",
        name="库存基准测试商贸有限公司",
        accounting_standard=AccountingStandard.SMALL_ENTERPRISE,
    )
    company = core_services.create_company(data=data, owner=owner)
    ledger.set_up_books(company=company, first_year=YEAR)
    CatalogSettings.objects.update_or_create(company=company)
    return company


def _catalog(company: Company, count: int) -> list[Product]:
    unit = Unit.objects.create(company=company, code="PCS", name="件")
    Product.objects.bulk_create(
        [
            Product(
                company=company,
                code=f"SKU{n:06d}",
                name=f"商品 {n}",
                base_unit=unit,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    Product.objects.create(company=company, code="HOT", name="畅销款", base_unit=unit)
    return list(
        Product.objects.filter(company=company)
        .select_related("base_unit")
        .order_by("pk")
    )


def _warehouses(company: Company, count: int) -> list[Warehouse]:
    return [
        services.create_warehouse(
            company=company,
            actor=None,
            data=services.WarehouseData(code=f"W{n}", name=f"仓库 {n}"),
        )
        for n in range(count)
    ]


def _day_of(index: int, total: int) -> datetime.date:
    """Documents spread evenly from 2 January to 31 December."""
    return datetime.date(YEAR, 1, 2) + datetime.timedelta(days=index * 363 // total)


def _generate(
    company: Company,
    products: list[Product],
    warehouses: list[Warehouse],
    params: dict[str, int],
) -> int:
    rng = random.Random(7)
    hot = next(p for p in products if p.code == "HOT")
    ordinary = [p for p in products if p.code != "HOT"]
    per_document = params["lines"]
    hot_issues = params["hot_issues"]
    documents = max(1, (params["moves"] - hot_issues - 1) // per_document)
    on_hand: dict[tuple[int, int], int] = {}
    home = warehouses[0]
    services.receive(
        company=company,
        date=datetime.date(YEAR, 1, 2),
        lines=[
            services.MoveLine(
                product=hot,
                warehouse=home,
                quantity=Decimal(hot_issues * 2),
                unit_cost=Decimal("50.00"),
            )
        ],
        counter=PURCHASES,
        source=SourceRef("bench.receipt", 0),
    )
    hot_every = max(1, documents // hot_issues)
    hot_done = 0
    written = 1
    for index in range(documents):
        day = _day_of(index, documents)
        where = warehouses[index % len(warehouses)]
        picked = rng.sample(ordinary, per_document)
        stocked = [p for p in picked if on_hand.get((p.pk, where.pk), 0) >= 10]
        # Issue when most lines have stock, else receive: about half of each.
        if len(stocked) >= per_document // 2 and index % 2:
            lines = [
                services.MoveLine(
                    product=p,
                    warehouse=where,
                    quantity=Decimal(rng.randint(1, 10)),
                )
                for p in stocked
            ]
            for line in lines:
                on_hand[(line.product.pk, where.pk)] -= int(line.quantity)
            if hot_done < hot_issues and index % hot_every == 0:
                lines.append(
                    services.MoveLine(product=hot, warehouse=home, quantity=Decimal(1))
                )
                hot_done += 1
            services.issue(
                company=company,
                date=day,
                lines=lines,
                counter=SALES,
                source=SourceRef("bench.delivery", index),
            )
        else:
            lines = [
                services.MoveLine(
                    product=p,
                    warehouse=where,
                    quantity=Decimal(rng.randint(10, 50)),
                    unit_cost=Decimal(rng.randint(500, 20000)) / 100,
                )
                for p in picked
            ]
            for line in lines:
                key = (line.product.pk, where.pk)
                on_hand[key] = on_hand.get(key, 0) + int(line.quantity)
            services.receive(
                company=company,
                date=day,
                lines=lines,
                counter=PURCHASES,
                source=SourceRef("bench.receipt", index + 1),
            )
        written += len(lines)
    # Whatever HOT issues the documents did not carry, spread over December.
    for n in range(hot_done, hot_issues):
        services.issue(
            company=company,
            date=datetime.date(YEAR, 12, 1 + n % 30),
            lines=[services.MoveLine(product=hot, warehouse=home, quantity=Decimal(1))],
            counter=SALES,
            source=SourceRef("bench.delivery", 10_000_000 + n),
        )
        written += 1
    return written


def _time(call: Callable[[], object]) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)


def _reports(company: Company, hot: Product, warehouse: Warehouse) -> dict[str, float]:
    year_start, year_end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    return {
        "on_hand_page_ms": _time(
            lambda: selectors.on_hand(company, warehouse=warehouse, page=1)
        ),
        "stock_ledger_year_ms": _time(
            lambda: selectors.stock_ledger(
                company, product=hot, date_from=year_start, date_to=year_end
            )
        ),
        "movement_summary_month_ms": _time(
            lambda: selectors.movement_summary(
                company,
                date_from=datetime.date(YEAR, 6, 1),
                date_to=datetime.date(YEAR, 6, 30),
            )
        ),
    }


def _backdated_receipt(
    company: Company, hot: Product, warehouse: Warehouse
) -> dict[str, Any]:
    started = time.perf_counter()
    posting = services.receive(
        company=company,
        date=datetime.date(YEAR, 1, 1),
        lines=[
            services.MoveLine(
                product=hot,
                warehouse=warehouse,
                quantity=Decimal(100),
                unit_cost=Decimal("80.00"),
            )
        ],
        counter=PURCHASES,
        source=SourceRef("bench.receipt", 20_000_000),
    )
    elapsed = (time.perf_counter() - started) * 1000
    revalued = sum(a.lines.count() for a in posting.adjustments)
    return {
        "backdated_receipt_ms": round(elapsed, 1),
        "backdated_revalued_moves": revalued,
    }


def _reservations(company: Company, clients: int, per_client: int) -> float | None:
    """Reservations per second with ``clients`` threads, each reserving and
    releasing single units of random stocked SKUs. PostgreSQL only: SQLite
    serializes writers by design, so the figure would measure the lock."""
    if connection.vendor != "postgresql":
        return None
    stocked = list(
        StockBalance.objects.filter(company=company, on_hand__gte=20)
        .select_related("product", "warehouse")
        .order_by("pk")[:2000]
    )
    barrier = threading.Barrier(clients + 1)
    done = []

    def client(seed: int) -> None:
        rng = random.Random(seed)
        barrier.wait()
        try:
            for n in range(per_client):
                balance = rng.choice(stocked)
                source = SourceRef("bench.order", seed * 1_000_000 + n)
                try:
                    services.reserve(
                        company=company,
                        product=balance.product,
                        warehouse=balance.warehouse,
                        quantity=Decimal(1),
                        source=source,
                    )
                    done.append(1)
                except ConflictError:
                    pass
                services.release(company=company, source=source)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return round(len(done) / (time.perf_counter() - started), 1)


def run(params: dict[str, int]) -> dict[str, Any]:
    phases = Phases()
    with phases.timed("setup"):
        company = _company()
        products = _catalog(company, params["products"])
        warehouses = _warehouses(company, params["warehouses"])
    with phases.timed("moves"):
        written = _generate(company, products, warehouses, params)
    hot = next(p for p in products if p.code == "HOT")
    with phases.timed("reports"):
        reports = _reports(company, hot, warehouses[0])
    backdated = _backdated_receipt(company, hot, warehouses[0])
    reservations = _reservations(company, params["clients"], params["reservations"])
    return {
        "phase_s": phases.seconds,
        "moves_per_s": round(written / max(phases.seconds["moves"], 1e-9), 1),
        **reports,
        **backdated,
        "reservations_per_s": reservations,
        "clients": params["clients"] if reservations is not None else None,
        "rows": {"products": len(products), "stock_moves": written + 1},
    }


SCENARIO = Scenario(
    name="stock",
    run=run,
    options=(
        Option("products", 10_000, "SKUs"),
        Option("moves", 1_000_000, "stock moves over the year"),
        Option("warehouses", 5, "warehouses the moves spread over"),
        Option("lines", 100, "lines per receipt or issue document"),
        Option("hot_issues", 1_000, "later issues of the SKU hit by the backdating"),
        Option("clients", 8, "concurrent clients reserving (PostgreSQL)"),
        Option("reservations", 500, "reserve+release pairs per client"),
    ),
)
