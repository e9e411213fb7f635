"""Writes of inventory: warehouses and bins, stock moves (receipts, issues,
transfers), reservations and revaluation.

Every move goes through ``_post_moves``: validate everything, lock the
product × warehouse balances in a fixed order, write the moves, replay the
affected costing chains (``inventory.costing``), keep the per-location and
per-warehouse quantities, and post the voucher through the ledger's posting
API — all in one transaction, so a refusal anywhere writes nothing.

The batch entry points (``issue_many``, ``reserve_for``) do what one call per
document does, with the same result in stock and books, in one pass: a sales
run delivering or confirming 25 orders pays for the locks, the replay and the
postings once rather than 25 times. Errors of a batch name the document they
are about (fields keyed ``documents.<i>.…`` or ``requests.<i>.…``).

Events published: ``StockBelowSafety``.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import connections, router, transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from zhongshu.catalog import selectors as catalog
from zhongshu.catalog.models import CostingMethod, Product, Unit
from zhongshu.core import audit, events
from zhongshu.core.bulk import insert_many, update_many
from zhongshu.core.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
    keyed_under,
)
from zhongshu.core.fields import quantity_value
from zhongshu.core.models import Company
from zhongshu.core.money import round_amount, round_price, to_decimal
from zhongshu.core.refs import SourceRef
from zhongshu.core.services import require_writable
from zhongshu.inventory import costing
from zhongshu.inventory.events import StockBelowSafety
from zhongshu.inventory.models import (
    CostAdjustment,
    CostAdjustmentLine,
    InventorySettings,
    Location,
    Lot,
    MoveKind,
    Reservation,
    StockBalance,
    StockMonthTotal,
    StockMove,
    StockPolicy,
    StockQuant,
    Warehouse,
    WarehouseKind,
)
from zhongshu.ledger import services as ledger
from zhongshu.ledger.chart import Role
from zhongshu.ledger.kernel import LineInput
from zhongshu.ledger.models import (
    Account,
    Dimension,
    LedgerSettings,
    Period,
    Voucher,
)

ZERO = Decimal("0")
ZERO_AMOUNT = Decimal("0.00")
ADJUSTMENT_KIND = "inventory.cost_adjustment"

# Kinds that bring stock in, and those that take it out.
IN_KINDS = frozenset(
    {
        MoveKind.OPENING,
        MoveKind.RECEIPT,
        MoveKind.TRANSFER_IN,
        MoveKind.GAIN,
        MoveKind.RETURN_IN,
    }
)
OUT_KINDS = frozenset(
    {MoveKind.ISSUE, MoveKind.TRANSFER_OUT, MoveKind.LOSS, MoveKind.RETURN_OUT}
)


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def _line_error(index: int, field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={f"lines.{index}.{field}": [message]})


def _batch_prefix(batch: str | None, index: int) -> str:
    """How errors name item ``index`` of a batch field (none outside one)."""
    return f"{batch}.{index}." if batch else ""


# --- settings, warehouses and locations ----------


def settings_of(company: Company) -> InventorySettings:
    settings, _created = InventorySettings.objects.get_or_create(company=company)
    return settings


@transaction.atomic
def update_settings(
    *,
    company: Company,
    actor: User,
    allow_negative_stock: bool | None = None,
    stale_after_days: int | None = None,
    expiry_warning_days: int | None = None,
) -> InventorySettings:
    require_writable(company)
    settings = settings_of(company)
    changes: dict[str, object] = {}
    for name, value in (
        ("allow_negative_stock", allow_negative_stock),
        ("stale_after_days", stale_after_days),
        ("expiry_warning_days", expiry_warning_days),
    ):
        if value is not None and getattr(settings, name) != value:
            changes[name] = value
            setattr(settings, name, value)
    if changes:
        settings.save()
        audit.record(
            company=company,
            actor=actor,
            action="inventory.settings_updated",
            obj=settings,
            changes=changes,
        )
    return settings


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class WarehouseData:
    code: str
    name: str
    kind: str = WarehouseKind.WAREHOUSE
    province: str = ""
    city: str = ""
    address: str = ""
    allow_negative_stock: bool = False


def _clean_warehouse(data: WarehouseData) -> WarehouseData:
    code, name = data.code.strip(), data.name.strip()
    if not code:
        raise _field_error("code", _("Enter a code."))
    if not name:
        raise _field_error("name", _("Enter a name."))
    if data.kind not in WarehouseKind.values:
        raise _field_error("kind", _("Unknown warehouse kind."))
    return dataclasses.replace(data, code=code, name=name)


@transaction.atomic
def create_warehouse(
    *, company: Company, actor: User | None, data: WarehouseData
) -> Warehouse:
    """A warehouse (or store) with its default location, so a shop that never
    thinks about bins has one."""
    require_writable(company)
    data = _clean_warehouse(data)
    if Warehouse.objects.filter(company=company, code=data.code).exists():
        raise ConflictError(
            _("A warehouse with code %(code)s already exists.") % {"code": data.code},
            fields={"code": [_("This code is taken.")]},
        )
    warehouse = Warehouse.objects.create(company=company, **dataclasses.asdict(data))
    Location.objects.create(
        company=company,
        warehouse=warehouse,
        code="DEFAULT",
        name=str(_("Default location")),
        is_default=True,
    )
    audit.record(
        company=company,
        actor=actor,
        action="inventory.warehouse_created",
        obj=warehouse,
        changes=dataclasses.asdict(data),
    )
    return warehouse


@transaction.atomic
def update_warehouse(
    *, warehouse: Warehouse, actor: User, data: WarehouseData
) -> Warehouse:
    require_writable(warehouse.company)
    data = _clean_warehouse(data)
    clash = (
        Warehouse.objects.filter(company=warehouse.company, code=data.code)
        .exclude(pk=warehouse.pk)
        .exists()
    )
    if clash:
        raise ConflictError(
            _("A warehouse with code %(code)s already exists.") % {"code": data.code},
            fields={"code": [_("This code is taken.")]},
        )
    values = dataclasses.asdict(data)
    changes = audit.field_changes(
        {name: getattr(warehouse, name) for name in values}, values
    )
    for name, value in dataclasses.asdict(data).items():
        setattr(warehouse, name, value)
    warehouse.save()
    if changes:
        audit.record(
            company=warehouse.company,
            actor=actor,
            action="inventory.warehouse_updated",
            obj=warehouse,
            changes=changes,
        )
    return warehouse


@transaction.atomic
def set_warehouse_active(
    *, warehouse: Warehouse, actor: User, active: bool
) -> Warehouse:
    require_writable(warehouse.company)
    if not active:
        holding = (
            StockBalance.objects.filter(company=warehouse.company, warehouse=warehouse)
            .filter(~Q(on_hand=0) | ~Q(reserved=0))
            .exists()
        )
        if holding:
            raise ConflictError(
                _("The warehouse still holds or promises stock; move it out first.")
            )
    warehouse.is_active = active
    warehouse.save(update_fields=["is_active"])
    audit.record(
        company=warehouse.company,
        actor=actor,
        action="inventory.warehouse_activated"
        if active
        else "inventory.warehouse_deactivated",
        obj=warehouse,
    )
    return warehouse


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LocationData:
    code: str
    name: str = ""
    zone: str = ""
    aisle: str = ""
    rack: str = ""
    level: str = ""
    x: int = 0
    y: int = 0


@transaction.atomic
def add_location(
    *, warehouse: Warehouse, actor: User | None, data: LocationData
) -> Location:
    require_writable(warehouse.company)
    code = data.code.strip()
    if not code:
        raise _field_error("code", _("Enter a code."))
    taken = Location.objects.filter(
        company=warehouse.company, warehouse=warehouse, code=code
    ).exists()
    if taken:
        raise ConflictError(
            _("Location %(code)s already exists in this warehouse.") % {"code": code},
            fields={"code": [_("This code is taken.")]},
        )
    values = dataclasses.asdict(dataclasses.replace(data, code=code))
    location = Location.objects.create(
        company=warehouse.company, warehouse=warehouse, **values
    )
    audit.record(
        company=warehouse.company,
        actor=actor,
        action="inventory.location_added",
        obj=location,
        changes=values,
    )
    return location


@transaction.atomic
def update_location(*, location: Location, actor: User, data: LocationData) -> Location:
    require_writable(location.company)
    code = data.code.strip()
    if not code:
        raise _field_error("code", _("Enter a code."))
    clash = (
        Location.objects.filter(
            company=location.company, warehouse_id=location.warehouse_id, code=code
        )
        .exclude(pk=location.pk)
        .exists()
    )
    if clash:
        raise ConflictError(
            _("Location %(code)s already exists in this warehouse.") % {"code": code},
            fields={"code": [_("This code is taken.")]},
        )
    values = dataclasses.asdict(dataclasses.replace(data, code=code))
    changes = audit.field_changes(
        {name: getattr(location, name) for name in values}, values
    )
    for name, value in values.items():
        setattr(location, name, value)
    location.save()
    if changes:
        audit.record(
            company=location.company,
            actor=actor,
            action="inventory.location_updated",
            obj=location,
            changes=changes,
        )
    return location


@transaction.atomic
def set_stock_policy(
    *,
    company: Company,
    actor: User | None,
    product: Product,
    warehouse: Warehouse,
    safety_stock: Decimal,
    maximum_stock: Decimal | None,
) -> StockPolicy:
    require_writable(company)
    safety_stock = to_decimal(safety_stock)
    if safety_stock < 0:
        raise _field_error("safety_stock", _("Safety stock cannot be negative."))
    if maximum_stock is not None:
        maximum_stock = to_decimal(maximum_stock)
        if maximum_stock < safety_stock:
            raise _field_error(
                "maximum_stock", _("Maximum stock cannot be below safety stock.")
            )
    policy, _created = StockPolicy.objects.update_or_create(
        company=company,
        product=product,
        warehouse=warehouse,
        defaults={"safety_stock": safety_stock, "maximum_stock": maximum_stock},
    )
    audit.record(
        company=company,
        actor=actor,
        action="inventory.stock_policy_set",
        obj=policy,
        changes={"safety_stock": safety_stock, "maximum_stock": maximum_stock},
    )
    return policy


# --- move inputs ----------


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class MoveLine:
    """One line of a receipt or issue as callers give it. ``quantity`` is
    positive and in ``unit`` (the product's base unit when empty); receipts
    give ``unit_cost`` (per ``unit``) or ``value``; issues are valued by
    costing unless they give one (a return at its original cost)."""

    product: Product
    warehouse: Warehouse
    quantity: Decimal
    unit: Unit | None = None
    location: Location | None = None
    lot: str = ""
    expiry_date: datetime.date | None = None
    unit_cost: Decimal | None = None
    value: Decimal | None = None
    memo: str = ""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TransferLine:
    product: Product
    quantity: Decimal
    from_warehouse: Warehouse
    to_warehouse: Warehouse
    unit: Unit | None = None
    from_location: Location | None = None
    to_location: Location | None = None
    lot: str = ""
    memo: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Counterpart:
    """The other side of a move's voucher line: an account (or the role that
    names it) and the dimensions that account requires."""

    account: Account | str
    dimensions: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class Posting:
    moves: list[StockMove]
    voucher: Voucher | None
    adjustments: list[CostAdjustment]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class IssueDocument:
    """One document of ``issue_many``: what ``issue`` takes for it."""

    date: datetime.date
    lines: Sequence[MoveLine]
    counter: Counterpart
    source: SourceRef
    reservation: SourceRef | None = None
    summary: str = ""


@dataclasses.dataclass(slots=True)
class _Spec:
    """A validated move about to be written."""

    kind: str
    product: Product
    warehouse: Warehouse
    location: Location
    lot: Lot | None
    quantity: Decimal  # signed, base unit
    value: Decimal | None  # None: costing decides
    counter: Account | None
    counter_dimensions: dict[str, int]
    memo: str
    pair: int | None = None  # index of a transfer's other half
    line: int = 0  # index of the line it came from, which errors name


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class _Group:
    """The validated moves of one document: one date and source, one voucher."""

    date: datetime.date
    source: SourceRef
    specs: list[_Spec]
    summary: str = ""
    reservation: SourceRef | None = None
    name: str = ""  # the prefix errors about it take in a batch


# --- validation ----------


def _base_quantity(
    index: int, product: Product, quantity: object, unit: Unit | None
) -> tuple[Decimal, Decimal]:
    """The quantity in base units and the factor it was multiplied by."""
    try:
        amount = to_decimal(quantity)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise _line_error(index, "quantity", _("Enter a number.")) from error
    if amount <= 0:
        raise _line_error(
            index, "quantity", _("The quantity must be greater than zero.")
        )
    try:
        return (
            catalog.to_base_quantity(product, amount, unit),
            catalog.factor_of(product, unit),
        )
    except ValidationError as error:
        field = next(iter(error.fields), "quantity")
        raise _line_error(index, field, error.message) from error


def _check_product(index: int, company: Company, product: Product) -> None:
    if product.company_id != company.pk:
        raise NotFoundError(_("Product not found."))
    if not product.is_active:
        raise _line_error(
            index,
            "product",
            _("Product %(code)s is inactive.") % {"code": product.code},
        )


def _default_locations(
    company: Company, warehouses: Iterable[Warehouse]
) -> dict[int, Location]:
    """The default location of each warehouse, in one query (none when no
    warehouse is given)."""
    ids = {w.pk for w in warehouses}
    if not ids:
        return {}
    return {
        location.warehouse_id: location
        for location in Location.objects.filter(
            company=company, warehouse_id__in=ids, is_default=True
        )
    }


def _load_base_units(products: Iterable[Product]) -> None:
    """Give each product its base unit (quantities are rounded to its
    places) in one query, unless the caller loaded them already."""
    field = Product._meta.get_field("base_unit")
    missing = [p for p in products if not field.is_cached(p)]
    if not missing:
        return
    units = Unit.objects.in_bulk({p.base_unit_id for p in missing})
    for product in missing:
        product.base_unit = units[product.base_unit_id]


def _location_of(
    index: int,
    company: Company,
    warehouse: Warehouse,
    location: Location | None,
    defaults: dict[int, Location],
) -> Location:
    if warehouse.company_id != company.pk:
        raise NotFoundError(_("Warehouse not found."))
    if not warehouse.is_active:
        raise _line_error(
            index,
            "warehouse",
            _("Warehouse %(code)s is inactive.") % {"code": warehouse.code},
        )
    if location is None:
        found = defaults.get(warehouse.pk)
        if found is None:  # pragma: no cover - every warehouse is created with one
            raise _line_error(index, "location", _("The warehouse has no location."))
        return found
    if location.company_id != company.pk or location.warehouse_id != warehouse.pk:
        raise _line_error(
            index,
            "location",
            _("Location %(code)s is not in warehouse %(warehouse)s.")
            % {"code": location.code, "warehouse": warehouse.code},
        )
    if not location.is_active:
        raise _line_error(
            index,
            "location",
            _("Location %(code)s is inactive.") % {"code": location.code},
        )
    return location


def _lot_of(
    index: int,
    company: Company,
    product: Product,
    number: str,
    expiry_date: datetime.date | None,
    *,
    create: bool,
) -> Lot | None:
    number = number.strip()
    tracked = product.track_lots or product.track_serials or product.track_expiry
    if not tracked:
        if number:
            raise _line_error(
                index,
                "lot",
                _("%(product)s is not tracked by lot.") % {"product": product.code},
            )
        return None
    if not number:
        raise _line_error(
            index,
            "lot",
            _("%(product)s needs a lot or serial number.") % {"product": product.code},
        )
    lot = Lot.objects.filter(company=company, product=product, number=number).first()
    if lot is not None:
        return lot
    if not create:
        raise _line_error(
            index,
            "lot",
            _("Lot %(lot)s of %(product)s is not in stock.")
            % {"lot": number, "product": product.code},
        )
    if product.track_expiry and expiry_date is None:
        raise _line_error(
            index,
            "expiry_date",
            _("%(product)s needs an expiry date.") % {"product": product.code},
        )
    return Lot.objects.create(
        company=company, product=product, number=number, expiry_date=expiry_date
    )


def _money(index: int, field: str, value: object) -> Decimal:
    try:
        amount = to_decimal(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise _line_error(index, field, _("Enter a number.")) from error
    if amount < 0:
        raise _line_error(index, field, _("The amount cannot be negative."))
    return amount


def _given_value(
    index: int, line: MoveLine, quantity: Decimal, factor: Decimal
) -> Decimal | None:
    if line.value is not None:
        value = _money(index, "value", line.value)
        if value != round_amount(value):
            raise _line_error(
                index, "value", _("An amount has at most 2 decimal places.")
            )
        return value
    if line.unit_cost is not None:
        unit_cost = _money(index, "unit_cost", line.unit_cost)
        return round_amount(unit_cost / factor * quantity)
    return None


def _counter_account(company: Company, counter: Counterpart | None) -> Account | None:
    if counter is None:
        return None
    if isinstance(counter.account, Account):
        if counter.account.company_id != company.pk:
            raise NotFoundError(_("Account not found."))
        return counter.account
    return ledger.resolve_account(company, counter.account)


def _check_open(
    company: Company, date: datetime.date, books: LedgerSettings | None = None
) -> None:
    if ledger.period_for(company, date, books).is_closed:
        raise _closed(date)


def _closed(date: datetime.date) -> ValidationError:
    return _field_error(
        "date",
        _("The period of %(date)s is closed; stock cannot move in it.")
        % {"date": date},
    )


# --- the three entry points ----------


@transaction.atomic
def receive(
    *,
    company: Company,
    date: datetime.date,
    lines: Sequence[MoveLine],
    counter: Counterpart,
    source: SourceRef,
    kind: str = MoveKind.RECEIPT,
    actor: User | None = None,
    summary: str = "",
) -> Posting:
    """Stock in: a receipt, a return in, a gain or opening stock. Each line
    gives its value (``unit_cost`` or ``value``) except gains, which are
    valued at the chain's current cost."""
    if kind not in IN_KINDS or kind == MoveKind.TRANSFER_IN:
        raise ValueError(f"{kind} is not a receipt kind")
    require_writable(company)
    counter_account = _counter_account(company, counter)
    defaults = _default_locations(
        company, (line.warehouse for line in lines if line.location is None)
    )
    _load_base_units(line.product for line in lines)
    specs = []
    for index, line in enumerate(_non_empty(lines)):
        _check_product(index, company, line.product)
        location = _location_of(index, company, line.warehouse, line.location, defaults)
        quantity, factor = _base_quantity(index, line.product, line.quantity, line.unit)
        value = _given_value(index, line, quantity, factor)
        if value is None and kind != MoveKind.GAIN:
            raise _line_error(
                index, "unit_cost", _("Enter the unit cost of the received stock.")
            )
        lot = _lot_of(
            index, company, line.product, line.lot, line.expiry_date, create=True
        )
        specs.append(
            _Spec(
                kind=kind,
                product=line.product,
                warehouse=line.warehouse,
                location=location,
                lot=lot,
                quantity=quantity,
                value=value,
                counter=counter_account,
                counter_dimensions=dict(counter.dimensions),
                memo=line.memo,
                line=index,
            )
        )
    group = _Group(date=date, source=source, specs=specs, summary=summary)
    return _post_moves(company, [group], actor)[0]


