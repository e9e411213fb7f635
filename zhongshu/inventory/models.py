"""Tables of inventory.

``StockMove`` is the single source of truth. ``StockBalance`` (product ×
warehouse) and ``StockQuant`` (product × location × lot) are derived from the
moves in the same transaction that writes them. A balance row is also the
tail state of its costing chain (the product's moves in that warehouse in
date order) and the row a writer locks; see ``inventory.costing``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongshu.catalog.models import Product
from zhongshu.core.fields import AmountField, PriceField, QuantityField
from zhongshu.core.models import Company
from zhongshu.ledger.models import Account, Voucher

ZERO_QUANTITY = Decimal("0")
ZERO_AMOUNT = Decimal("0.00")


class InventorySettings(models.Model):
    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    allow_negative_stock = models.BooleanField(_("allow negative stock"), default=False)
    stale_after_days = models.PositiveIntegerField(
        _("no movement alert after (days)"), default=90
    )
    expiry_warning_days = models.PositiveIntegerField(
        _("expiry alert before (days)"), default=30
    )

    class Meta:
        verbose_name = _("inventory settings")
        verbose_name_plural = _("inventory settings")

    def __str__(self) -> str:
        return f"inventory settings of {self.company_id}"


class WarehouseKind(models.TextChoices):
    WAREHOUSE = "warehouse", _("Warehouse")
    STORE = "store", _("Store")


class Warehouse(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=WarehouseKind.choices,
        default=WarehouseKind.WAREHOUSE,
    )
    # GB/T 2260 codes (regions_cn.csv); regional analysis reads them.
    province = models.CharField(_("province"), max_length=12, blank=True, default="")
    city = models.CharField(_("city"), max_length=12, blank=True, default="")
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    allow_negative_stock = models.BooleanField(_("allow negative stock"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering: ClassVar = ["company", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["company", "code"], name="warehouse_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Location(models.Model):
    """A bin (货位). Every warehouse has exactly one default location, which
    is where stock goes when nobody names a bin."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.CASCADE, related_name="locations"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100, blank=True, default="")
    zone = models.CharField(_("zone"), max_length=20, blank=True, default="")
    aisle = models.CharField(_("aisle"), max_length=20, blank=True, default="")
    rack = models.CharField(_("rack"), max_length=20, blank=True, default="")
    level = models.CharField(_("level"), max_length=20, blank=True, default="")
    x = models.IntegerField(_("x (cm)"), default=0)
    y = models.IntegerField(_("y (cm)"), default=0)
    is_default = models.BooleanField(_("default location"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering: ClassVar = ["warehouse", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "warehouse", "code"], name="location_code"
            ),
            models.UniqueConstraint(
                fields=["company", "warehouse"],
                condition=models.Q(is_default=True),
                name="one_default_location",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Lot(models.Model):
    """A lot or a serial number (a serial is a lot of one)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("lot number"), max_length=60)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "product", "number"], name="lot_number"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["company", "expiry_date"])]

    def __str__(self) -> str:
        return self.number


class MoveKind(models.TextChoices):
    OPENING = "opening", _("Opening stock")
    RECEIPT = "receipt", _("Receipt")
    ISSUE = "issue", _("Issue")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    GAIN = "gain", _("Stock gain")
    LOSS = "loss", _("Stock loss")
    RETURN_IN = "return_in", _("Return in")
    RETURN_OUT = "return_out", _("Return out")
    REVALUATION = "revaluation", _("Revaluation")


class StockMove(models.Model):
    """One quantity of one product entering (+) or leaving (−) one location.

    ``value`` is what the move adds to stock value (negative when leaving).
    Moves with ``fixed_value`` keep the value their document gave them
    (receipts, returns at original cost); the others are valued by the
    costing method and revalued when an earlier move changes their chain.
    ``balance_*`` and ``fifo_*`` are the state of the chain after this move.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=MoveKind.choices)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = QuantityField(_("quantity"))
    unit_cost = PriceField(_("unit cost"), default=Decimal("0"))
    value = AmountField(_("value"), default=ZERO_AMOUNT)
    fixed_value = models.BooleanField(default=False)
    balance_quantity = QuantityField(_("balance quantity"), default=ZERO_QUANTITY)
    balance_value = AmountField(_("balance value"), default=ZERO_AMOUNT)
    fifo_in = QuantityField(default=ZERO_QUANTITY)
    fifo_out = QuantityField(default=ZERO_QUANTITY)
    # Where the other side of the value goes (cost of sales, 暂估应付,
    # 待处理财产损溢 ...); a transfer's other side is its counterpart move.
    counter_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    counter_dimensions = models.JSONField(default=dict, blank=True)
    counterpart = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_kind = models.CharField(_("source document type"), max_length=40)
    source_id = models.PositiveBigIntegerField(_("source document id"))
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        indexes: ClassVar = [
            # the costing chain, and a SKU's stock ledger
            models.Index(
                fields=["company", "product", "warehouse", "date", "id"],
                name="move_chain",
            ),
            models.Index(fields=["company", "warehouse", "date"], name="move_wh_date"),
            models.Index(fields=["company", "date"], name="move_date"),
            models.Index(
                fields=["company", "source_kind", "source_id"], name="move_source"
            ),
            models.Index(
                fields=["company", "product", "warehouse", "fifo_in"],
                name="move_fifo_layer",
            ),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~models.Q(quantity=0) | models.Q(kind="revaluation"),
                name="move_quantity_not_zero",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.product_id}×{self.quantity}@{self.warehouse_id}"


class StockBalance(models.Model):
    """On hand, reserved and value of a product in a warehouse, and the tail
    state of its costing chain."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    on_hand = QuantityField(_("on hand"), default=ZERO_QUANTITY)
    reserved = QuantityField(_("reserved"), default=ZERO_QUANTITY)
    value = AmountField(_("value"), default=ZERO_AMOUNT)
    fifo_in = QuantityField(default=ZERO_QUANTITY)
    fifo_out = QuantityField(default=ZERO_QUANTITY)
    last_date = models.DateField(null=True, blank=True)
    last_move_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "product", "warehouse"], name="stock_balance_key"
            ),
            models.CheckConstraint(
                condition=models.Q(reserved__gte=0), name="reserved_not_negative"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["company", "warehouse"], name="balance_wh"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}: {self.on_hand}"

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class StockQuant(models.Model):
    """On hand of a product at one location, per lot."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = QuantityField(_("quantity"), default=ZERO_QUANTITY)

    class Meta:
        verbose_name = _("stock at location")
        verbose_name_plural = _("stock at locations")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "product", "location", "lot"],
                name="quant_key",
            ),
            models.UniqueConstraint(
                fields=["company", "product", "location"],
                condition=models.Q(lot__isnull=True),
                name="quant_key_no_lot",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["company", "warehouse", "product"], name="quant_wh"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.location_id}/{self.lot_id}: {self.quantity}"


