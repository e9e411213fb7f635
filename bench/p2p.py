"""p2p — procure to pay (../shared/BENCHMARKS.md § p2p).

One company (小企业会计准则, general VAT taxpayer, 13 % VAT, payables
tracking suppliers), one warehouse, ``products`` SKUs and ``suppliers``
suppliers with 30-day terms. Then ``pos`` purchase orders of ``lines``
distinct random products × 1–50 units at a random net price, each taken
through the chain in turn by ``zhongshu.purchasing.services``, one
document per transaction as a user clicking through gets:

1. ``order`` — ``create_order`` + ``confirm_order`` (number allocated);
2. ``receive`` — ``receive_goods`` of everything (stock in at the order
   price, the 暂估 voucher posted);
3. ``invoice`` — ``enter_invoice`` of a matching supplier invoice (3-way
   match, estimate reversed, payable and input VAT posted);
4. ``pay`` — ``record_payment`` of the invoice's amount, settled.

Then ``zhongshu check``'s payables check and the AP aging are timed.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from bench.base import Option, Phases, Scenario
from zhongshu.catalog.models import CatalogSettings, Product, Unit
from zhongshu.core import services as core_services
from zhongshu.core.models import AccountingStandard, Company, TaxpayerType
from zhongshu.inventory import services as inventory
from zhongshu.ledger import services as ledger
from zhongshu.ledger.models import Voucher, VoucherLine
from zhongshu.partners import services as partners
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import checks, services
from zhongshu.purchasing.models import (
    GoodsReceipt,
    PayableItem,
    PurchaseOrder,
    PurchaseSettings,
    SupplierInvoice,
)
from zhongshu.purchasing.selectors import payables
from zhongshu.purchasing.services.setup import track_suppliers

YEAR = 2026
PHASES = ("order", "receive", "invoice", "pay")


@dataclass
class World:
    company: Company
    owner: User
    products: list[Product]
    suppliers: list[Supplier]


@dataclass
class Chain:
    supplier: Supplier
    day: datetime.date
    lines: list[tuple[Product, int, Decimal]]
    order: PurchaseOrder | None = None
    invoice: SupplierInvoice | None = None


def _set_up(params: dict[str, int]) -> World:
    owner = get_user_model().objects.create_user(username="bench-p2p")
    company = core_services.create_company(
        data=core_services.CompanyData(
            code="P2PBENCH",
            name="采购基准测试商贸有限公司",
            taxpayer_type=TaxpayerType.GENERAL,
            accounting_standard=AccountingStandard.SMALL_ENTERPRISE,
        ),
        owner=owner,
    )
    ledger.set_up_books(company=company, first_year=YEAR)
    track_suppliers(company)
    CatalogSettings.objects.update_or_create(company=company)
    warehouse = inventory.create_warehouse(
        company=company,
        actor=owner,
        data=inventory.WarehouseData(code="WH1", name="中心仓"),
    )
    PurchaseSettings.objects.update_or_create(
        company=company,
        defaults={"default_warehouse": warehouse, "prices_include_tax": False},
    )
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
            for n in range(params["products"])
        ],
        batch_size=2000,
    )
    products = list(Product.objects.filter(company=company).select_related("base_unit"))
    suppliers = [
        partners.create_supplier(
            company=company,
            actor=owner,
            data=partners.SupplierData(
                code=f"V{n:04d}", name=f"供应商 {n} 有限公司", payment_terms_days=30
            ),
        )
        for n in range(params["suppliers"])
    ]
    return World(company, owner, products, suppliers)


def _plan(world: World, params: dict[str, int], rng: random.Random) -> list[Chain]:
    chains = []
    for index in range(params["pos"]):
        day = datetime.date(YEAR, 1, 2) + datetime.timedelta(
            days=index * 363 // params["pos"]
        )
        picked = rng.sample(world.products, params["lines"])
        chains.append(
            Chain(
                supplier=rng.choice(world.suppliers),
                day=day,
                lines=[
                    (p, rng.randint(1, 50), Decimal(rng.randint(100, 20000)) / 100)
                    for p in picked
                ],
            )
        )
    return chains


def _order(world: World, chain: Chain) -> None:
    order = services.create_order(
        company=world.company,
        actor=world.owner,
        data=services.OrderData(
            supplier=chain.supplier,
            date=chain.day,
            lines=[
                services.LineData(
                    product=product, quantity=Decimal(quantity), unit_price=price
                )
                for product, quantity, price in chain.lines
            ],
        ),
    )
    chain.order = services.confirm_order(order=order, actor=world.owner)


def _receive(world: World, chain: Chain) -> None:
    assert chain.order is not None
    services.receive_goods(order=chain.order, actor=world.owner, date=chain.day)


def _invoice(world: World, chain: Chain) -> None:
    assert chain.order is not None
    chain.invoice = services.enter_invoice(
        company=world.company,
        actor=world.owner,
        data=services.InvoiceData(
            supplier=chain.supplier,
            invoice_number=f"F{chain.order.pk:08d}",
            date=chain.day,
            lines=[
                services.InvoiceLineData(
                    order_line=line,
                    quantity=line.base_quantity,
                    unit_price=line.unit_price,
                )
                for line in chain.order.lines.all()
            ],
        ),
    )
    assert chain.invoice.state == "posted", chain.invoice.problems


def _pay(world: World, chain: Chain) -> None:
    assert chain.invoice is not None
    services.record_payment(
        company=world.company,
        actor=world.owner,
        data=services.PaymentData(
            supplier=chain.supplier, date=chain.day, amount=chain.invoice.total
        ),
    )


STEPS = {"order": _order, "receive": _receive, "invoice": _invoice, "pay": _pay}


def _counts(company: Company) -> dict[str, int]:
    return {
        "documents": sum(
            model.objects.filter(company=company).count()
            for model in (PurchaseOrder, GoodsReceipt, SupplierInvoice)
        ),
        "payable_items": PayableItem.objects.filter(company=company).count(),
        "vouchers": Voucher.objects.filter(company=company).count(),
        "voucher_lines": VoucherLine.objects.filter(company=company).count(),
    }


def run(params: dict[str, int]) -> dict[str, Any]:
    rng = random.Random(params.get("seed", 42))
    phases = Phases()
    with phases.timed("setup"):
        world = _set_up(params)
        chains = _plan(world, params, rng)
    seconds = dict.fromkeys(PHASES, 0.0)
    for chain in chains:
        for phase in PHASES:
            started = time.perf_counter()
            STEPS[phase](world, chain)
            seconds[phase] += time.perf_counter() - started
    phases.seconds.update({k: round(v, 4) for k, v in seconds.items()})
    with phases.timed("check"):
        problems = checks.payables_match_ledger()
    with phases.timed("aging"):
        aging = payables.aging(world.company, datetime.date(YEAR, 12, 31))
    count = params["pos"]
    rates: dict[str, float | None] = {
        phase: round(count / seconds[phase], 1) if seconds[phase] else None
        for phase in PHASES
    }
    rates["overall"] = round(count / max(sum(seconds.values()), 1e-9), 1)
    return {
        "phase_s": phases.seconds,
        "rate": rates,
        "counts": _counts(world.company),
        "check_problems": len(problems),
        "aging_rows": len(aging.rows),
    }


SCENARIO = Scenario(
    name="p2p",
    run=run,
    options=(
        Option("pos", 1_000, "purchase orders taken through the chain"),
        Option("lines", 5, "lines per order (distinct random products)"),
        Option("products", 200, "SKUs"),
        Option("suppliers", 50, "suppliers"),
    ),
)