@transaction.atomic
def issue(
    *,
    company: Company,
    date: datetime.date,
    lines: Sequence[MoveLine],
    counter: Counterpart,
    source: SourceRef,
    kind: str = MoveKind.ISSUE,
    reservation: SourceRef | None = None,
    actor: User | None = None,
    summary: str = "",
) -> Posting:
    """Stock out at cost: a sale's delivery, a loss, a return out. With
    ``reservation``, the quantity comes out of what that document reserved
    (and may use it); without, only what is available (on hand − reserved)."""
    document = IssueDocument(
        date=date,
        lines=lines,
        counter=counter,
        source=source,
        reservation=reservation,
        summary=summary,
    )
    return _issue(company, [document], kind, actor, batch=None)[0]


@transaction.atomic
def issue_many(
    *,
    company: Company,
    documents: Sequence[IssueDocument],
    kind: str = MoveKind.ISSUE,
    actor: User | None = None,
) -> list[Posting]:
    """``issue`` of each document in turn, all or nothing, in one pass: one
    lock of the balances, one insert of the moves, one replay of the chains
    and one posting call for the documents' vouchers (one each). Stock is
    checked document by document, as the calls one by one would check it.
    Returns a posting per document; the cost adjustments of moves written
    before the batch (a batch dated before them) come with the first. A
    document dated before an earlier one of the batch changes that one's
    cost directly rather than through a cost adjustment: stock, totals and
    books end the same, the vouchers split the cost differently."""
    return _issue(company, documents, kind, actor, batch="documents")