class StockMonthTotal(models.Model):
    """Quantity and value in and out of a product × warehouse in one month,
    kept with the moves (and their revaluations) so period reports sum a
    few rows per SKU instead of every move — as ledger.PeriodTotal does."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # the first day
    in_quantity = QuantityField(default=ZERO_QUANTITY)
    in_value = AmountField(default=ZERO_AMOUNT)
    out_quantity = QuantityField(default=ZERO_QUANTITY)
    out_value = AmountField(default=ZERO_AMOUNT)

    class Meta:
        verbose_name = _("monthly stock total")
        verbose_name_plural = _("monthly stock totals")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "product", "warehouse", "month"],
                name="stock_month_total_key",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["company", "month"], name="month_total_month"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id} {self.month:%Y-%m}"


class Reservation(models.Model):
    """Stock promised to a document (a sales order line) and not yet issued."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField(_("reserved quantity"), default=ZERO_QUANTITY)
    source_kind = models.CharField(_("source document type"), max_length=40)
    source_id = models.PositiveBigIntegerField(_("source document id"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "source_kind", "source_id", "product", "warehouse"],
                name="reservation_key",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0),
                name="reservation_not_negative",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["company", "product", "warehouse"], name="resv_sku"),
        ]

    def __str__(self) -> str:
        return f"{self.source_kind}#{self.source_id}: {self.quantity}"


class CostAdjustment(models.Model):
    """出库成本调整单: the revaluation of moves that an earlier move (a
    backdated receipt, a receipt revalued by its invoice) changed; its voucher
    moves the difference between inventory and each move's other side."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    cause = models.ForeignKey(
        StockMove, on_delete=models.PROTECT, related_name="+", verbose_name=_("cause")
    )
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cost adjustment")
        verbose_name_plural = _("cost adjustments")
        indexes: ClassVar = [models.Index(fields=["company", "date"])]

    def __str__(self) -> str:
        return f"cost adjustment {self.pk}"


class CostAdjustmentLine(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    adjustment = models.ForeignKey(
        CostAdjustment, on_delete=models.CASCADE, related_name="lines"
    )
    move = models.ForeignKey(StockMove, on_delete=models.PROTECT, related_name="+")
    old_value = AmountField(_("old value"))
    new_value = AmountField(_("new value"))

    class Meta:
        verbose_name = _("cost adjustment line")
        verbose_name_plural = _("cost adjustment lines")
        indexes: ClassVar = [models.Index(fields=["company", "move"])]

    def __str__(self) -> str:
        return f"{self.move_id}: {self.old_value} → {self.new_value}"


class StockPolicy(models.Model):
    """Safety and maximum stock of a product in a warehouse (alerts and
    replenishment read them)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="+")
    safety_stock = QuantityField(_("safety stock"), default=ZERO_QUANTITY)
    maximum_stock = QuantityField(
        _("maximum stock"), null=True, blank=True, default=None
    )

    class Meta:
        verbose_name = _("stock policy")
        verbose_name_plural = _("stock policies")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "product", "warehouse"], name="stock_policy_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}"


