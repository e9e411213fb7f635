"""Facts core publishes through ``core.events`` for higher modules to react to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanyCreated:
    company_id: int
    accounting_standard: str