def _issue(
    company: Company,
    documents: Sequence[IssueDocument],
    kind: str,
    actor: User | None,
    *,
    batch: str | None,
) -> list[Posting]:
    if kind not in OUT_KINDS or kind == MoveKind.TRANSFER_OUT:
        raise ValueError(f"{kind} is not an issue kind")
    require_writable(company)
    if not documents:
        return []
    lines = [line for document in documents for line in document.lines]
    defaults = _default_locations(
        company, (line.warehouse for line in lines if line.location is None)
    )
    _load_base_units(line.product for line in lines)
    counters: dict[str | int, Account | None] = {}
    groups = []
    for index, document in enumerate(documents):
        name = _batch_prefix(batch, index)
        with keyed_under(name):
            counter = _cached_counter(company, document.counter, counters)
            specs = _issue_specs(company, document, kind, counter, defaults)
        groups.append(
            _Group(
                date=document.date,
                source=document.source,
                specs=specs,
                summary=document.summary,
                reservation=document.reservation,
                name=name,
            )
        )
    return _post_moves(company, groups, actor)


def _cached_counter(
    company: Company, counter: Counterpart, known: dict[str | int, Account | None]
) -> Account | None:
    """``_counter_account``, resolving each account or role of a batch once."""
    key = counter.account if isinstance(counter.account, str) else counter.account.pk
    if key not in known:
        known[key] = _counter_account(company, counter)
    return known[key]


def _issue_specs(
    company: Company,
    document: IssueDocument,
    kind: str,
    counter: Account | None,
    defaults: dict[int, Location],
) -> list[_Spec]:
    specs = []
    for index, line in enumerate(_non_empty(document.lines)):
        _check_product(index, company, line.product)
        location = _location_of(index, company, line.warehouse, line.location, defaults)
        quantity, factor = _base_quantity(index, line.product, line.quantity, line.unit)
        value = _given_value(index, line, quantity, factor)
        lot = _lot_of(
            index, company, line.product, line.lot, line.expiry_date, create=False
        )
        specs.append(
            _Spec(
                kind=kind,
                product=line.product,
                warehouse=line.warehouse,
                location=location,
                lot=lot,
                quantity=-quantity,
                value=-value if value is not None else None,
                counter=counter,
                counter_dimensions=dict(document.counter.dimensions),
                memo=line.memo,
                line=index,
            )
        )
    return specs


@transaction.atomic
def transfer(
    *,
    company: Company,
    date: datetime.date,
    lines: Sequence[TransferLine],
    source: SourceRef,
    actor: User | None = None,
    summary: str = "",
) -> Posting:
    """Move stock between warehouses or bins at its cost in the sending
    warehouse. A voucher is posted only where the two warehouses keep stock
    on different inventory accounts."""
    require_writable(company)
    defaults = _default_locations(
        company,
        [line.from_warehouse for line in lines if line.from_location is None]
        + [line.to_warehouse for line in lines if line.to_location is None],
    )
    _load_base_units(line.product for line in lines)
    specs: list[_Spec] = []
    for index, line in enumerate(lines):
        _check_product(index, company, line.product)
        source_location = _location_of(
            index, company, line.from_warehouse, line.from_location, defaults
        )
        target_location = _location_of(
            index, company, line.to_warehouse, line.to_location, defaults
        )
        if source_location.pk == target_location.pk:
            raise _line_error(
                index, "to_location", _("Stock cannot move to where it already is.")
            )
        quantity, _factor = _base_quantity(
            index, line.product, line.quantity, line.unit
        )
        lot = _lot_of(index, company, line.product, line.lot, None, create=False)
        out_index = len(specs)
        specs.append(
            _Spec(
                kind=MoveKind.TRANSFER_OUT,
                product=line.product,
                warehouse=line.from_warehouse,
                location=source_location,
                lot=lot,
                quantity=-quantity,
                value=None,
                counter=None,
                counter_dimensions={},
                memo=line.memo,
                line=index,
                pair=out_index + 1,
            )
        )
        specs.append(
            _Spec(
                kind=MoveKind.TRANSFER_IN,
                product=line.product,
                warehouse=line.to_warehouse,
                location=target_location,
                lot=lot,
                quantity=quantity,
                value=ZERO_AMOUNT,  # set from its pair once the pair is valued
                counter=None,
                counter_dimensions={},
                memo=line.memo,
                line=index,
                pair=out_index,
            )
        )
    if not specs:
        raise _field_error("lines", _("Add at least one line."))
    group = _Group(date=date, source=source, specs=specs, summary=summary)
    return _post_moves(company, [group], actor)[0]


def _non_empty(lines: Sequence[MoveLine]) -> Sequence[MoveLine]:
    if not lines:
        raise _field_error("lines", _("Add at least one line."))
    return lines


# --- the write path ----------


ChainKey = tuple[int, int]  # (product id, warehouse id)


def _lock_balances(
    company: Company, keys: Iterable[ChainKey]
) -> dict[ChainKey, StockBalance]:
    """Lock the balance rows, creating any that do not exist yet, with one
    query in a fixed order, so two writers never wait for each other in a
    circle."""
    ordered = sorted(set(keys))
    rows = StockBalance.objects.filter(
        company=company,
        product_id__in={k[0] for k in ordered},
        warehouse_id__in={k[1] for k in ordered},
    )
    present = set(rows.values_list("product_id", "warehouse_id"))
    missing = [key for key in ordered if key not in present]
    if missing:
        # A concurrent writer may insert some of them first; either way they
        # exist afterwards (ours are held by our transaction until commit).
        StockBalance.objects.bulk_create(
            [
                StockBalance(company=company, product_id=key[0], warehouse_id=key[1])
                for key in missing
            ],
            ignore_conflicts=True,
        )
    existing = {
        (row.product_id, row.warehouse_id): row
        for row in rows.select_for_update().order_by("product_id", "warehouse_id")
    }
    return {key: existing[key] for key in ordered}


