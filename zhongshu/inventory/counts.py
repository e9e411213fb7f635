"""Stock counts (盘点): the services that write them and the selectors that
read them.

Document: ``StockCount`` (numbered as ``inventory.count``, PD-2026-00001)
with its ``StockCountLine``\\ s. Flow (``models.COUNT_FLOW``)::

    draft ──start──▶ counting ──post──▶ posted
      └──────cancel─────┴──────▶ cancelled

- ``create_count`` names the warehouse and optionally a zone (``Location.zone``)
  and a product category (with its sub-categories); by default it also starts
  the count.
- ``start_count`` freezes the book: one line per product × location × lot
  holding stock in the scope (``StockQuant``), with that quantity as its book
  quantity, and takes the count's number.
- Counting: ``enter_counts`` sets counted quantities of lines by id,
  ``record_counted`` (and ``set_counted`` for one) sets product × location ×
  lot quantities, adding a line with book 0 where the count has none,
  ``scan_barcode`` adds one barcode's quantity (1, or
  its unit's factor) to the product's line at the chosen location, and
  ``zero_uncounted`` says that what nobody counted is not there. Every change
  withdraws the review.
- ``review_count`` requires every line counted and stamps each line's unit
  cost (the current cost of its product in the warehouse); ``post_count``
  refuses a count that is empty or not reviewed.
- ``post_count`` moves the variances: gains in one ``services.receive`` call
  (``MoveKind.GAIN``, valued at the chain's current cost), losses in one
  ``services.issue`` call (``MoveKind.LOSS``, valued by the costing method),
  both against the account role ``stock_gain_loss`` (待处理财产损溢 1901) and
  with the source ``SourceRef("inventory.count", count.id)``: a gain posts
  Dr 1405 库存商品 / Cr 1901, a loss Dr 1901 / Cr 1405. Settling 1901 (to
  营业外收入, 管理费用 or a receivable from whoever is liable) is the
  accountant's decision and a manual voucher. A gain of a product that never
  had stock in the warehouse is valued at its chain's cost there, which is
  zero; the review shows it at 0.00 so the reviewer sees it before posting.

Stock that moves while counting. The book is frozen when counting starts;
sales and receipts go on. The variance posted is **counted − book at the
freeze**, whatever moved since, so on hand after posting is *counted + the
moves since the freeze*: a shelf counted at 8 when the book said 10, from
which 3 were shipped after the freeze, ends at 8 − 3 = 5 — the 3 shipped
were among the 8 counted only if they left before the count reached the
shelf, which is why the count is meant to be taken right after the freeze
(or the warehouse frozen too). ``count_sheet`` shows the moves since the
freeze per line, so the reviewer sees the stock the posting will leave.

Publishes no events of its own; the moves publish ``StockBelowSafety``.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongshu.catalog import selectors as catalog
from zhongshu.catalog.models import Category, Product
from zhongshu.core import audit, clock, documents, numbering
from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.fields import sum_quantity
from zhongshu.core.models import Company, Role
from zhongshu.core.money import round_amount, round_price, to_decimal
from zhongshu.core.permissions import declare
from zhongshu.core.refs import SourceRef
from zhongshu.core.services import require_writable
from zhongshu.core.tenancy import same_company
from zhongshu.inventory import services
from zhongshu.inventory.models import (
    COUNT_FLOW,
    COUNT_NUMBERS,
    CountState,
    Location,
    Lot,
    MoveKind,
    StockBalance,
    StockCount,
    StockCountLine,
    StockMove,
    StockQuant,
    Warehouse,
)
from zhongshu.ledger import services as ledger

SOURCE_KIND = "inventory.count"
GAIN_LOSS_ROLE = "stock_gain_loss"
ZERO = Decimal("0")
ZERO_AMOUNT = Decimal("0.00")

# Who counts, who posts (viewing counts is ``permissions.VIEW_INVENTORY``).
COUNT_STOCK = declare(
    "inventory.count_stock",
    gettext_lazy("Count stock"),
    roles={Role.WAREHOUSE},
    read_only=False,
)
POST_COUNTS = declare(
    "inventory.post_counts",
    gettext_lazy("Review and post stock counts"),
    roles={Role.ACCOUNTANT},
    read_only=False,
)


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


# --- creating and starting ----------


def _check_open(company: Company, date: datetime.date) -> None:
    if ledger.period_for(company, date).is_closed:
        raise _field_error(
            "date",
            _("The period of %(date)s is closed; a count cannot be dated in it.")
            % {"date": date},
        )


def _check_scope(
    company: Company, warehouse: Warehouse, zone: str, category: Category | None
) -> None:
    same_company(company, warehouse, category)
    if not warehouse.is_active:
        raise _field_error(
            "warehouse",
            _("Warehouse %(code)s is inactive.") % {"code": warehouse.code},
        )
    if (
        zone
        and not Location.objects.filter(
            company=company, warehouse=warehouse, zone=zone
        ).exists()
    ):
        raise _field_error(
            "zone",
            _("No location of warehouse %(warehouse)s is in zone %(zone)s.")
            % {"warehouse": warehouse.code, "zone": zone},
        )


@transaction.atomic
def create_count(
    *,
    company: Company,
    actor: User | None,
    warehouse: Warehouse,
    date: datetime.date,
    zone: str = "",
    category: Category | None = None,
    memo: str = "",
    start: bool = True,
) -> StockCount:
    """A count of ``warehouse`` (narrowed to ``zone`` and ``category`` when
    given), started at once unless ``start`` is False (a planned count)."""
    require_writable(company)
    zone = zone.strip()
    _check_scope(company, warehouse, zone, category)
    _check_open(company, date)
    count = StockCount.objects.create(
        company=company,
        date=date,
        warehouse=warehouse,
        zone=zone,
        category=category,
        memo=memo.strip()[:200],
        created_by=actor,
    )
    audit.record(
        company=company,
        actor=actor,
        action="inventory.count_created",
        obj=count,
        changes={
            "warehouse": warehouse.code,
            "zone": zone,
            "category": category.code if category else "",
            "date": date,
        },
    )
    if start:
        count = start_count(count=count, actor=actor)
    return count


def _locked(count: StockCount) -> StockCount:
    return (
        StockCount.objects.select_for_update(of=("self",))
        .select_related("company", "warehouse", "category")
        .get(pk=count.pk, company_id=count.company_id)
    )


def _scope_quants(count: StockCount) -> QuerySet[StockQuant]:
    rows = StockQuant.objects.filter(
        company_id=count.company_id, warehouse_id=count.warehouse_id
    ).exclude(quantity=0)
    if count.zone:
        rows = rows.filter(location__zone=count.zone)
    if count.category is not None:
        rows = rows.filter(
            product__category_id__in=catalog.descendant_ids(
                count.company, count.category
            )
        )
    return rows.order_by("location__code", "product__code", "lot__number")


@transaction.atomic
def start_count(*, count: StockCount, actor: User | None) -> StockCount:
    """Freeze the book of the count's scope and number the count."""
    require_writable(count.company)
    count = _locked(count)
    COUNT_FLOW.require(count.state, CountState.COUNTING)
    company = count.company
    _check_open(company, count.date)
    # Lock the warehouse's balances: every stock writer locks the balances it
    # moves, so no move commits between reading the quants and the last id.
    list(
        StockBalance.objects.select_for_update()
        .filter(company=company, warehouse_id=count.warehouse_id)
        .order_by("product_id", "warehouse_id")
        .values_list("pk", flat=True)
    )
    StockCountLine.objects.bulk_create(
        [
            StockCountLine(
                company=company,
                count=count,
                product_id=quant.product_id,
                location_id=quant.location_id,
                lot_id=quant.lot_id,
                book_quantity=quant.quantity,
            )
            for quant in _scope_quants(count)
        ]
    )
    last_move = StockMove.objects.filter(company=company).aggregate(last=Max("id"))
    count.frozen_move_id = last_move["last"] or 0
    count.number = numbering.take(
        company=company, key=COUNT_NUMBERS.key, on_date=count.date
    )
    documents.change_state(
        count,
        CountState.COUNTING,
        actor=actor,
        extra_fields=("number", "frozen_move_id"),
    )
    return count


