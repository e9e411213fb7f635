"""Stock alerts: what the alerts page lists and the nightly task publishes.

Five kinds, each with its product, warehouse and figures:

- below safety stock: available (on hand − reserved) < ``StockPolicy.safety_stock``
  (a policy with safety stock 0 never alerts);
- above maximum: on hand > ``StockPolicy.maximum_stock``;
- near expiry: a lot in stock whose expiry date is today or within
  ``InventorySettings.expiry_warning_days`` days (today + N is still "near");
- expired: a lot in stock whose expiry date is before today (a lot is good
  through its expiry date);
- not moving: stock on hand whose last move is more than
  ``InventorySettings.stale_after_days`` days ago (exactly N days is not).

Every comparison is strict at the threshold, so equal figures never alert.

``publish_alerts`` publishes one event per alert (``StockBelowSafety``,
``StockAboveMaximum``, ``LotNearExpiry``, ``LotExpired``, ``StockNotMoving``)
at most once per company and day (``StockAlertRun``); the task
``publish_stock_alerts`` runs it for every company holding stock and is meant
to be enqueued nightly.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy
from django_tasks import task

from zhongshu.catalog.models import Product
from zhongshu.core import clock, events
from zhongshu.core.fields import sum_quantity
from zhongshu.core.models import Company
from zhongshu.inventory import selectors
from zhongshu.inventory.events import (
    LotExpired,
    LotNearExpiry,
    StockAboveMaximum,
    StockBelowSafety,
    StockNotMoving,
)
from zhongshu.inventory.models import (
    Lot,
    StockAlertRun,
    StockBalance,
    StockPolicy,
    StockQuant,
    Warehouse,
)

ZERO = Decimal("0")


class AlertKind(models.TextChoices):
    BELOW_SAFETY = "below_safety", gettext_lazy("Below safety stock")
    ABOVE_MAXIMUM = "above_maximum", gettext_lazy("Above maximum stock")
    NEAR_EXPIRY = "near_expiry", gettext_lazy("Expiring soon")
    EXPIRED = "expired", gettext_lazy("Expired")
    NOT_MOVING = "not_moving", gettext_lazy("No movement")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class StockAlert:
    """One alert. ``quantity`` is the figure compared: available stock
    (below safety), on hand (above maximum, not moving) or the lot's stock
    (expiry); ``threshold`` the safety or maximum stock; ``days`` the days
    to expiry (negative once expired) or since the last move."""

    kind: str
    product: Product
    warehouse: Warehouse
    quantity: Decimal
    threshold: Decimal | None = None
    lot: Lot | None = None
    expiry_date: datetime.date | None = None
    last_move_on: datetime.date | None = None
    days: int | None = None

    @property
    def label(self) -> str:
        return str(AlertKind(self.kind).label)


def _policies(
    company: Company, warehouse: Warehouse | None
) -> models.QuerySet[StockPolicy]:
    rows = StockPolicy.objects.filter(
        company=company, product__is_active=True, warehouse__is_active=True
    ).select_related("product__base_unit", "warehouse")
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    return rows.order_by("warehouse__code", "product__code")


def _balances_of(
    company: Company, policies: list[StockPolicy]
) -> dict[tuple[int, int], StockBalance]:
    return {
        (b.product_id, b.warehouse_id): b
        for b in StockBalance.objects.filter(
            company=company,
            product_id__in={p.product_id for p in policies},
            warehouse_id__in={p.warehouse_id for p in policies},
        )
    }


def below_safety(
    company: Company, *, warehouse: Warehouse | None = None
) -> list[StockAlert]:
    policies = list(_policies(company, warehouse).filter(safety_stock__gt=0))
    balances = _balances_of(company, policies)
    alerts = []
    for policy in policies:
        balance = balances.get((policy.product_id, policy.warehouse_id))
        available = balance.available if balance is not None else ZERO
        if available < policy.safety_stock:
            alerts.append(
                StockAlert(
                    kind=AlertKind.BELOW_SAFETY,
                    product=policy.product,
                    warehouse=policy.warehouse,
                    quantity=available,
                    threshold=policy.safety_stock,
                )
            )
    return alerts


def above_maximum(
    company: Company, *, warehouse: Warehouse | None = None
) -> list[StockAlert]:
    policies = list(_policies(company, warehouse).filter(maximum_stock__isnull=False))
    balances = _balances_of(company, policies)
    alerts = []
    for policy in policies:
        balance = balances.get((policy.product_id, policy.warehouse_id))
        on_hand = balance.on_hand if balance is not None else ZERO
        maximum = policy.maximum_stock
        if maximum is not None and on_hand > maximum:
            alerts.append(
                StockAlert(
                    kind=AlertKind.ABOVE_MAXIMUM,
                    product=policy.product,
                    warehouse=policy.warehouse,
                    quantity=on_hand,
                    threshold=maximum,
                )
            )
    return alerts


def _lots_in_stock(
    company: Company,
    warehouse: Warehouse | None,
    *,
    expiring_before: datetime.date | None = None,
    expiring_through: datetime.date | None = None,
    expiring_from: datetime.date | None = None,
) -> list[tuple[Lot, Warehouse, Decimal]]:
    """Lots with stock in a warehouse (summed over its locations) whose
    expiry date is in the range, by expiry date."""
    rows = StockQuant.objects.filter(
        company=company, lot__isnull=False, lot__expiry_date__isnull=False
    )
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    if expiring_before is not None:
        rows = rows.filter(lot__expiry_date__lt=expiring_before)
    if expiring_from is not None:
        rows = rows.filter(lot__expiry_date__gte=expiring_from)
    if expiring_through is not None:
        rows = rows.filter(lot__expiry_date__lte=expiring_through)
    totals = [
        row
        for row in rows.values("lot_id", "warehouse_id").annotate(
            total=sum_quantity("quantity")
        )
        if row["total"] > 0
    ]
    lots = Lot.objects.select_related("product__base_unit").in_bulk(
        [row["lot_id"] for row in totals]
    )
    warehouses = Warehouse.objects.in_bulk([row["warehouse_id"] for row in totals])
    found = [
        (lots[row["lot_id"]], warehouses[row["warehouse_id"]], row["total"])
        for row in totals
    ]
    return sorted(
        found,
        key=lambda item: (item[0].expiry_date, item[1].code, item[0].product.code),
    )


def _expiry_alert(
    kind: str, lot: Lot, warehouse: Warehouse, quantity: Decimal, today: datetime.date
) -> StockAlert:
    assert lot.expiry_date is not None  # noqa: S101 - filtered on above
    return StockAlert(
        kind=kind,
        product=lot.product,
        warehouse=warehouse,
        quantity=quantity,
        lot=lot,
        expiry_date=lot.expiry_date,
        days=(lot.expiry_date - today).days,
    )


def near_expiry(
    company: Company, *, today: datetime.date, warehouse: Warehouse | None = None
) -> list[StockAlert]:
    days = selectors.inventory_settings(company).expiry_warning_days
    return [
        _expiry_alert(AlertKind.NEAR_EXPIRY, lot, where, quantity, today)
        for lot, where, quantity in _lots_in_stock(
            company,
            warehouse,
            expiring_from=today,
            expiring_through=today + datetime.timedelta(days=days),
        )
    ]


def expired(
    company: Company, *, today: datetime.date, warehouse: Warehouse | None = None
) -> list[StockAlert]:
    return [
        _expiry_alert(AlertKind.EXPIRED, lot, where, quantity, today)
        for lot, where, quantity in _lots_in_stock(
            company, warehouse, expiring_before=today
        )
    ]


def not_moving(
    company: Company, *, today: datetime.date, warehouse: Warehouse | None = None
) -> list[StockAlert]:
    days = selectors.inventory_settings(company).stale_after_days
    rows = StockBalance.objects.filter(
        company=company,
        on_hand__gt=0,
        last_date__lt=today - datetime.timedelta(days=days),
    ).select_related("product__base_unit", "warehouse")
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    alerts = []
    for balance in rows.order_by("last_date", "warehouse__code", "product__code"):
        assert balance.last_date is not None  # noqa: S101 - filtered on above
        alerts.append(
            StockAlert(
                kind=AlertKind.NOT_MOVING,
                product=balance.product,
                warehouse=balance.warehouse,
                quantity=balance.on_hand,
                last_move_on=balance.last_date,
                days=(today - balance.last_date).days,
            )
        )
    return alerts


def list_alerts(
    company: Company,
    *,
    today: datetime.date | None = None,
    warehouse: Warehouse | None = None,
    kind: str = "",
) -> list[StockAlert]:
    """Every alert of the company (or of one kind), kind by kind."""
    today = today or clock.today()
    found: list[StockAlert] = []
    if kind in ("", AlertKind.BELOW_SAFETY):
        found += below_safety(company, warehouse=warehouse)
    if kind in ("", AlertKind.ABOVE_MAXIMUM):
        found += above_maximum(company, warehouse=warehouse)
    if kind in ("", AlertKind.EXPIRED):
        found += expired(company, today=today, warehouse=warehouse)
    if kind in ("", AlertKind.NEAR_EXPIRY):
        found += near_expiry(company, today=today, warehouse=warehouse)
    if kind in ("", AlertKind.NOT_MOVING):
        found += not_moving(company, today=today, warehouse=warehouse)
    return found


def alert_counts(alerts: Iterable[StockAlert]) -> dict[str, int]:
    """How many alerts of each kind (every kind present, zero or not)."""
    counts = dict.fromkeys(AlertKind.values, 0)
    for alert in alerts:
        counts[alert.kind] += 1
    return counts


# --- publishing ----------


def _event_of(company: Company, alert: StockAlert, on_date: datetime.date) -> object:
    ids = {
        "company_id": company.pk,
        "product_id": alert.product.pk,
        "warehouse_id": alert.warehouse.pk,
    }
    quantity = str(alert.quantity)
    if alert.kind == AlertKind.BELOW_SAFETY:
        return StockBelowSafety(
            **ids, available=quantity, safety_stock=str(alert.threshold)
        )
    if alert.kind == AlertKind.ABOVE_MAXIMUM:
        return StockAboveMaximum(
            **ids, on_hand=quantity, maximum_stock=str(alert.threshold), on_date=on_date
        )
    if alert.kind in (AlertKind.NEAR_EXPIRY, AlertKind.EXPIRED):
        assert alert.lot is not None  # noqa: S101 - expiry alerts have both
        assert alert.expiry_date is not None  # noqa: S101
        event_type = LotExpired if alert.kind == AlertKind.EXPIRED else LotNearExpiry
        return event_type(
            **ids,
            lot_id=alert.lot.pk,
            quantity=quantity,
            expiry_date=alert.expiry_date,
            on_date=on_date,
        )
    assert alert.last_move_on is not None  # noqa: S101 - not-moving alerts have both
    assert alert.days is not None  # noqa: S101
    return StockNotMoving(
        **ids,
        on_hand=quantity,
        last_move_on=alert.last_move_on,
        days=alert.days,
        on_date=on_date,
    )


@transaction.atomic
def publish_alerts(*, company: Company, on_date: datetime.date) -> int:
    """Publish an event for each alert of ``on_date``, once: a second call
    for the same company and day publishes nothing. Returns how many."""
    try:
        with transaction.atomic():
            run = StockAlertRun.objects.create(company=company, on_date=on_date)
    except IntegrityError:
        return 0  # published already (or being published by a concurrent run)
    alerts = list_alerts(company, today=on_date)
    for alert in alerts:
        events.publish(_event_of(company, alert, on_date))  # type: ignore[arg-type]
    run.published = len(alerts)
    run.save(update_fields=["published"])
    return len(alerts)


@task()
def publish_stock_alerts(on_date: str = "") -> int:
    """The nightly run: ``publish_alerts`` for every company holding stock
    (``on_date`` as YYYY-MM-DD, default today). Idempotent per day."""
    day = datetime.date.fromisoformat(on_date) if on_date else clock.today()
    company_ids = (
        StockBalance.objects.values_list("company_id", flat=True)
        .distinct()
        .order_by("company_id")
    )
    published = 0
    for company in Company.objects.filter(pk__in=list(company_ids)).order_by("pk"):
        published += publish_alerts(company=company, on_date=day)
    return published


__all__ = [
    "AlertKind",
    "StockAlert",
    "above_maximum",
    "alert_counts",
    "below_safety",
    "expired",
    "list_alerts",
    "near_expiry",
    "not_moving",
    "publish_alerts",
    "publish_stock_alerts",
]
