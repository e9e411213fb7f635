"""Inventory's consistency checks, run by ``zhongshu check``.

The derived tables must equal the moves they are derived from, the costing
chains must be what a replay from scratch gives, nothing is negative or
over-reserved unless allowed, and stock value equals the ledger's inventory
accounts (the 存货 subledger against its control accounts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import TruncMonth

from zhongshu.catalog.models import Product
from zhongshu.catalog.selectors import costing_method_of
from zhongshu.core.consistency import register
from zhongshu.core.fields import sum_amount, sum_quantity
from zhongshu.core.models import Company
from zhongshu.inventory import costing
from zhongshu.inventory.models import (
    InventorySettings,
    MoveKind,
    Reservation,
    StockBalance,
    StockMonthTotal,
    StockMove,
    StockQuant,
    Warehouse,
)
from zhongshu.inventory.services import inventory_account_for
from zhongshu.ledger.models import (
    OpeningBalance,
    PeriodTotal,
    VoucherLine,
    VoucherState,
)

ZERO = Decimal("0")


@register("inventory.balances_match_moves")
def balances_match_moves() -> list[str]:
    sums = {
        (r["company_id"], r["product_id"], r["warehouse_id"]): (r["q"], r["v"])
        for r in StockMove.objects.values("company_id", "product_id", "warehouse_id")
        .annotate(q=sum_quantity("quantity"), v=sum_amount("value"))
        .order_by()
    }
    problems = []
    for row in StockBalance.objects.values(
        "company_id", "product_id", "warehouse_id", "on_hand", "value"
    ):
        key = (row["company_id"], row["product_id"], row["warehouse_id"])
        quantity, value = sums.pop(key, (ZERO, ZERO))
        if (quantity, value) != (row["on_hand"], row["value"]):
            problems.append(
                f"company {key[0]} product {key[1]} warehouse {key[2]}: balance "
                f"{row['on_hand']} / {row['value']} ≠ moves {quantity} / {value}"
            )
    problems += [
        f"company {k[0]} product {k[1]} warehouse {k[2]}: moves without a balance"
        for k in sums
    ]
    return problems


@register("inventory.month_totals_match_moves")
def month_totals_match_moves() -> list[str]:
    sums = {
        (r["company_id"], r["product_id"], r["warehouse_id"], r["month"]): (
            r["iq"],
            r["iv"],
            -r["oq"],
            -r["ov"],
        )
        for r in StockMove.objects.annotate(month=TruncMonth("date"))
        .values("company_id", "product_id", "warehouse_id", "month")
        .annotate(
            iq=sum_quantity("quantity", filter=Q(quantity__gte=0)),
            iv=sum_amount("value", filter=Q(quantity__gte=0)),
            oq=sum_quantity("quantity", filter=Q(quantity__lt=0)),
            ov=sum_amount("value", filter=Q(quantity__lt=0)),
        )
        .order_by()
    }
    problems = []
    for row in StockMonthTotal.objects.values(
        "company_id",
        "product_id",
        "warehouse_id",
        "month",
        "in_quantity",
        "in_value",
        "out_quantity",
        "out_value",
    ):
        key = (row["company_id"], row["product_id"], row["warehouse_id"], row["month"])
        stored = (
            row["in_quantity"],
            row["in_value"],
            row["out_quantity"],
            row["out_value"],
        )
        expected = sums.pop(key, (ZERO, ZERO, ZERO, ZERO))
        if stored != expected:
            problems.append(f"{key}: month totals {stored} ≠ moves {expected}")
    problems += [f"{key}: moves without month totals" for key in sums]
    return problems


@register("inventory.locations_match_balances")
def locations_match_balances() -> list[str]:
    quants = {
        (r["company_id"], r["product_id"], r["warehouse_id"]): r["q"]
        for r in StockQuant.objects.values("company_id", "product_id", "warehouse_id")
        .annotate(q=sum_quantity("quantity"))
        .order_by()
    }
    return [
        f"company {r['company_id']} product {r['product_id']} warehouse "
        f"{r['warehouse_id']}: on hand {r['on_hand']} ≠ locations "
        f"{quants.get((r['company_id'], r['product_id'], r['warehouse_id']), ZERO)}"
        for r in StockBalance.objects.values(
            "company_id", "product_id", "warehouse_id", "on_hand"
        )
        if quants.get((r["company_id"], r["product_id"], r["warehouse_id"]), ZERO)
        != r["on_hand"]
    ]


@register("inventory.reservations")
def reservations_are_covered() -> list[str]:
    """Reserved equals the open reservations, and neither on hand nor
    available is negative where the company does not allow it."""
    reserved = {
        (r["company_id"], r["product_id"], r["warehouse_id"]): r["q"]
        for r in Reservation.objects.values("company_id", "product_id", "warehouse_id")
        .annotate(q=sum_quantity("quantity"))
        .order_by()
    }
    lenient_companies = set(
        InventorySettings.objects.filter(allow_negative_stock=True).values_list(
            "company_id", flat=True
        )
    )
    lenient_products = set(
        Product.objects.filter(allow_negative_stock=True).values_list("pk", flat=True)
    )
    lenient_warehouses = set(
        Warehouse.objects.filter(allow_negative_stock=True).values_list("pk", flat=True)
    )
    problems = []
    for row in StockBalance.objects.values(
        "company_id", "product_id", "warehouse_id", "on_hand", "reserved"
    ):
        key = (row["company_id"], row["product_id"], row["warehouse_id"])
        where = f"company {key[0]} product {key[1]} warehouse {key[2]}"
        if reserved.get(key, ZERO) != row["reserved"]:
            problems.append(
                f"{where}: reserved {row['reserved']} ≠ reservations "
                f"{reserved.get(key, ZERO)}"
            )
        lenient = (
            key[0] in lenient_companies
            or key[1] in lenient_products
            or key[2] in lenient_warehouses
        )
        if not lenient and row["on_hand"] - row["reserved"] < 0:
            problems.append(
                f"{where}: on hand {row['on_hand']} < reserved {row['reserved']}"
            )
    return problems


@register("inventory.chains_replay")
def chains_replay_to_their_values() -> list[str]:
    """Every move's value and running state is what costing gives when its
    chain is replayed from the first move."""
    problems = []
    for company_id, product_id, warehouse_id, moves in _chains():
        product = Product.objects.get(pk=product_id)
        method = costing_method_of(product)
        items = [
            costing.ChainMove(
                id=m.pk,
                date=m.date,
                quantity=m.quantity,
                value=m.value
                if m.fixed_value or m.kind == MoveKind.TRANSFER_IN
                else ZERO,
                fixed_value=m.fixed_value or m.kind == MoveKind.TRANSFER_IN,
            )
            for m in moves
        ]
        costing.replay(method, costing.ChainState(), items)
        for move, item in zip(moves, items, strict=True):
            if (move.value, move.balance_quantity, move.balance_value) != (
                item.value,
                item.balance_quantity,
                item.balance_value,
            ):
                problems.append(
                    f"company {company_id} product {product_id} warehouse "
                    f"{warehouse_id} move {move.pk}: stored {move.value} / "
                    f"{move.balance_quantity} / {move.balance_value}, replay "
                    f"{item.value} / {item.balance_quantity} / {item.balance_value}"
                )
                break
    return problems


def _chains() -> Iterator[tuple[int, int, int, list[StockMove]]]:
    current: tuple[int, int, int] | None = None
    moves: list[StockMove] = []
    rows = StockMove.objects.order_by(
        "company_id", "product_id", "warehouse_id", "date", "id"
    ).only(
        "company_id",
        "product_id",
        "warehouse_id",
        "date",
        "kind",
        "quantity",
        "value",
        "fixed_value",
        "balance_quantity",
        "balance_value",
    )
    for move in rows.iterator(chunk_size=5000):
        key = (move.company_id, move.product_id, move.warehouse_id)
        if key != current:
            if current is not None:
                yield (*current, moves)
            current, moves = key, []
        moves.append(move)
    if current is not None:
        yield (*current, moves)


@register("inventory.stock_value_equals_ledger")
def stock_value_equals_ledger() -> list[str]:
    """Per company and inventory account: the value of the moves kept on it
    equals its balance in the ledger (opening balance, posted totals, and
    generated vouchers still waiting for review)."""
    problems = []
    groups = (
        StockMove.objects.values("company_id", "warehouse_id", "product__category_id")
        .annotate(v=sum_amount("value"))
        .order_by()
    )
    stock: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    companies: dict[int, Company] = {}
    for group in groups:
        company = companies.get(group["company_id"])
        if company is None:
            company = companies[group["company_id"]] = Company.objects.get(
                pk=group["company_id"]
            )
        account = inventory_account_for(
            company, group["product__category_id"], group["warehouse_id"]
        )
        stock[(company.pk, account.pk)] += group["v"]
    for (company_id, account_id), value in sorted(stock.items()):
        in_ledger = _ledger_balance(company_id, account_id)
        if in_ledger != value:
            problems.append(
                f"company {company_id} account {account_id}: stock value {value} "
                f"≠ ledger {in_ledger}"
            )
    return problems


def _ledger_balance(company_id: int, account_id: int) -> Decimal:
    scope = Q(company_id=company_id, account_id=account_id)
    opening = OpeningBalance.objects.filter(scope).aggregate(
        d=sum_amount("debit"), c=sum_amount("credit")
    )
    posted = PeriodTotal.objects.filter(scope).aggregate(
        d=sum_amount("debit"), c=sum_amount("credit")
    )
    waiting = (
        VoucherLine.objects.filter(scope)
        .filter(voucher__is_generated=True)
        .exclude(voucher__state=VoucherState.POSTED)
        .aggregate(d=sum_amount("debit"), c=sum_amount("credit"))
    )
    return sum(
        (row["d"] - row["c"] for row in (opening, posted, waiting)), Decimal("0.00")
    )