def _post_moves(
    company: Company, groups: list[_Group], actor: User | None
) -> list[Posting]:
    """Write the documents' moves and post their vouchers, in one pass over
    all of them; returns a posting per group."""
    _check_dates_open(company, groups)
    settings = settings_of(company)
    specs = [spec for group in groups for spec in group.specs]
    balances = _lock_balances(company, ((s.product.pk, s.warehouse.pk) for s in specs))
    available_before = {key: b.on_hand - b.reserved for key, b in balances.items()}
    consumed = _consume_reservations(company, groups)
    _check_available(groups, balances, consumed, settings)
    moves = _write_moves(company, groups, actor)
    every = [move for group_moves in moves for move in group_moves]
    _update_quants(company, groups, settings)
    changed = _revalue(company, balances, every, settings, write_new=False)
    update_many(
        list(balances.values()),
        ["on_hand", "value", "fifo_in", "fifo_out", "last_date", "last_move_id"]
        + (["reserved"] if any(g.reservation for g in groups) else []),
    )
    _add_month_totals(
        company,
        [(m, m.quantity, m.value) for m in every]
        + [(c.move, ZERO, c.move.value - c.old_value) for c in changed],
    )
    vouchers = _post_vouchers(company, groups, moves, actor)
    for group_moves, voucher in zip(moves, vouchers, strict=True):
        for move in group_moves:
            move.voucher = voucher
    update_many(every, [*_CHAIN_FIELDS, "voucher"])
    adjustments = _post_adjustments(company, changed, every[0], actor)
    _publish_alerts(company, balances.values(), available_before)
    return [
        Posting(
            moves=group_moves,
            voucher=voucher,
            adjustments=adjustments if index == 0 else [],
        )
        for index, (group_moves, voucher) in enumerate(
            zip(moves, vouchers, strict=True)
        )
    ]


def _check_dates_open(company: Company, groups: list[_Group]) -> None:
    """Each date's period is open (a period read once for all the dates it
    holds, not per document)."""
    books = ledger.books_of(company)
    periods: list[Period] = []
    for group in groups:
        period = next(
            (p for p in periods if p.start_on <= group.date <= p.end_on), None
        )
        if period is None:
            period = ledger.period_for(company, group.date, books)
            periods.append(period)
        if period.is_closed:
            with keyed_under(group.name):
                raise _closed(group.date)


def _check_available(
    groups: list[_Group],
    balances: dict[ChainKey, StockBalance],
    consumed: list[dict[ChainKey, Decimal]],
    settings: InventorySettings,
) -> None:
    """Availability now, document after document as separate calls would
    see it: each first takes what it uses of its reservation off the
    balance's reserved (in memory; the caller writes the locked rows), then
    its lines come out of what is left. A backdated issue is checked on its
    date by the replay."""
    taken: dict[ChainKey, Decimal] = defaultdict(Decimal)
    for group, used in zip(groups, consumed, strict=True):
        for key, quantity in used.items():
            balances[key].reserved -= quantity
        for spec in group.specs:
            key = (spec.product.pk, spec.warehouse.pk)
            balance = balances[key]
            available = balance.on_hand + taken[key] - balance.reserved
            taken[key] += spec.quantity
            if available + spec.quantity < 0 and not _negative_allowed(settings, spec):
                with keyed_under(group.name):
                    raise _short(spec, available, -spec.quantity)


def _write_moves(
    company: Company, groups: list[_Group], actor: User | None
) -> list[list[StockMove]]:
    """Insert every group's moves with one statement (in group order, so the
    ids run as calls one by one would give them) and pair transfer halves."""
    moves = [
        [
            StockMove(
                company=company,
                date=group.date,
                kind=spec.kind,
                product=spec.product,
                warehouse=spec.warehouse,
                location=spec.location,
                lot=spec.lot,
                quantity=spec.quantity,
                value=spec.value if spec.value is not None else ZERO_AMOUNT,
                fixed_value=spec.value is not None,
                counter_account=spec.counter,
                counter_dimensions=spec.counter_dimensions,
                source_kind=group.source.kind,
                source_id=group.source.id,
                memo=spec.memo[:200],
                created_by=actor,
            )
            for spec in group.specs
        ]
        for group in groups
    ]
    insert_many([move for group in moves for move in group])
    paired = []
    for group, group_moves in zip(groups, moves, strict=True):
        for move, spec in zip(group_moves, group.specs, strict=True):
            if spec.pair is not None:
                move.counterpart = group_moves[spec.pair]
                paired.append(move)
    update_many(paired, ["counterpart"])
    return moves


def _add_month_totals(
    company: Company, entries: list[tuple[StockMove, Decimal, Decimal]]
) -> None:
    """Add each (move, quantity, value) to its month's in or out totals; a
    revaluation adds its value difference only. The chains' balance rows are
    locked, so no one else writes these rows meanwhile."""
    deltas: dict[tuple[int, int, datetime.date], list[Decimal]] = defaultdict(
        lambda: [ZERO, ZERO_AMOUNT, ZERO, ZERO_AMOUNT]
    )
    for move, quantity, value in entries:
        if not quantity and not value:
            continue
        key = (move.product_id, move.warehouse_id, move.date.replace(day=1))
        # A move's side is fixed by its quantity (a value-only move counts in).
        if move.quantity >= 0:
            deltas[key][0] += quantity
            deltas[key][1] += value
        else:
            deltas[key][2] -= quantity
            deltas[key][3] -= value
    if not deltas:
        return
    existing = {
        (row.product_id, row.warehouse_id, row.month): row
        for row in StockMonthTotal.objects.filter(
            company=company,
            product_id__in={k[0] for k in deltas},
            warehouse_id__in={k[1] for k in deltas},
            month__in={k[2] for k in deltas},
        )
    }
    to_update, to_create = [], []
    for key, (in_q, in_v, out_q, out_v) in deltas.items():
        row = existing.get(key)
        if row is None:
            row = StockMonthTotal(
                company=company, product_id=key[0], warehouse_id=key[1], month=key[2]
            )
            to_create.append(row)
        else:
            to_update.append(row)
        row.in_quantity += in_q
        row.in_value += in_v
        row.out_quantity += out_q
        row.out_value += out_v
    StockMonthTotal.objects.bulk_create(to_create)
    update_many(to_update, ["in_quantity", "in_value", "out_quantity", "out_value"])


def _negative_allowed(settings: InventorySettings, spec: _Spec) -> bool:
    return (
        settings.allow_negative_stock
        or spec.warehouse.allow_negative_stock
        or spec.product.allow_negative_stock
    )


def _short(spec: _Spec, available: Decimal, wanted: Decimal) -> ValidationError:
    message = _(
        "Not enough %(product)s in %(warehouse)s: %(available)s available, "
        "%(wanted)s wanted."
    ) % {
        "product": spec.product.code,
        "warehouse": spec.warehouse.code,
        "available": _plain(available),
        "wanted": _plain(wanted),
    }
    # On its line, whole: the row shows what is short and by how much.
    return ValidationError(message, fields={f"lines.{spec.line}.quantity": [message]})


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


QuantKey = tuple[int, int, int, int | None]  # product, warehouse, location, lot


def _update_quants(
    company: Company, groups: list[_Group], settings: InventorySettings
) -> None:
    """Change each bin's (and lot's) quantity by every group's moves: checked
    group after group, as calls one by one would check them, read and
    written once."""
    deltas: list[dict[QuantKey, Decimal]] = []
    negative_ok: dict[QuantKey, bool] = {}
    for group in groups:
        delta: dict[QuantKey, Decimal] = defaultdict(Decimal)
        for spec in group.specs:
            key = (
                spec.product.pk,
                spec.warehouse.pk,
                spec.location.pk,
                spec.lot.pk if spec.lot else None,
            )
            delta[key] += spec.quantity
            negative_ok[key] = _negative_allowed(settings, spec)
        deltas.append(delta)
    # The chains' balance rows are locked, and a location's stock of a product
    # belongs to one chain: read, check and write without anyone between.
    existing = {
        (q.product_id, q.warehouse_id, q.location_id, q.lot_id): q
        for q in StockQuant.objects.filter(
            company=company,
            product_id__in={k[0] for k in negative_ok},
            location_id__in={k[2] for k in negative_ok},
        )
    }
    held = {
        key: existing[key].quantity if key in existing else ZERO for key in negative_ok
    }
    for group, delta in zip(groups, deltas, strict=True):
        for key, change in sorted(delta.items(), key=lambda i: _quant_order(i[0])):
            if held[key] + change < 0 and change < 0 and not negative_ok[key]:
                with keyed_under(group.name):
                    raise _short_at_location(key, held[key], -change)
            held[key] += change
    _save_quants(company, existing, held)