@transaction.atomic
def cancel_count(*, count: StockCount, actor: User) -> StockCount:
    """Drop a count that is not posted; its lines stay for the record."""
    require_writable(count.company)
    count = _locked(count)
    COUNT_FLOW.require(count.state, CountState.CANCELLED)
    documents.change_state(count, CountState.CANCELLED, actor=actor)
    return count


# --- counting ----------


def _counting(count: StockCount) -> StockCount:
    """The count, locked, if it is being counted."""
    require_writable(count.company)
    count = _locked(count)
    if count.state != CountState.COUNTING:
        raise ConflictError(
            _("Count %(count)s is not being counted; its quantities are fixed.")
            % {"count": count}
        )
    return count


def _withdraw_review(count: StockCount) -> None:
    if count.reviewed_at is not None:
        count.reviewed_at = None
        count.reviewed_by = None
        count.save(update_fields=["reviewed_at", "reviewed_by"])


def _quantity(product: Product, value: object, field: str) -> Decimal:
    try:
        quantity = to_decimal(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, ArithmeticError) as error:
        raise _field_error(field, _("Enter a number.")) from error
    if quantity < 0:
        raise _field_error(field, _("A counted quantity cannot be negative."))
    try:
        return catalog.to_base_quantity(product, quantity)
    except ValidationError as error:
        raise _field_error(field, error.message) from error


