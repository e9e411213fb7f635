"""One row of each scaled field, owned by a company like every project table."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from zhongshu.core.fields import AmountField, PriceField, QuantityField
from zhongshu.core.models import Company


class MoneyRow(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE)
    label = models.CharField(max_length=40, blank=True, default="")
    amount = AmountField(default=Decimal("0.00"))
    price = PriceField(default=Decimal("0"))
    quantity = QuantityField(default=Decimal("0"))
    # Nullable, to prove None round-trips and that SUM over NULLs stays exact.
    discount = AmountField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.label or self.pk}: {self.amount}"