def _quant_order(key: QuantKey) -> tuple[int, int, int]:
    return key[0], key[2], key[3] or 0


def _save_quants(
    company: Company,
    existing: dict[QuantKey, StockQuant],
    held: dict[QuantKey, Decimal],
) -> None:
    changed, created = [], []
    for key in sorted(held, key=_quant_order):
        quant = existing.get(key)
        if quant is None:
            created.append(
                StockQuant(
                    company=company,
                    product_id=key[0],
                    warehouse_id=key[1],
                    location_id=key[2],
                    lot_id=key[3],
                    quantity=held[key],
                )
            )
        else:
            quant.quantity = held[key]
            changed.append(quant)
    StockQuant.objects.bulk_create(created)
    update_many(changed, ["quantity"])


def _short_at_location(
    key: QuantKey, held: Decimal, wanted: Decimal
) -> ValidationError:
    product = Product.objects.get(pk=key[0])
    location = Location.objects.select_related("warehouse").get(pk=key[2])
    lot = Lot.objects.get(pk=key[3]).number if key[3] else "—"
    return ValidationError(
        _(
            "Not enough %(product)s (lot %(lot)s) at %(warehouse)s/%(location)s: "
            "%(held)s there, %(wanted)s wanted."
        )
        % {
            "product": product.code,
            "lot": lot,
            "warehouse": location.warehouse.code,
            "location": location.code,
            "held": _plain(held),
            "wanted": _plain(wanted),
        },
        fields={"quantity": [_("Not enough stock at this location.")]},
    )


# --- revaluation of the chains ----------


@dataclasses.dataclass(slots=True)
class _Changed:
    """A move written before this call whose value the replay changed."""

    move: StockMove
    old_value: Decimal


def _revalue(
    company: Company,
    balances: dict[ChainKey, StockBalance],
    new_moves: list[StockMove],
    settings: InventorySettings,
    *,
    write_new: bool = True,
) -> list[_Changed]:
    """Replay every chain the new moves touch, from the first new move on,
    following transfers into the chains they feed. Without ``write_new``
    the caller writes the new moves' replayed fields itself (with their
    voucher, in the same UPDATE)."""
    new_ids = {m.pk for m in new_moves}
    by_id = {m.pk: m for m in new_moves}
    pending: dict[ChainKey, tuple[datetime.date, int]] = {}
    for move in new_moves:
        key = (move.product_id, move.warehouse_id)
        start = (move.date, move.pk)
        if key not in pending or start < pending[key]:
            pending[key] = start
    changed: dict[int, _Changed] = {}
    dirty: dict[int, StockMove] = {}
    replayed: set[ChainKey] = set()
    methods: dict[int, str] = dict(
        catalog.costing_methods_of(company, {m.product for m in new_moves})
    )
    rounds = 0
    while pending:
        rounds += 1
        if rounds > 10_000:  # pragma: no cover - transfers always move forward
            raise RuntimeError("revaluation does not converge")
        # Chains that send transfers first, so their receivers replay once.
        key = min(pending, key=lambda k: pending[k])
        start = pending.pop(key)
        if key not in balances:
            balances.update(_lock_balances(company, [key]))
        if key in replayed:
            _flush(dirty)  # a second pass reads the first one's rows
        feeds = _replay_chain(
            company,
            key,
            start,
            balances[key],
            _Replay(by_id, changed, new_ids, settings, dirty, methods),
        )
        replayed.add(key)
        for receiver in feeds:
            receiver_key = (receiver.product_id, receiver.warehouse_id)
            receiver_start = (receiver.date, receiver.pk)
            if receiver_key not in pending or receiver_start < pending[receiver_key]:
                pending[receiver_key] = receiver_start
    _flush({pk: m for pk, m in dirty.items() if write_new or pk not in new_ids})
    return list(changed.values())


def _flush(dirty: dict[int, StockMove]) -> None:
    if dirty:
        update_many(list(dirty.values()), _CHAIN_FIELDS)
        dirty.clear()


@dataclasses.dataclass(frozen=True, slots=True)
class _Replay:
    """What the replays of one call share."""

    new_by_id: dict[int, StockMove]
    changed: dict[int, _Changed]
    new_ids: set[int]
    settings: InventorySettings
    dirty: dict[int, StockMove]
    methods: dict[int, str]  # costing method by product id


_CHAIN_FIELDS = [
    "value",
    "unit_cost",
    "balance_quantity",
    "balance_value",
    "fifo_in",
    "fifo_out",
]


def _replay_chain(
    company: Company,
    key: ChainKey,
    start: tuple[datetime.date, int],
    balance: StockBalance,
    replay: _Replay,
) -> list[StockMove]:
    """Replay one chain from ``start``; return the transfer-in moves whose
    value changed because their transfer-out did."""
    new_by_id, changed, new_ids = replay.new_by_id, replay.changed, replay.new_ids
    product = _chain_product(key[0], new_by_id)
    method = replay.methods.get(product.pk)
    if method is None:
        method = replay.methods[product.pk] = catalog.costing_method_of(product)
    before, rows, layers = _chain_from(
        company, key, start, balance, method, new_by_id, product
    )
    items = [
        costing.ChainMove(
            id=row.pk,
            date=row.date,
            quantity=row.quantity,
            value=row.value,
            fixed_value=row.fixed_value,
        )
        for row in rows
    ]
    after = costing.replay(method, before, items, layers)
    to_save: list[StockMove] = []
    feeds: list[StockMove] = []
    for row, item in zip(rows, items, strict=True):
        is_new = row.pk in new_ids
        if not is_new and _same_state(row, item):
            continue
        if row.value != item.value and not is_new and row.pk not in changed:
            changed[row.pk] = _Changed(row, row.value)
        for name in _CHAIN_FIELDS:
            setattr(row, name, getattr(item, name))
        to_save.append(row)
        # Later passes of this call must see this very object, or a second
        # change would be measured against a stale copy.
        new_by_id.setdefault(row.pk, row)
        if row.kind == MoveKind.TRANSFER_OUT and row.counterpart_id:
            receiver = _carry_to_receiver(row, new_by_id, changed, new_ids)
            if receiver is not None:
                feeds.append(receiver)
    replay.dirty.update((row.pk, row) for row in to_save)
    if rows:
        balance.last_date = rows[-1].date
        balance.last_move_id = rows[-1].pk
    balance.value = after.value
    balance.fifo_in = after.fifo_in
    balance.fifo_out = after.fifo_out
    # The chain's quantity and the balance's are the same number kept twice.
    balance.on_hand = after.quantity
    _ensure_never_negative(replay.settings, product, key[1], rows)
    return feeds


def _chain_product(product_id: int, new_by_id: dict[int, StockMove]) -> Product:
    for move in new_by_id.values():
        if move.product_id == product_id:
            return move.product
    return Product.objects.get(pk=product_id)


def _same_state(row: StockMove, item: costing.ChainMove) -> bool:
    return all(getattr(row, name) == getattr(item, name) for name in _CHAIN_FIELDS)


def _chain(company: Company, key: ChainKey) -> QuerySet[StockMove]:
    """The moves of one chain (built only when the database is asked: the
    common case never needs it)."""
    return StockMove.objects.filter(
        company=company, product_id=key[0], warehouse_id=key[1]
    )