def _stamp(line: StockCountLine, counted: Decimal | None, actor: User | None) -> None:
    line.counted_quantity = counted
    line.counted_at = clock.now() if counted is not None else None
    line.counted_by = actor if counted is not None else None


_COUNTED_FIELDS = ["counted_quantity", "counted_at", "counted_by"]


@transaction.atomic
def enter_counts(
    *,
    count: StockCount,
    actor: User | None,
    quantities: Mapping[int, Decimal | str | None],
) -> list[StockCountLine]:
    """Set the counted quantity (in the base unit) of lines by id; None
    clears one. Returns the lines that changed."""
    count = _counting(count)
    lines = {
        line.pk: line
        for line in StockCountLine.objects.filter(
            company_id=count.company_id, count=count, pk__in=list(quantities)
        ).select_related("product__base_unit")
    }
    if set(quantities) - set(lines):
        raise NotFoundError(_("The count has no such line."))
    changed: list[StockCountLine] = []
    changes: dict[str, list[str | None]] = {}
    for line_id, value in quantities.items():
        line = lines[line_id]
        counted = (
            None
            if value is None or value == ""
            else _quantity(line.product, value, f"lines.{line_id}.counted")
        )
        if counted == line.counted_quantity:
            continue
        changes[str(line_id)] = [
            None if line.counted_quantity is None else str(line.counted_quantity),
            None if counted is None else str(counted),
        ]
        _stamp(line, counted, actor)
        changed.append(line)
    if changed:
        StockCountLine.objects.bulk_update(changed, _COUNTED_FIELDS)
        _withdraw_review(count)
        audit.record(
            company=count.company,
            actor=actor,
            action="inventory.count_entered",
            obj=count,
            changes=changes,
        )
    return changed


def _lot_of(company: Company, product: Product, number: str) -> Lot | None:
    number = number.strip()
    if not number:
        return None
    if not (product.track_lots or product.track_serials or product.track_expiry):
        raise _field_error(
            "lot",
            _("%(product)s is not tracked by lot.") % {"product": product.code},
        )
    lot = Lot.objects.filter(company=company, product=product, number=number).first()
    if lot is None:
        raise _field_error(
            "lot",
            _("%(product)s has no lot %(lot)s.")
            % {"product": product.code, "lot": number},
        )
    return lot


def _needs_lot(product: Product) -> bool:
    return product.track_lots or product.track_serials or product.track_expiry


def _check_in_scope(count: StockCount, product: Product, location: Location) -> None:
    same_company(count.company, product, location)
    if location.warehouse_id != count.warehouse_id:
        raise _field_error(
            "location",
            _("Location %(location)s is not in warehouse %(warehouse)s.")
            % {"location": location.code, "warehouse": count.warehouse.code},
        )
    if count.zone and location.zone != count.zone:
        raise _field_error(
            "location",
            _("Location %(location)s is not in zone %(zone)s, which is counted.")
            % {"location": location.code, "zone": count.zone},
        )
    in_category = count.category is None or product.category_id in (
        catalog.descendant_ids(count.company, count.category)
    )
    if not in_category:
        raise _field_error(
            "product",
            _("%(product)s is not in category %(category)s, which is counted.")
            % {"product": product.code, "category": count.category},
        )


