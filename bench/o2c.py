"""o2c — order to cash (../shared/BENCHMARKS.md § o2c).

One company (小企业会计准则, general VAT taxpayer, 13 % VAT), one warehouse,
``products`` SKUs with a cost (their opening stock) and a list price (a
retail price list, VAT included), ``customers`` customers with 30-day terms
and a credit limit (so the credit check runs). Then ``orders`` sales orders
of ``lines`` distinct random products × 1–10 units, at list prices, each
taken through the chain in turn by ``zhongshu.sales.services``:

1. ``order`` — ``create_order`` + ``confirm_order`` (credit check, stock
   reserved, number allocated);
2. ``ship`` — ``deliver`` everything (stock issued at cost, the cost voucher
   posted: to 发出商品 under recognition on invoicing);
3. ``post`` — ``invoice_deliveries`` for that order's delivery (receivable,
   revenue, output VAT and the cost moved to 主营业务成本). With
   ``--param on_delivery=1`` the delivery posts the revenue itself, so it
   is measured in ``ship`` and ``post`` is empty;
4. ``pay`` — ``record_receipt`` of the full amount, settled automatically.

With ``batch`` B > 1 the same step for B consecutive orders is one call of
the batch entry point (``create_orders`` + ``confirm_orders``,
``deliver_orders``, ``invoice_each``, ``record_receipts``) in one
transaction. Then the trial balance for the year (all accounts)
and the on-hand of every product in the warehouse. Finally
``aging_items`` open items are built through the batch entry points —
orders of one unit from a second warehouse, created, confirmed and
delivered 500 to a transaction with revenue recognised on delivery (each
delivery opens one receivable item), never paid — and the AR aging report
is timed over them.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from bench.base import Option, Phases, Scenario
from zhongshu.catalog import services as catalog
from zhongshu.catalog.models import CatalogSettings, Product, Unit
from zhongshu.core import services as core_services
from zhongshu.core.models import AccountingStandard, Company, TaxpayerType
from zhongshu.core.refs import SourceRef
from zhongshu.inventory import selectors as inventory_selectors
from zhongshu.inventory import services as inventory
from zhongshu.inventory.models import StockMove, Warehouse
from zhongshu.ledger import services as ledger
from zhongshu.ledger.models import Period, Voucher, VoucherLine
from zhongshu.ledger.selectors import reports
from zhongshu.partners import services as partners
from zhongshu.partners.models import Customer
from zhongshu.sales import services
from zhongshu.sales.models import (
    Delivery,
    DeliveryLine,
    Receipt,
    ReceivableItem,
    RevenueRecognition,
    SalesInvoice,
    SalesOrder,
    SalesOrderLine,
    SalesSettings,
    Settlement,
)
from zhongshu.sales.selectors import receivables

YEAR = 2026
RUNS = 5
AGING_RUNS = 3
AGING_BATCH = 500
PURCHASES = inventory.Counterpart("estimated_payable")
PHASES = ("order", "ship", "post", "pay")


@dataclass
class World:
    company: Company
    owner: User
    warehouse: Warehouse
    products: list[Product]
    customers: list[Customer]
    # The aging orders ship from their own warehouse: dated through the year
    # after the main chain, from WH1 they would be backdated issues replaying
    # its chains — a cost the aging figure is not about.
    aging_warehouse: Warehouse


@dataclass
class Chain:
    """One order's documents as they come through the phases."""

    customer: Customer
    day: datetime.date
    lines: list[tuple[Product, int]]
    order: SalesOrder | None = None
    delivery: Delivery | None = None
    amount: Decimal = Decimal(0)


@dataclass
class Clock:
    """Wall-clock seconds per phase, and this process's CPU seconds (on a
    shared machine the CPU figure moves less with the neighbours' load; on
    PostgreSQL it leaves out the server's work)."""

    seconds: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(PHASES, 0.0)
    )
    cpu: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))

    @contextmanager
    def step(self, phase: str, batch: int) -> Iterator[None]:
        started, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic() if batch > 1 else nullcontext():
            yield
        self.seconds[phase] += time.perf_counter() - started
        self.cpu[phase] += time.process_time() - cpu


# --- setup ----------


def _company() -> tuple[Company, User]:
    owner = get_user_model().objects.create_user(username="bench-o2c")
    data = core_services.CompanyData(
        code="O2CBENCH",
        name="销售基准测试商贸有限公司",
        taxpayer_type=TaxpayerType.GENERAL,
        accounting_standard=AccountingStandard.SMALL_ENTERPRISE,
    )
    company = core_services.create_company(data=data, owner=owner)
    ledger.set_up_books(company=company, first_year=YEAR)
    CatalogSettings.objects.update_or_create(company=company)
    return company, owner