def _chain_from(
    company: Company,
    key: ChainKey,
    start: tuple[datetime.date, int],
    balance: StockBalance,
    method: str,
    new_by_id: dict[int, StockMove],
    product: Product,
) -> tuple[costing.ChainState, list[StockMove], list[costing.Layer]]:
    """The chain's state before ``start``, its moves from ``start`` on, and
    (FIFO) the layers laid before ``start`` that are not used up."""
    start_date, start_id = start
    if method == CostingMethod.MONTHLY_AVERAGE:
        # Every issue of the month shares one cost: replay the whole month.
        start_date, start_id = start_date.replace(day=1), 0
    tail_key = (balance.last_date or datetime.date.min, balance.last_move_id)
    fresh = balance.on_hand > 0 or balance.last_date is None
    if (start_date, start_id) > tail_key and fresh:
        # The common case: moves added after the chain's last one. The
        # balance row is the chain's state up to its last move.
        before = costing.ChainState(
            quantity=balance.on_hand,
            value=balance.value,
            fifo_in=balance.fifo_in,
            fifo_out=balance.fifo_out,
            last_unit_cost=(
                balance.value / balance.on_hand if balance.on_hand > 0 else ZERO
            ),
        )
        rows = sorted(
            (m for m in new_by_id.values() if (m.product_id, m.warehouse_id) == key),
            key=lambda m: (m.date, m.pk),
        )
        rows = [m for m in rows if (m.date, m.pk) >= (start_date, start_id)]
    else:
        after_start = Q(date__gt=start_date) | Q(date=start_date, id__gte=start_id)
        previous = (
            _chain(company, key)
            .exclude(after_start)
            .order_by("-date", "-id")
            .values(
                "balance_quantity", "balance_value", "fifo_in", "fifo_out", "unit_cost"
            )
            .first()
        )
        before = costing.ChainState()
        if previous is not None:
            quantity, value = previous["balance_quantity"], previous["balance_value"]
            before = costing.ChainState(
                quantity=quantity,
                value=value,
                fifo_in=previous["fifo_in"],
                fifo_out=previous["fifo_out"],
                last_unit_cost=value / quantity
                if quantity > 0
                else previous["unit_cost"],
            )
        rows = [
            new_by_id.get(row.pk, row)
            for row in _chain(company, key).filter(after_start).order_by("date", "id")
        ]
        for row in rows:
            row.product = product  # the chain's one product, already loaded
    layers: list[costing.Layer] = []
    if method == CostingMethod.FIFO and any(row.quantity < 0 for row in rows):
        older = _chain(company, key).filter(
            Q(date__lt=start_date) | Q(date=start_date, id__lt=start_id)
        )
        layers = [
            costing.Layer(r["fifo_in"] - r["quantity"], r["quantity"], r["value"])
            for r in older.filter(quantity__gt=0, fifo_in__gt=before.fifo_out)
            .order_by("fifo_in")
            .values("fifo_in", "quantity", "value")
        ]
    return before, rows, layers


def _carry_to_receiver(
    sender: StockMove,
    new_by_id: dict[int, StockMove],
    changed: dict[int, _Changed],
    new_ids: set[int],
) -> StockMove | None:
    """A transfer's receiving half is worth what its sending half took."""
    if sender.counterpart_id is None:  # pragma: no cover - transfers have pairs
        return None
    receiver = new_by_id.get(sender.counterpart_id) or StockMove.objects.get(
        pk=sender.counterpart_id
    )
    if receiver.value == -sender.value:
        return None
    if receiver.pk not in new_ids and receiver.pk not in changed:
        changed[receiver.pk] = _Changed(receiver, receiver.value)
    receiver.value = -sender.value
    StockMove.objects.filter(pk=receiver.pk).update(value=receiver.value)
    new_by_id.setdefault(receiver.pk, receiver)
    return receiver


def _ensure_never_negative(
    settings: InventorySettings,
    product: Product,
    warehouse_id: int,
    rows: list[StockMove],
) -> None:
    negative = next((row for row in rows if row.balance_quantity < 0), None)
    if (
        negative is None
        or settings.allow_negative_stock
        or product.allow_negative_stock
    ):
        return
    warehouse = Warehouse.objects.get(pk=warehouse_id)
    if warehouse.allow_negative_stock:
        return
    raise ValidationError(
        _("%(product)s would fall below zero in %(warehouse)s on %(date)s.")
        % {"product": product.code, "warehouse": warehouse.code, "date": negative.date},
        fields={"date": [_("Not enough stock on this date.")]},
    )


# --- vouchers ----------


def _inventory_account(company: Company, move: StockMove) -> Account:
    return inventory_account_for(company, move.product.category_id, move.warehouse_id)


def inventory_account_for(
    company: Company, category_id: int | None, warehouse_id: int
) -> Account:
    """The account stock of a category in a warehouse is kept on: the
    inventory role refined by the category first, then by the warehouse."""
    refinements: list[tuple[str, int]] = []
    if category_id:
        refinements.append(("catalog.category", category_id))
    refinements.append(("inventory.warehouse", warehouse_id))
    return ledger.resolve_account(company, Role.INVENTORY, tuple(refinements))


def _dimensions_for(
    account: Account, move: StockMove, given: dict[str, int]
) -> dict[str, int]:
    dimensions = {k: v for k, v in given.items() if k in account.dimensions}
    if Dimension.PRODUCT in account.dimensions:
        dimensions[Dimension.PRODUCT] = move.product_id
    return dimensions


def _voucher_lines(
    company: Company,
    entries: Iterable[tuple[StockMove, Decimal]],
    summary: str,
    inventories: dict[tuple[int | None, int], Account] | None = None,
) -> list[LineInput]:
    """Lines moving ``delta`` of each move between inventory and the move's
    other side, merged by account and dimensions. ``inventories`` keeps the
    inventory accounts resolved (by category and warehouse) across calls."""
    totals: dict[tuple[int, tuple[tuple[str, int], ...]], Decimal] = defaultdict(
        Decimal
    )
    entries = [(move, delta) for move, delta in entries if delta]
    accounts = _counter_accounts(company, [move for move, _d in entries])
    if inventories is None:
        inventories = {}
    for move, delta in entries:
        where = (move.product.category_id, move.warehouse_id)
        inventory = inventories.get(where)
        if inventory is None:
            inventory = inventories[where] = inventory_account_for(company, *where)
        if move.kind in (MoveKind.TRANSFER_IN, MoveKind.TRANSFER_OUT):
            other = None  # its pair's inventory line is the other side
        else:
            other = accounts.get(move.counter_account_id or 0)
            if other is None:  # pragma: no cover - every non-transfer has one
                raise ValidationError(_("The move has no account for its other side."))
        for account, amount, given in (
            (inventory, delta, {}),
            (other, -delta, move.counter_dimensions),
        ):
            if account is None:
                continue
            accounts[account.pk] = account
            dims = tuple(sorted(_dimensions_for(account, move, given).items()))
            totals[(account.pk, dims)] += amount
    lines = []
    for (account_id, dims), amount in sorted(totals.items()):
        if not amount:
            continue
        lines.append(
            LineInput(
                summary=summary,
                account=accounts[account_id].code,
                debit=amount if amount > 0 else ZERO_AMOUNT,
                credit=-amount if amount < 0 else ZERO_AMOUNT,
                dimensions=dict(dims),
            )
        )
    return lines


def _counter_accounts(company: Company, moves: list[StockMove]) -> dict[int, Account]:
    """The moves' other-side accounts by id: those the moves carry (new
    moves, checked when given) and one query for the rest."""
    field = StockMove._meta.get_field("counter_account")
    accounts: dict[int, Account] = {}
    missing: set[int] = set()
    for move in moves:
        if not move.counter_account_id:
            continue
        if field.is_cached(move) and move.counter_account is not None:
            accounts[move.counter_account_id] = move.counter_account
        else:
            missing.add(move.counter_account_id)
    if missing - accounts.keys():
        accounts.update(
            (account.pk, account)
            for account in Account.objects.filter(
                company=company, pk__in=missing - accounts.keys()
            )
        )
    return accounts


def _default_summary(moves: list[StockMove]) -> str:
    return str(MoveKind(moves[0].kind).label)


def _cost_lines(
    company: Company,
    moves: list[StockMove],
    summary: str,
    inventories: dict[tuple[int | None, int], Account],
) -> list[LineInput]:
    """The lines of a document's voucher (none for opening stock: the
    ledger's opening balances already hold its value)."""
    if moves[0].kind == MoveKind.OPENING:
        return []
    return _voucher_lines(
        company,
        ((m, m.value) for m in moves),
        summary or _default_summary(moves),
        inventories,
    )


def _post_vouchers(
    company: Company,
    groups: list[_Group],
    moves: list[list[StockMove]],
    actor: User | None,
) -> list[Voucher | None]:
    """Each group's voucher (word 转, its source), or None where it has no
    lines. A batch goes through the ledger's bulk path in one call; a lone
    voucher through ``post_voucher``, which costs fewer queries for one."""
    inventories: dict[tuple[int | None, int], Account] = {}
    entries: dict[int, ledger.VoucherEntry] = {}
    for index, (group, group_moves) in enumerate(zip(groups, moves, strict=True)):
        lines = _cost_lines(company, group_moves, group.summary, inventories)
        if lines:
            entries[index] = ledger.VoucherEntry(
                group.date, lines, group.source, word="转"
            )
    vouchers: list[Voucher | None] = [None] * len(groups)
    if len(entries) == 1:
        ((index, entry),) = entries.items()
        vouchers[index] = ledger.post_voucher(
            company=company,
            date=entry.date,
            lines=entry.lines,
            source=entry.source,
            actor=actor,
            word=entry.word,
        )
    elif entries:
        posted = ledger.post_vouchers(
            company=company, entries=list(entries.values()), actor=actor
        )
        for index, voucher in zip(entries, posted, strict=True):
            vouchers[index] = voucher
    return vouchers