def _line_of(
    count: StockCount, product: Product, location: Location, lot: Lot | None
) -> StockCountLine:
    """The count's line of product × location × lot, added with book 0 when
    the book had none there at the freeze."""
    line, _created = StockCountLine.objects.get_or_create(
        company=count.company,
        count=count,
        product=product,
        location=location,
        lot=lot,
        defaults={"book_quantity": ZERO, "is_added": True},
    )
    return line


@dataclasses.dataclass(frozen=True, slots=True)
class CountedEntry:
    """What was counted of one product at one location (and lot), in the
    product's base unit."""

    product: Product
    location: Location
    quantity: Decimal | str
    lot_number: str = ""


def _prefixed(error: ValidationError, prefix: str) -> ValidationError:
    return ValidationError(
        error.message,
        fields={f"{prefix}{name}": messages for name, messages in error.fields.items()},
    )


def _entry_line(
    count: StockCount, entry: CountedEntry
) -> tuple[StockCountLine, Decimal]:
    product, location = entry.product, entry.location
    _check_in_scope(count, product, location)
    lot = _lot_of(count.company, product, entry.lot_number)
    if lot is None and _needs_lot(product):
        raise _field_error(
            "lot",
            _("%(product)s needs a lot or serial number.") % {"product": product.code},
        )
    counted = _quantity(product, entry.quantity, "quantity")
    return _line_of(count, product, location, lot), counted


def _record(
    count: StockCount,
    actor: User | None,
    entries: Sequence[CountedEntry],
    *,
    prefix: bool,
) -> list[StockCountLine]:
    if not entries:
        raise _field_error("lines", _("Enter at least one counted quantity."))
    lines: list[StockCountLine] = []
    changes: dict[str, list[str | None]] = {}
    for index, entry in enumerate(entries):
        try:
            line, counted = _entry_line(count, entry)
        except ValidationError as error:
            raise (_prefixed(error, f"lines.{index}.") if prefix else error) from None
        old = line.counted_quantity
        if counted != old:
            changes[str(line.pk)] = [None if old is None else str(old), str(counted)]
            _stamp(line, counted, actor)
            line.save(update_fields=_COUNTED_FIELDS)
        lines.append(line)
    if changes:
        _withdraw_review(count)
        audit.record(
            company=count.company,
            actor=actor,
            action="inventory.count_entered",
            obj=count,
            changes=changes,
        )
    return lines


@transaction.atomic
def record_counted(
    *, count: StockCount, actor: User | None, entries: Sequence[CountedEntry]
) -> list[StockCountLine]:
    """Set what was counted of each product × location × lot, adding a line
    (book 0) where the count has none: stock found where the book had none.
    Errors name the entry: ``lines.<index>.<field>``."""
    return _record(_counting(count), actor, entries, prefix=True)


@transaction.atomic
def set_counted(
    *,
    count: StockCount,
    actor: User | None,
    product: Product,
    location: Location,
    quantity: Decimal | str,
    lot_number: str = "",
) -> StockCountLine:
    """``record_counted`` of one product × location × lot."""
    entry = CountedEntry(product, location, quantity, lot_number)
    return _record(_counting(count), actor, [entry], prefix=False)[0]


@dataclasses.dataclass(frozen=True, slots=True)
class ScanResult:
    """What one scan did: ``added`` base units of ``line.product`` counted at
    ``line.location``; ``line.counted_quantity`` is the new total."""

    line: StockCountLine
    added: Decimal
    unit_name: str
    is_new_line: bool


def _scanned_line(
    count: StockCount, product: Product, location: Location, lot_number: str
) -> tuple[StockCountLine, bool]:
    lot = _lot_of(count.company, product, lot_number)
    if lot is None and _needs_lot(product):
        # Without a lot, a product held in a single lot at the location is
        # unambiguous; otherwise the scanner must say which.
        lines = list(
            StockCountLine.objects.filter(
                company_id=count.company_id,
                count=count,
                product=product,
                location=location,
            )[:2]
        )
        if len(lines) != 1:
            raise _field_error(
                "lot",
                _("Enter the lot of %(product)s before scanning it.")
                % {"product": product.code},
            )
        return lines[0], False
    line, created = StockCountLine.objects.get_or_create(
        company=count.company,
        count=count,
        product=product,
        location=location,
        lot=lot,
        defaults={"book_quantity": ZERO, "is_added": True},
    )
    return line, created