def _catalog(
    company: Company, owner: User, count: int, rng: random.Random
) -> tuple[list[Product], dict[int, Decimal]]:
    """``count`` SKUs at 13 % VAT, each with a cost and a list price (cost ×
    1.30–2.00, VAT included) on the retail list. Returns the costs."""
    unit = Unit.objects.create(company=company, code="PCS", name="件")
    Product.objects.bulk_create(
        [
            Product(
                company=company,
                code=f"SKU{n:05d}",
                name=f"商品 {n}",
                base_unit=unit,
                vat_rate=Decimal("0.13"),
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    products = list(
        Product.objects.filter(company=company)
        .select_related("base_unit")
        .order_by("code")
    )
    price_list = catalog.create_price_list(
        company=company,
        actor=owner,
        data=catalog.PriceListData(code="LIST", name="标准售价", kind="retail"),
    )
    costs = {}
    for product in products:
        cost = Decimal(rng.randint(500, 20000)) / 100
        price = (cost * rng.randint(130, 200) / 100).quantize(Decimal("0.01"))
        catalog.set_price(
            price_list=price_list,
            actor=owner,
            data=catalog.PriceData(product=product, price=price),
        )
        costs[product.pk] = cost
    return products, costs


def _customers(company: Company, owner: User, count: int) -> list[Customer]:
    return [
        partners.create_customer(
            company=company,
            actor=owner,
            data=partners.CustomerData(
                code=f"K{n:04d}",
                name=f"客户 {n} 商贸有限公司",
                payment_terms_days=30,
                credit_limit=Decimal(10_000_000),
                province=("440000", "110000", "310000", "330000")[n % 4],
            ),
        )
        for n in range(count)
    ]


def _set_up(params: dict[str, int], rng: random.Random) -> World:
    company, owner = _company()
    warehouse = inventory.create_warehouse(
        company=company,
        actor=owner,
        data=inventory.WarehouseData(code="WH1", name="中心仓"),
    )
    SalesSettings.objects.update_or_create(
        company=company,
        defaults={
            "default_warehouse": warehouse,
            "revenue_recognition": (
                RevenueRecognition.ON_DELIVERY
                if params["on_delivery"]
                else RevenueRecognition.ON_INVOICE
            ),
        },
    )
    products, costs = _catalog(company, owner, params["products"], rng)
    customers = _customers(company, owner, params["customers"])
    # Enough that no order waits: every order could take 10 of a product;
    # the aging orders take one unit of every len(products)-th one, in WH2.
    aging_warehouse = inventory.create_warehouse(
        company=company,
        actor=owner,
        data=inventory.WarehouseData(code="WH2", name="批发仓"),
    )
    stock = (
        (warehouse, params["orders"] * 10 + 10),
        (aging_warehouse, -(-params["aging_items"] // len(products))),
    )
    inventory.receive(
        company=company,
        date=datetime.date(YEAR, 1, 1),
        lines=[
            inventory.MoveLine(
                product=product,
                warehouse=where,
                quantity=Decimal(quantity),
                unit_cost=costs[product.pk],
            )
            for where, quantity in stock
            if quantity
            for product in products
        ],
        counter=PURCHASES,
        source=SourceRef("bench.opening", 1),
    )
    return World(company, owner, warehouse, products, customers, aging_warehouse)


def _day_of(index: int, total: int) -> datetime.date:
    """Spread evenly from 2 January to 31 December."""
    return datetime.date(YEAR, 1, 2) + datetime.timedelta(days=index * 363 // total)


def _plan(world: World, params: dict[str, int], rng: random.Random) -> list[Chain]:
    return [
        Chain(
            customer=rng.choice(world.customers),
            day=_day_of(n, params["orders"]),
            lines=[
                (product, rng.randint(1, 10))
                for product in rng.sample(world.products, params["lines"])
            ],
        )
        for n in range(params["orders"])
    ]


# --- the chain ----------


def _order(world: World, chain: Chain) -> None:
    order = services.create_order(
        company=world.company, actor=world.owner, data=_order_data(chain)
    )
    chain.order = services.confirm_order(order=order, actor=world.owner)


def _ship(world: World, chain: Chain) -> None:
    assert chain.order is not None
    chain.delivery = services.deliver(
        order=chain.order, actor=world.owner, date=chain.day
    )
    chain.amount = chain.delivery.total


def _post(world: World, chain: Chain) -> None:
    assert chain.delivery is not None
    invoice = services.invoice_deliveries(
        company=world.company,
        actor=world.owner,
        date=chain.day,
        deliveries=[chain.delivery],
    )
    chain.amount = invoice.total


def _pay(world: World, chain: Chain) -> None:
    services.record_receipt(
        company=world.company,
        actor=world.owner,
        customer=chain.customer,
        date=chain.day,
        amount=chain.amount,
    )


def _chunks(chains: Sequence[Chain], size: int) -> Iterator[Sequence[Chain]]:
    for start in range(0, len(chains), size):
        yield chains[start : start + size]


def _order_data(chain: Chain) -> services.OrderData:
    return services.OrderData(
        customer=chain.customer,
        date=chain.day,
        lines=[
            services.LineData(product=product, quantity=Decimal(quantity))
            for product, quantity in chain.lines
        ],
    )


# With a batch, each step is one call of the batch entry point for the
# chunk's orders (``sales.services.batch``), in one transaction.


def _orders_in_batch(world: World, chunk: Sequence[Chain]) -> None:
    orders = services.create_orders(
        company=world.company,
        actor=world.owner,
        orders=[_order_data(chain) for chain in chunk],
    )
    orders = services.confirm_orders(
        company=world.company, actor=world.owner, orders=orders
    )
    for chain, order in zip(chunk, orders, strict=True):
        chain.order = order


def _ship_in_batch(world: World, chunk: Sequence[Chain]) -> None:
    deliveries = services.deliver_orders(
        company=world.company,
        actor=world.owner,
        orders=[chain.order for chain in chunk if chain.order is not None],
    )
    for chain, delivery in zip(chunk, deliveries, strict=True):
        chain.delivery, chain.amount = delivery, delivery.total


def _post_in_batch(world: World, chunk: Sequence[Chain]) -> None:
    invoices = services.invoice_each(
        company=world.company,
        actor=world.owner,
        deliveries=[chain.delivery for chain in chunk if chain.delivery is not None],
    )
    for chain, invoice in zip(chunk, invoices, strict=True):
        chain.amount = invoice.total


def _pay_in_batch(world: World, chunk: Sequence[Chain]) -> None:
    services.record_receipts(
        company=world.company,
        actor=world.owner,
        receipts=[
            services.ReceiptData(
                customer=chain.customer, date=chain.day, amount=chain.amount
            )
            for chain in chunk
        ],
    )


def _one_at_a_time(
    step: Callable[[World, Chain], None],
) -> Callable[[World, Sequence[Chain]], None]:
    def run(world: World, chunk: Sequence[Chain]) -> None:
        for chain in chunk:
            step(world, chain)

    return run


def _work(world: World, chains: list[Chain], params: dict[str, int]) -> Clock:
    """Every order through the four phases in turn (B orders per step)."""
    batch = max(1, params["batch"])
    steps: list[tuple[str, Callable[[World, Sequence[Chain]], None]]] = (
        [
            ("order", _orders_in_batch),
            ("ship", _ship_in_batch),
            ("post", _post_in_batch),
            ("pay", _pay_in_batch),
        ]
        if batch > 1
        else [
            ("order", _one_at_a_time(_order)),
            ("ship", _one_at_a_time(_ship)),
            ("post", _one_at_a_time(_post)),
            ("pay", _one_at_a_time(_pay)),
        ]
    )
    if params["on_delivery"]:
        steps = [step for step in steps if step[0] != "post"]
    clock = Clock()
    for chunk in _chunks(chains, batch):
        for phase, step in steps:
            with clock.step(phase, batch):
                step(world, chunk)
    return clock


# --- reads ----------


def _median_ms(call: Callable[[], object], runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)


def _trial_balance(company: Company) -> Callable[[], object]:
    periods = {p.number: p for p in Period.objects.filter(company=company, year=YEAR)}

    def read() -> object:
        return reports.trial_balance(
            company, from_period=periods[1], to_period=periods[12], include_zero=True
        )

    return read


def _on_hand(world: World) -> Callable[[], object]:
    def read() -> object:
        report = inventory_selectors.on_hand(
            world.company, warehouse=world.warehouse, page_size=None
        )
        return report.rows

    return read


# --- AR aging ----------


def _open_items(world: World, count: int) -> int:
    """``count`` open receivable items the way a wholesaler's batch makes
    them: orders of one unit, created, confirmed and delivered in batches of
    AGING_BATCH through the batch entry points with revenue recognised on
    delivery (each delivery opens one item), never paid."""
    if count <= 0:
        return 0
    SalesSettings.objects.filter(company=world.company).update(
        revenue_recognition=RevenueRecognition.ON_DELIVERY
    )
    made = 0
    for first in range(0, count, AGING_BATCH):
        data = [
            services.OrderData(
                customer=world.customers[n % len(world.customers)],
                date=_day_of(n, count),
                warehouse=world.aging_warehouse,
                lines=[
                    services.LineData(
                        product=world.products[n % len(world.products)],
                        quantity=Decimal(1),
                    )
                ],
            )
            for n in range(first, min(count, first + AGING_BATCH))
        ]
        with transaction.atomic():
            orders = services.create_orders(
                company=world.company, actor=world.owner, orders=data
            )
            orders = services.confirm_orders(
                company=world.company, actor=world.owner, orders=orders
            )
            made += len(
                services.deliver_orders(
                    company=world.company, actor=world.owner, orders=orders
                )
            )
    return made


def _aging(world: World, params: dict[str, int]) -> dict[str, Any]:
    started = time.perf_counter()
    made = _open_items(world, params["aging_items"])
    built = time.perf_counter() - started
    open_items = ReceivableItem.objects.filter(
        company=world.company, open_amount__gt=0
    ).count()
    figures: dict[str, Any] = {
        "aging_build_s": round(built, 2),
        "aging_items_per_s": round(made / built, 1) if made else None,
        "aging_open_items": open_items,
    }
    as_of = datetime.date(YEAR, 12, 31)
    figures["aging_ms"] = _median_ms(
        lambda: receivables.aging(world.company, as_of), AGING_RUNS
    )
    return figures


# --- the run ----------


def _counts(company: Company) -> dict[str, int]:
    documents = sum(
        model.objects.filter(company=company).count()
        for model in (SalesOrder, Delivery, SalesInvoice, Receipt)
    )
    return {
        "documents": documents,
        "order_lines": SalesOrderLine.objects.filter(company=company).count(),
        "delivery_lines": DeliveryLine.objects.filter(company=company).count(),
        "settlements": Settlement.objects.filter(company=company).count(),
        "stock_moves": StockMove.objects.filter(company=company).count(),
        "vouchers": Voucher.objects.filter(company=company).count(),
        "voucher_lines": VoucherLine.objects.filter(company=company).count(),
    }


def _rates(seconds: dict[str, float], orders: int) -> dict[str, float | None]:
    rates: dict[str, float | None] = {
        phase: round(orders / seconds[phase], 1) if seconds[phase] else None
        for phase in PHASES
    }
    rates["overall"] = round(orders / max(sum(seconds.values()), 1e-9), 1)
    return rates


def run(params: dict[str, int]) -> dict[str, Any]:
    rng = random.Random(params.get("seed", 42))
    phases = Phases()
    with phases.timed("setup"):
        world = _set_up(params, rng)
        chains = _plan(world, params, rng)
    clock = _work(world, chains, params)
    phases.seconds.update({k: round(v, 4) for k, v in clock.seconds.items()})
    counts = _counts(world.company)
    trial_balance, on_hand = _trial_balance(world.company), _on_hand(world)
    with phases.timed("ledger"):
        rows = len(trial_balance().rows)  # type: ignore[attr-defined]
    with phases.timed("stock"):
        stocked = len(on_hand())  # type: ignore[arg-type]
    figures = {
        "phase_s": phases.seconds,
        "rate": _rates(clock.seconds, params["orders"]),
        "cpu_s": {k: round(v, 2) for k, v in clock.cpu.items()},
        "rate_cpu": _rates(clock.cpu, params["orders"]),
        "counts": counts,
        "ledger_ms": _median_ms(trial_balance),
        "ledger_rows": rows,
        "stock_ms": _median_ms(on_hand),
        "stock_rows": stocked,
    }
    figures.update(_aging(world, params))
    return figures


SCENARIO = Scenario(
    name="o2c",
    run=run,
    options=(
        Option("orders", 1_000, "sales orders taken through the chain"),
        Option("lines", 5, "lines per order (distinct random products)"),
        Option("products", 200, "SKUs"),
        Option("customers", 100, "customers"),
        Option("batch", 1, "orders per transaction in each step"),
        Option("on_delivery", 0, "1: revenue recognised on delivery (no post step)"),
        Option("aging_items", 100_000, "open items the AR aging is timed over"),
    ),
)