def _post_adjustments(
    company: Company, changed: list[_Changed], cause: StockMove, actor: User | None
) -> list[CostAdjustment]:
    """One cost adjustment per period the revalued moves fall in, dated on the
    last of them in that period, posting the differences."""
    if not changed:
        return []
    by_period: dict[int, list[_Changed]] = defaultdict(list)
    periods: dict[tuple[int, int], int] = {}
    for item in changed:
        month = (item.move.date.year, item.move.date.month)
        if month not in periods:  # periods never split a calendar month
            periods[month] = ledger.period_for(company, item.move.date).pk
        by_period[periods[month]].append(item)
    adjustments = []
    for items in by_period.values():
        date = max(item.move.date for item in items)
        adjustment = CostAdjustment.objects.create(
            company=company, date=date, cause=cause
        )
        CostAdjustmentLine.objects.bulk_create(
            [
                CostAdjustmentLine(
                    company=company,
                    adjustment=adjustment,
                    move=item.move,
                    old_value=item.old_value,
                    new_value=item.move.value,
                )
                for item in items
            ]
        )
        lines = _voucher_lines(
            company,
            ((item.move, item.move.value - item.old_value) for item in items),
            str(_("Cost adjustment")),
        )
        if lines:
            adjustment.voucher = ledger.post_voucher(
                company=company,
                date=date,
                lines=lines,
                source=SourceRef(ADJUSTMENT_KIND, adjustment.pk),
                actor=actor,
                word="转",
            )
            adjustment.save(update_fields=["voucher"])
        adjustments.append(adjustment)
    return adjustments


# --- revaluing a receipt ----------


@transaction.atomic
def revalue_receipt(
    *,
    move: StockMove,
    value: Decimal,
    counter: Counterpart,
    source: SourceRef,
    actor: User | None = None,
) -> Posting:
    """Change the value of a receipt (its invoice came in at another price):
    the difference goes to stock for what is still on hand and, through the
    replay, to each later issue's other side (cost of sales) for what left."""
    company = move.company
    require_writable(company)
    if move.quantity <= 0 or not move.fixed_value:
        raise ConflictError(_("Only a receipt with its own value can be revalued."))
    value = to_decimal(value)
    if value < 0 or value != round_amount(value):
        raise _field_error("value", _("Enter an amount of at most 2 decimal places."))
    counter_account = _counter_account(company, counter)
    if counter_account is None:  # pragma: no cover - Counterpart has an account
        raise _field_error("counter", _("Name the account of the difference."))
    settings = settings_of(company)
    balances = _lock_balances(company, [(move.product_id, move.warehouse_id)])
    move = StockMove.objects.select_related("product", "warehouse").get(pk=move.pk)
    difference = value - move.value
    if not difference:
        return Posting(moves=[move], voucher=None, adjustments=[])
    _check_open(company, move.date)
    move.value = value
    StockMove.objects.filter(pk=move.pk).update(value=value)
    changed = _revalue(company, balances, [move], settings)
    for balance in balances.values():
        StockBalance.objects.filter(pk=balance.pk).update(
            value=balance.value, fifo_in=balance.fifo_in, fifo_out=balance.fifo_out
        )
    _add_month_totals(
        company,
        [(move, ZERO, difference)]
        + [(c.move, ZERO, c.move.value - c.old_value) for c in changed],
    )
    inventory = _inventory_account(company, move)
    lines = [
        LineInput(
            summary=str(_("Receipt revalued")),
            account=inventory.code,
            debit=difference,
            dimensions=_dimensions_for(inventory, move, {}),
        ),
        LineInput(
            summary=str(_("Receipt revalued")),
            account=counter_account.code,
            credit=difference,
            dimensions=_dimensions_for(counter_account, move, counter.dimensions),
        ),
    ]
    voucher = ledger.post_voucher(
        company=company,
        date=move.date,
        lines=lines,
        source=source,
        actor=actor,
        word="转",
    )
    adjustments = _post_adjustments(company, changed, move, actor)
    return Posting(moves=[move], voucher=voucher, adjustments=adjustments)


# --- reservations ----------


ReserveLine = tuple[Product, Warehouse, Decimal]


def _reservation_quantity(
    company: Company,
    product: Product,
    warehouse: Warehouse,
    quantity: Decimal,
    *,
    index: int,
    field: str,
) -> Decimal:
    """The checked quantity of one line to reserve (``field`` names it in
    the error)."""
    _check_product(index, company, product)
    if warehouse.company_id != company.pk:
        raise NotFoundError(_("Warehouse not found."))
    quantity = to_decimal(quantity)
    if quantity <= 0:
        raise _field_error(field, _("The quantity must be greater than zero."))
    return quantity


def reserve(
    *,
    company: Company,
    product: Product,
    warehouse: Warehouse,
    quantity: Decimal,
    source: SourceRef,
) -> Reservation:
    """Promise ``quantity`` to ``source`` (``reserve_many`` of one line)."""
    require_writable(company)
    quantity = _reservation_quantity(
        company, product, warehouse, quantity, index=0, field="quantity"
    )
    return reserve_many(
        company=company, lines=[(product, warehouse, quantity)], source=source
    )[0]


@transaction.atomic
def reserve_many(
    *,
    company: Company,
    lines: Sequence[ReserveLine],
    source: SourceRef,
) -> list[Reservation]:
    """Promise each (product, warehouse, quantity) to ``source``, all or
    nothing. Per product × warehouse one conditional UPDATE decides: the row
    changes only while available (on hand − reserved) covers the quantity,
    so two buyers racing for the last units can never both win. Rows are
    touched in (product, warehouse) order, as every stock writer locks them,
    so two writers never wait for each other in a circle. Returns the
    source's reservations of those keys, in that order."""
    return _reserve(company, [(source, lines)], batch=None)[0]


@transaction.atomic
def reserve_for(
    *,
    company: Company,
    requests: Sequence[tuple[SourceRef, Sequence[ReserveLine]]],
) -> list[list[Reservation]]:
    """``reserve_many`` of each (source, lines) in turn, all or nothing, in
    one pass: the quantities of all requests summed per product ×
    warehouse, one conditional UPDATE per key (the same guarantee), one read
    and one insert of the reservation rows. Returns each request's rows."""
    return _reserve(company, requests, batch="requests")


def _reserve(
    company: Company,
    requests: Sequence[tuple[SourceRef, Sequence[ReserveLine]]],
    *,
    batch: str | None,
) -> list[list[Reservation]]:
    require_writable(company)
    objects: dict[ChainKey, tuple[Product, Warehouse]] = {}
    wanted = []
    for index, (_source, lines) in enumerate(requests):
        with keyed_under(_batch_prefix(batch, index)):
            wanted.append(_wanted(company, lines, objects))
    total: dict[ChainKey, Decimal] = defaultdict(Decimal)
    for request in wanted:
        for key, quantity in request.items():
            total[key] += quantity
    if not total:
        return []
    settings = settings_of(company)
    keys = sorted(total)
    allowed = {
        key
        for key in keys
        if settings.allow_negative_stock
        or objects[key][1].allow_negative_stock
        or objects[key][0].allow_negative_stock
    }
    _ensure_balances(company, allowed)
    try:
        with transaction.atomic():
            if _add_reserved_all(company, keys, total, allowed) < len(keys):
                raise _Short
    except _Short:
        # Something is short: key by key, the first short one names itself.
        for key in keys:
            _add_reserved(company, *objects[key], total[key], check=key not in allowed)
    sources = [source for source, _lines in requests]
    return _add_reservations(company, sources, wanted, objects)


def _wanted(
    company: Company,
    lines: Sequence[ReserveLine],
    objects: dict[ChainKey, tuple[Product, Warehouse]],
) -> dict[ChainKey, Decimal]:
    """The checked quantities of one request by (product, warehouse); the
    rows themselves go into ``objects``."""
    wanted: dict[ChainKey, Decimal] = defaultdict(Decimal)
    for index, (product, warehouse, quantity) in enumerate(lines):
        key = (product.pk, warehouse.pk)
        wanted[key] += _reservation_quantity(
            company,
            product,
            warehouse,
            quantity,
            index=index,
            field=f"lines.{index}.quantity",
        )
        objects[key] = (product, warehouse)
    if not wanted:
        raise _field_error("lines", _("Add at least one line."))
    return wanted


def _ensure_balances(company: Company, keys: Iterable[ChainKey]) -> None:
    """Create the balance rows of ``keys`` that do not exist yet (a
    concurrent writer may insert some first; either way they exist after)."""
    wanted = set(keys)
    if not wanted:
        return
    present = set(
        StockBalance.objects.filter(
            company=company,
            product_id__in={k[0] for k in wanted},
            warehouse_id__in={k[1] for k in wanted},
        ).values_list("product_id", "warehouse_id")
    )
    StockBalance.objects.bulk_create(
        [
            StockBalance(company=company, product_id=key[0], warehouse_id=key[1])
            for key in sorted(wanted - present)
        ],
        ignore_conflicts=True,
    )