@transaction.atomic
def scan_barcode(
    *,
    count: StockCount,
    actor: User | None,
    code: str,
    location: Location,
    lot_number: str = "",
) -> ScanResult:
    """Count what a scanned barcode stands for (one unit, in base units its
    factor) at ``location``. An unknown barcode raises
    ``UnknownBarcodeError`` and counts nothing."""
    count = _counting(count)
    if not code.strip():
        raise _field_error("barcode", _("Scan or type a barcode."))
    product, unit, factor = catalog.find_by_barcode(count.company, code)
    _check_in_scope(count, product, location)
    line, created = _scanned_line(count, product, location, lot_number)
    _stamp(line, (line.counted_quantity or ZERO) + factor, actor)
    line.save(update_fields=_COUNTED_FIELDS)
    _withdraw_review(count)
    line.product = product
    line.location = location
    return ScanResult(line=line, added=factor, unit_name=unit.name, is_new_line=created)


@transaction.atomic
def zero_uncounted(*, count: StockCount, actor: User | None) -> int:
    """Count every line nobody counted as 0 (the stock is not there).
    Returns how many lines that set."""
    count = _counting(count)
    lines = list(
        StockCountLine.objects.filter(
            company_id=count.company_id, count=count, counted_quantity__isnull=True
        )
    )
    for line in lines:
        _stamp(line, ZERO, actor)
    if lines:
        StockCountLine.objects.bulk_update(lines, _COUNTED_FIELDS)
        _withdraw_review(count)
        audit.record(
            company=count.company,
            actor=actor,
            action="inventory.count_zeroed",
            obj=count,
            changes={"lines": len(lines)},
        )
    return len(lines)


# --- review and posting ----------


def current_unit_costs(
    company: Company, warehouse: Warehouse, product_ids: Sequence[int]
) -> dict[int, Decimal]:
    """Each product's cost per unit in the warehouse now: value ÷ on hand,
    or, holding none, the unit cost of its last move (what a gain would be
    valued at)."""
    costs: dict[int, Decimal] = {}
    empty: list[int] = []
    for balance in StockBalance.objects.filter(
        company=company, warehouse=warehouse, product_id__in=product_ids
    ):
        if balance.on_hand > 0:
            costs[balance.product_id] = services.unit_cost_of(balance)
        else:
            empty.append(balance.product_id)
    for product_id in empty:
        last = (
            StockMove.objects.filter(
                company=company, warehouse=warehouse, product_id=product_id
            )
            .order_by("-date", "-id")
            .values_list("unit_cost", flat=True)
            .first()
        )
        costs[product_id] = last if last is not None else ZERO
    return costs


@transaction.atomic
def review_count(*, count: StockCount, actor: User) -> StockCount:
    """Accept the counted quantities for posting: every line must be
    counted. Stamps each line's current unit cost, so the variances shown to
    the reviewer carry a value."""
    count = _counting(count)
    lines = list(
        StockCountLine.objects.filter(company_id=count.company_id, count=count)
    )
    if not lines:
        raise ConflictError(_("The count has no lines; there is nothing to review."))
    uncounted = sum(1 for line in lines if line.counted_quantity is None)
    if uncounted:
        raise ConflictError(
            _(
                "%(lines)s lines are not counted yet: count them or set the "
                "uncounted lines to zero."
            )
            % {"lines": uncounted}
        )
    costs = current_unit_costs(
        count.company, count.warehouse, sorted({line.product_id for line in lines})
    )
    gain, loss = ZERO_AMOUNT, ZERO_AMOUNT
    for line in lines:
        line.unit_cost = round_price(costs.get(line.product_id, ZERO))
        value = round_amount((line.variance or ZERO) * line.unit_cost)
        gain, loss = (gain + value, loss) if value > 0 else (gain, loss - value)
    StockCountLine.objects.bulk_update(lines, ["unit_cost"])
    count.reviewed_at = clock.now()
    count.reviewed_by = actor
    count.save(update_fields=["reviewed_at", "reviewed_by"])
    audit.record(
        company=count.company,
        actor=actor,
        action="inventory.count_reviewed",
        obj=count,
        changes={"gain": gain, "loss": loss},
    )
    return count