# --- stock counts (盘点) ----------
# The document and its flow live here, next to each other, so the flow is
# registered whenever the models are loaded (the system check wants one for
# every ``state`` field); the services are in ``inventory.counts``.


class CountState(models.TextChoices):
    DRAFT = "draft", _("draft")
    COUNTING = "counting", _("counting")
    POSTED = "posted", _("posted")
    CANCELLED = "cancelled", _("cancelled")


class StockCount(models.Model):
    """A stock count (盘点单) of one warehouse, optionally narrowed to a zone
    and a product category. Starting it freezes the book quantities of its
    scope into lines; posting it moves the variances into stock and the
    books (待处理财产损溢)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=40, blank=True, default="")
    date = models.DateField(_("count date"))
    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    zone = models.CharField(_("zone"), max_length=20, blank=True, default="")
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product category"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CountState.choices, default=CountState.DRAFT
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True, default="")
    # The book was frozen when the count started; moves with a higher id
    # happened after it (the freeze locks the warehouse's balances, so no
    # move commits in between with a lower id).
    frozen_move_id = models.BigIntegerField(default=0)
    counting_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    counting_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    gain_voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    loss_voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "number"],
                condition=~models.Q(number=""),
                name="stock_count_number",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["company", "state", "date"], name="count_state"),
            models.Index(fields=["company", "warehouse", "date"], name="count_wh"),
        ]

    def __str__(self) -> str:
        return self.number or f"Draft #{self.pk}"


class StockCountLine(models.Model):
    """One product × location × lot of a count: the book quantity frozen
    when counting started (0 for a line added while counting) and what was
    counted. ``unit_cost`` is stamped by the review; ``move`` and
    ``posted_value`` by the posting."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    count = models.ForeignKey(
        StockCount, on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    book_quantity = QuantityField(_("book quantity"), default=ZERO_QUANTITY)
    counted_quantity = QuantityField(
        _("counted quantity"), null=True, blank=True, default=None
    )
    is_added = models.BooleanField(_("added while counting"), default=False)
    unit_cost = PriceField(_("unit cost"), default=Decimal("0"))
    move = models.ForeignKey(
        StockMove, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    posted_value = AmountField(_("posted value"), default=ZERO_AMOUNT)
    counted_at = models.DateTimeField(null=True, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stock count line")
        verbose_name_plural = _("stock count lines")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "count", "product", "location", "lot"],
                name="count_line_key",
            ),
            models.UniqueConstraint(
                fields=["company", "count", "product", "location"],
                condition=models.Q(lot__isnull=True),
                name="count_line_key_no_lot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.location_id}/{self.lot_id}"

    @property
    def variance(self) -> Decimal | None:
        """Counted − book; None while not counted."""
        if self.counted_quantity is None:
            return None
        return self.counted_quantity - self.book_quantity


class StockAlertRun(models.Model):
    """That the nightly alerts of one day were published for a company, so a
    second run of the task that day publishes nothing again."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    on_date = models.DateField(_("date"))
    published = models.PositiveIntegerField(_("events published"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stock alert run")
        verbose_name_plural = _("stock alert runs")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["company", "on_date"], name="stock_alert_run_day"
            )
        ]

    def __str__(self) -> str:
        return f"alerts of {self.company_id} on {self.on_date}"


# Below the models it names; importing core's document and numbering kits at
# the top would mean editing the shared head of this file.
from zhongshu.core import documents, numbering  # noqa: E402

COUNT_NUMBERS = numbering.declare(
    "inventory.count",
    _("Stock count"),
    default_pattern="PD-{year}-{seq:05d}",
)
COUNT_FLOW = documents.register_flow(
    StockCount,
    documents.StateFlow(
        {
            CountState.DRAFT: {CountState.COUNTING, CountState.CANCELLED},
            CountState.COUNTING: {CountState.POSTED, CountState.CANCELLED},
        }
    ),
)