class _Short(Exception):
    """A reservation's conditional UPDATE changed no row."""


def _add_reserved_all(
    company: Company,
    keys: list[ChainKey],
    total: dict[ChainKey, Decimal],
    allowed: set[ChainKey],
) -> int:
    """``_add_reserved`` for every key in one ``executemany`` round trip, in
    key order (so rows are still taken in the order every stock writer
    takes them); returns how many rows changed — fewer than the keys when
    available stock did not cover one."""
    meta = StockBalance._meta
    connection = connections[router.db_for_write(StockBalance)]
    quote = connection.ops.quote_name
    reserved = meta.get_field("reserved")
    column = quote(str(reserved.column))
    on_hand = quote(str(meta.get_field("on_hand").column))
    # Table and column names are the model's own, never user input.
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {column} = {column} + %s "  # noqa: S608
        "WHERE company_id = %s AND product_id = %s AND warehouse_id = %s "
        f"AND (%s OR {on_hand} >= {column} + %s)"
    )
    rows = []
    for key in keys:
        quantity = reserved.get_db_prep_save(total[key], connection)
        rows.append([quantity, company.pk, *key, key in allowed, quantity])
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        changed: int = cursor.rowcount
    return changed


def _add_reserved(
    company: Company,
    product: Product,
    warehouse: Warehouse,
    quantity: Decimal,
    *,
    check: bool,
) -> None:
    """Add ``quantity`` to the balance's reserved in one UPDATE, which
    (``check``) changes the row only while available covers it."""
    rows = StockBalance.objects.filter(
        company=company, product=product, warehouse=warehouse
    )
    if check:
        rows = rows.filter(on_hand__gte=F("reserved") + quantity_value(quantity))
    if rows.update(reserved=F("reserved") + quantity_value(quantity)) or not check:
        return
    available = (
        StockBalance.objects.filter(
            company=company, product=product, warehouse=warehouse
        )
        .values_list("on_hand", "reserved")
        .first()
    ) or (ZERO, ZERO)
    raise ConflictError(
        _(
            "Only %(available)s of %(product)s available in %(warehouse)s; "
            "%(wanted)s cannot be reserved."
        )
        % {
            "available": _plain(available[0] - available[1]),
            "product": product.code,
            "warehouse": warehouse.code,
            "wanted": _plain(quantity),
        },
        fields={"quantity": [_("Not enough stock available.")]},
    )


def _of_sources(sources: Iterable[SourceRef]) -> Q:
    """Rows of any of ``sources``: one ``source_id IN`` per kind."""
    ids: dict[str, set[int]] = defaultdict(set)
    for source in sources:
        ids[source.kind].add(source.id)
    found = Q()
    for kind, kind_ids in sorted(ids.items()):
        found |= Q(source_kind=kind, source_id__in=sorted(kind_ids))
    return found


ReservationKey = tuple[str, int, int, int]  # source kind and id, product, warehouse


def _add_reservations(
    company: Company,
    sources: list[SourceRef],
    wanted: list[dict[ChainKey, Decimal]],
    objects: dict[ChainKey, tuple[Product, Warehouse]],
) -> list[list[Reservation]]:
    """Add to the sources' reservation rows: one locked read of those that
    exist, one insert of the new ones and one update of the others. Each
    request gets its source's rows of its keys, in key order."""
    existing: dict[ReservationKey, Reservation] = {
        (row.source_kind, row.source_id, row.product_id, row.warehouse_id): row
        for row in Reservation.objects.select_for_update()
        .filter(
            _of_sources(sources),
            company=company,
            product_id__in={key[0] for key in objects},
            warehouse_id__in={key[1] for key in objects},
        )
        .order_by("product_id", "warehouse_id", "source_kind", "source_id")
    }
    result, new, changed = [], [], {}
    for source, request in zip(sources, wanted, strict=True):
        rows = []
        for key in sorted(request):
            row = existing.get((source.kind, source.id, *key))
            if row is None:
                row = existing[(source.kind, source.id, *key)] = Reservation(
                    company=company,
                    source_kind=source.kind,
                    source_id=source.id,
                    quantity=ZERO,
                )
                new.append(row)
            elif row.pk is not None:
                changed[row.pk] = row
            row.quantity += request[key]
            row.product, row.warehouse = objects[key]
            rows.append(row)
        result.append(rows)
    insert_many(new)
    update_many(list(changed.values()), ["quantity"])
    return result


@transaction.atomic
def release(
    *,
    company: Company,
    source: SourceRef,
    product: Product | None = None,
    warehouse: Warehouse | None = None,
    quantity: Decimal | None = None,
) -> Decimal:
    """Give back what ``source`` reserved (all of it, or ``quantity`` of one
    product and warehouse). Returns the quantity released."""
    require_writable(company)
    rows = Reservation.objects.select_for_update().filter(
        company=company, source_kind=source.kind, source_id=source.id, quantity__gt=0
    )
    if product is not None:
        rows = rows.filter(product=product)
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    released = ZERO
    for row in rows.order_by("product_id", "warehouse_id"):
        amount = (
            row.quantity
            if quantity is None
            else min(to_decimal(quantity), row.quantity)
        )
        if amount <= 0:
            continue
        Reservation.objects.filter(pk=row.pk).update(
            quantity=F("quantity") - quantity_value(amount)
        )
        StockBalance.objects.filter(
            company=company, product_id=row.product_id, warehouse_id=row.warehouse_id
        ).update(reserved=F("reserved") - quantity_value(amount))
        released += amount
    return released


def _consume_reservations(
    company: Company, groups: list[_Group]
) -> list[dict[ChainKey, Decimal]]:
    """An issue against a reservation uses it up (as far as it goes) before
    the availability check, so the reserved stock is the issue's own. The
    rows of every group's reservation are read with one locked query and
    used group after group, as calls one by one would use them; returns
    what each group used per (product, warehouse), which the caller takes
    off the balances' ``reserved`` (the rows are locked)."""
    reserving = [group for group in groups if group.reservation is not None]
    if not reserving:
        return [{} for _group in groups]
    keys = {(s.product.pk, s.warehouse.pk) for g in reserving for s in g.specs}
    rows: dict[ReservationKey, Reservation] = {
        (row.source_kind, row.source_id, row.product_id, row.warehouse_id): row
        for row in Reservation.objects.select_for_update()
        .filter(
            _of_sources(g.reservation for g in reserving if g.reservation),
            company=company,
            product_id__in={k[0] for k in keys},
            warehouse_id__in={k[1] for k in keys},
            quantity__gt=0,
        )
        .order_by("product_id", "warehouse_id", "source_kind", "source_id")
    }
    used_up: dict[int, Reservation] = {}
    consumed = [_use_reservation(group, rows, used_up) for group in groups]
    update_many(list(used_up.values()), ["quantity"])
    return consumed


def _use_reservation(
    group: _Group,
    rows: dict[ReservationKey, Reservation],
    used_up: dict[int, Reservation],
) -> dict[ChainKey, Decimal]:
    used: dict[ChainKey, Decimal] = defaultdict(Decimal)
    if group.reservation is None:
        return used
    for spec in group.specs:
        key = (spec.product.pk, spec.warehouse.pk)
        row = rows.get((group.reservation.kind, group.reservation.id, *key))
        if row is None or row.quantity <= 0:
            continue
        amount = min(row.quantity, -spec.quantity)
        row.quantity -= amount
        used[key] += amount
        used_up[row.pk] = row
    return used


# --- alerts ----------


def _publish_alerts(
    company: Company,
    balances: Iterable[StockBalance],
    available_before: dict[ChainKey, Decimal],
) -> None:
    """Tell purchasing when a move took a product below its safety stock
    (once, as it crosses; the daily job repeats what is still below)."""
    rows = list(balances)
    policies = {
        (p.product_id, p.warehouse_id): p
        for p in StockPolicy.objects.filter(
            company=company,
            product_id__in=[b.product_id for b in rows],
            warehouse_id__in=[b.warehouse_id for b in rows],
        )
    }
    for balance in rows:
        policy = policies.get((balance.product_id, balance.warehouse_id))
        if policy is None or policy.safety_stock <= 0:
            continue
        before = available_before[(balance.product_id, balance.warehouse_id)]
        now = balance.on_hand - balance.reserved
        if now < policy.safety_stock <= before:
            events.publish(
                StockBelowSafety(
                    company_id=company.pk,
                    product_id=balance.product_id,
                    warehouse_id=balance.warehouse_id,
                    available=str(balance.on_hand - balance.reserved),
                    safety_stock=str(policy.safety_stock),
                )
            )


def unit_cost_of(balance: StockBalance) -> Decimal:
    """The balance's value per unit (zero when it holds nothing)."""
    if balance.on_hand > 0:
        return round_price(balance.value / balance.on_hand)
    return ZERO