def _move_line(
    count: StockCount, line: StockCountLine, quantity: Decimal
) -> services.MoveLine:
    return services.MoveLine(
        product=line.product,
        warehouse=count.warehouse,
        quantity=quantity,
        location=line.location,
        lot=line.lot.number if line.lot else "",
        memo=count.number,
    )


def _gain_loss_counterpart(company: Company) -> services.Counterpart:
    try:
        ledger.resolve_account(company, GAIN_LOSS_ROLE)
    except NotFoundError as error:
        raise ConflictError(
            _(
                "Set the account of the role %(role)s (待处理财产损溢) before "
                "posting a stock count."
            )
            % {"role": GAIN_LOSS_ROLE}
        ) from error
    return services.Counterpart(GAIN_LOSS_ROLE)


def _link_moves(lines: list[StockCountLine], posting: services.Posting) -> None:
    for line, move in zip(lines, posting.moves, strict=True):
        line.move = move
        line.posted_value = move.value
    StockCountLine.objects.bulk_update(lines, ["move", "posted_value"])


@transaction.atomic
def post_count(*, count: StockCount, actor: User) -> StockCount:
    """Move the reviewed variances into stock and the books, dated on the
    count's date: variance = counted − book at the freeze (see the module's
    docstring for stock that moved meanwhile)."""
    require_writable(count.company)
    count = _locked(count)
    COUNT_FLOW.require(count.state, CountState.POSTED)
    company = count.company
    lines = list(
        StockCountLine.objects.filter(company_id=company.pk, count=count)
        .select_related("product", "location", "lot")
        .order_by("location__code", "product__code", "lot__number", "id")
    )
    if not lines:
        raise ConflictError(_("The count has no lines; there is nothing to post."))
    if count.reviewed_at is None:
        raise ConflictError(_("Review the variances before posting the count."))
    _check_open(company, count.date)
    counter = _gain_loss_counterpart(company)
    source = SourceRef(SOURCE_KIND, count.pk)
    gains = [line for line in lines if (line.variance or ZERO) > 0]
    losses = [line for line in lines if (line.variance or ZERO) < 0]
    # Gains first: stock found in one bin and missing from another must not
    # trip the availability check in between.
    if gains:
        posting = services.receive(
            company=company,
            date=count.date,
            lines=[_move_line(count, line, line.variance or ZERO) for line in gains],
            counter=counter,
            source=source,
            kind=MoveKind.GAIN,
            actor=actor,
            summary=_("Stock count %(number)s: gains") % {"number": count.number},
        )
        count.gain_voucher = posting.voucher
        _link_moves(gains, posting)
    if losses:
        posting = services.issue(
            company=company,
            date=count.date,
            lines=[
                _move_line(count, line, -(line.variance or ZERO)) for line in losses
            ],
            counter=counter,
            source=source,
            kind=MoveKind.LOSS,
            actor=actor,
            summary=_("Stock count %(number)s: losses") % {"number": count.number},
        )
        count.loss_voucher = posting.voucher
        _link_moves(losses, posting)
    documents.change_state(
        count,
        CountState.POSTED,
        actor=actor,
        extra_fields=("gain_voucher", "loss_voucher"),
    )
    return count


# --- selectors ----------


def list_counts(
    company: Company, *, state: str = "", warehouse_id: int | None = None
) -> QuerySet[StockCount]:
    """Counts, newest first."""
    rows = StockCount.objects.filter(company=company).select_related(
        "warehouse", "category"
    )
    if state:
        rows = rows.filter(state=state)
    if warehouse_id is not None:
        rows = rows.filter(warehouse_id=warehouse_id)
    return rows.order_by("-date", "-id")


def get_count(company: Company, count_id: int) -> StockCount:
    count = (
        StockCount.objects.filter(company=company, pk=count_id)
        .select_related(
            "company",
            "warehouse",
            "category",
            "counting_by",
            "reviewed_by",
            "posted_by",
            "gain_voucher",
            "loss_voucher",
        )
        .first()
    )
    if count is None:
        raise NotFoundError()
    return count


def list_count_lines(company: Company, count: StockCount) -> QuerySet[StockCountLine]:
    return (
        StockCountLine.objects.filter(company=company, count=count)
        .select_related("product__base_unit", "location", "lot")
        .order_by("location__code", "product__code", "lot__number", "id")
    )


def zones_of(company: Company, warehouse: Warehouse | None = None) -> list[str]:
    """The zones locations are grouped in, for choosing a count's scope."""
    rows = Location.objects.filter(company=company).exclude(zone="")
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    return sorted(set(rows.values_list("zone", flat=True)))


@dataclasses.dataclass(frozen=True, slots=True)
class CountRow:
    line: StockCountLine
    book: Decimal
    counted: Decimal | None
    variance: Decimal | None
    unit_cost: Decimal
    variance_value: Decimal | None
    moved_since: Decimal  # moves of the line's stock since the freeze

    @property
    def on_hand_after(self) -> Decimal | None:
        """What the posting leaves on hand: counted + moves since the freeze."""
        if self.counted is None:
            return None
        return self.counted + self.moved_since


@dataclasses.dataclass(frozen=True, slots=True)
class CountSheet:
    count: StockCount
    rows: list[CountRow]
    uncounted: int
    gain_value: Decimal
    loss_value: Decimal

    @property
    def net_value(self) -> Decimal:
        return self.gain_value - self.loss_value

    @property
    def is_empty(self) -> bool:
        return not self.rows


LineKey = tuple[int, int, int | None]


def _moved_since(company: Company, count: StockCount) -> dict[LineKey, Decimal]:
    if count.state != CountState.COUNTING:
        return {}
    rows = (
        StockMove.objects.filter(
            company=company,
            warehouse_id=count.warehouse_id,
            id__gt=count.frozen_move_id,
        )
        .exclude(source_kind=SOURCE_KIND, source_id=count.pk)
        .values("product_id", "location_id", "lot_id")
        .annotate(total=sum_quantity("quantity"))
    )
    moved: dict[LineKey, Decimal] = defaultdict(Decimal)
    for row in rows:
        moved[(row["product_id"], row["location_id"], row["lot_id"])] += row["total"]
    return moved


def _row_value(
    count: StockCount, line: StockCountLine, variance: Decimal | None, cost: Decimal
) -> Decimal | None:
    if count.state == CountState.POSTED:
        return line.posted_value
    if variance is None:
        return None
    return round_amount(variance * cost)


def count_sheet(company: Company, count: StockCount) -> CountSheet:
    """The count's lines with their variances, valued at the reviewed unit
    costs (the current costs before the review; the posted values after
    posting), and the stock that moved since the freeze."""
    lines = list(list_count_lines(company, count))
    reviewed = count.reviewed_at is not None or count.state == CountState.POSTED
    live_costs = (
        {}
        if reviewed
        else current_unit_costs(
            company, count.warehouse, sorted({line.product_id for line in lines})
        )
    )
    moved = _moved_since(company, count)
    rows: list[CountRow] = []
    gain, loss = ZERO_AMOUNT, ZERO_AMOUNT
    for line in lines:
        cost = line.unit_cost if reviewed else live_costs.get(line.product_id, ZERO)
        variance = line.variance
        value = _row_value(count, line, variance, cost)
        if value is not None and value > 0:
            gain += value
        elif value is not None:
            loss -= value
        rows.append(
            CountRow(
                line=line,
                book=line.book_quantity,
                counted=line.counted_quantity,
                variance=variance,
                unit_cost=round_price(cost),
                variance_value=value,
                moved_since=moved.get(
                    (line.product_id, line.location_id, line.lot_id), ZERO
                ),
            )
        )
    return CountSheet(
        count=count,
        rows=rows,
        uncounted=sum(1 for row in rows if row.counted is None),
        gain_value=gain,
        loss_value=loss,
    )


def scope_label(count: StockCount) -> str:
    """The count's scope in words: 主仓 · zone A · 服装."""
    parts = [str(count.warehouse)]
    if count.zone:
        parts.append(_("zone %(zone)s") % {"zone": count.zone})
    if count.category is not None:
        parts.append(count.category.name)
    return " · ".join(parts)


__all__ = [
    "COUNT_STOCK",
    "POST_COUNTS",
    "CountRow",
    "CountSheet",
    "CountedEntry",
    "ScanResult",
    "cancel_count",
    "count_sheet",
    "create_count",
    "current_unit_costs",
    "enter_counts",
    "get_count",
    "list_count_lines",
    "list_counts",
    "post_count",
    "record_counted",
    "review_count",
    "scan_barcode",
    "scope_label",
    "set_counted",
    "start_count",
    "zero_uncounted",
    "zones_of",
]
