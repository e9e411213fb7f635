"""Chart-of-accounts templates (product data in ``data/``) and default account
roles per accounting standard."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhongshu.core.models import AccountingStandard

DATA = Path(__file__).resolve().parent / "data"
TEMPLATE_FILES = {
    AccountingStandard.SMALL_ENTERPRISE: DATA / "coa_small_enterprise.csv",
    AccountingStandard.ENTERPRISE: DATA / "coa_enterprise.csv",
}


@dataclass(frozen=True, slots=True)
class TemplateAccount:
    code: str
    name: str
    name_en: str
    category: str
    normal_balance: str
    parent_code: str


@cache
def template(standard: str) -> tuple[TemplateAccount, ...]:
    with TEMPLATE_FILES[AccountingStandard(standard)].open(encoding="utf-8") as f:
        rows = [TemplateAccount(**row) for row in csv.DictReader(f)]
    return tuple(sorted(rows, key=lambda r: r.code))


class Role:
    """Account roles other modules resolve instead of hard-coding codes."""

    CASH = "cash"
    BANK = "bank"
    RECEIVABLE = "receivable"
    ADVANCE_RECEIPTS = "advance_receipts"
    PREPAYMENTS = "prepayments"
    OTHER_RECEIVABLE = "other_receivable"
    INVENTORY = "inventory"
    RAW_MATERIALS = "raw_materials"
    GOODS_IN_TRANSIT = "goods_in_transit"
    GOODS_SHIPPED = "goods_shipped"
    WORK_IN_PROGRESS = "work_in_progress"
    PAYABLE = "payable"
    ESTIMATED_PAYABLE = "estimated_payable"
    OTHER_PAYABLE = "other_payable"
    WAGES_PAYABLE = "wages_payable"
    SOCIAL_INSURANCE_PAYABLE = "social_insurance_payable"
    HOUSING_FUND_PAYABLE = "housing_fund_payable"
    INPUT_VAT = "input_vat"
    OUTPUT_VAT = "output_vat"
    INPUT_VAT_TRANSFERRED_OUT = "input_vat_transferred_out"
    VAT_TRANSFER_OUT = "vat_transfer_out"
    UNPAID_VAT = "unpaid_vat"
    IIT_PAYABLE = "iit_payable"
    SURCHARGES_PAYABLE = "surcharges_payable"
    STOCK_GAIN_LOSS = "stock_gain_loss"
    SALES_REVENUE = "sales_revenue"
    OTHER_REVENUE = "other_revenue"
    COST_OF_SALES = "cost_of_sales"
    TAXES_AND_SURCHARGES = "taxes_and_surcharges"
    SELLING_EXPENSES = "selling_expenses"
    ADMIN_EXPENSES = "admin_expenses"
    FINANCE_EXPENSES = "finance_expenses"
    ROUNDING_DIFFERENCE = "rounding_difference"
    CURRENT_YEAR_PROFIT = "current_year_profit"
    RETAINED_EARNINGS = "retained_earnings"
    PAID_IN_CAPITAL = "paid_in_capital"


R = Role
# What each role means to the people who set it: other modules post to the
# account a role names instead of a hard-coded code.
ROLE_LABELS: dict[str, Promise] = {
    R.CASH: _("Cash"),
    R.BANK: _("Bank deposits"),
    R.RECEIVABLE: _("Accounts receivable"),
    R.ADVANCE_RECEIPTS: _("Advance receipts"),
    R.PREPAYMENTS: _("Prepayments"),
    R.OTHER_RECEIVABLE: _("Other receivables"),
    R.INVENTORY: _("Inventory"),
    R.RAW_MATERIALS: _("Raw materials"),
    R.GOODS_IN_TRANSIT: _("Goods in transit"),
    R.GOODS_SHIPPED: _("Goods shipped, revenue not yet recognised"),
    R.WORK_IN_PROGRESS: _("Work in progress"),
    R.PAYABLE: _("Accounts payable"),
    R.ESTIMATED_PAYABLE: _("Estimated payables (goods received, not invoiced)"),
    R.OTHER_PAYABLE: _("Other payables"),
    R.WAGES_PAYABLE: _("Wages payable"),
    R.SOCIAL_INSURANCE_PAYABLE: _("Social insurance payable"),
    R.HOUSING_FUND_PAYABLE: _("Housing fund payable"),
    R.INPUT_VAT: _("Input VAT"),
    R.OUTPUT_VAT: _("Output VAT"),
    R.INPUT_VAT_TRANSFERRED_OUT: _("Input VAT transferred out"),
    R.VAT_TRANSFER_OUT: _("Unpaid VAT transferred out"),
    R.UNPAID_VAT: _("Unpaid VAT"),
    R.IIT_PAYABLE: _("Individual income tax payable"),
    R.SURCHARGES_PAYABLE: _("Surcharges payable"),
    R.STOCK_GAIN_LOSS: _("Stock gains and losses pending"),
    R.SALES_REVENUE: _("Sales revenue"),
    R.OTHER_REVENUE: _("Other revenue"),
    R.COST_OF_SALES: _("Cost of sales"),
    R.TAXES_AND_SURCHARGES: _("Taxes and surcharges"),
    R.SELLING_EXPENSES: _("Selling expenses"),
    R.ADMIN_EXPENSES: _("Administrative expenses"),
    R.FINANCE_EXPENSES: _("Finance expenses"),
    R.ROUNDING_DIFFERENCE: _("Rounding differences"),
    R.CURRENT_YEAR_PROFIT: _("Profit of the year"),
    R.RETAINED_EARNINGS: _("Retained earnings"),
    R.PAID_IN_CAPITAL: _("Paid-in capital"),
}


def role_label(role: str) -> str:
    """The role's label in the active language; a role without one (set by
    a module that adds roles) reads as its key with spaces."""
    label = ROLE_LABELS.get(role)
    return str(label) if label is not None else role.replace("_", " ")


_COMMON_ROLES = {
    Role.CASH: "1001",
    Role.BANK: "1002",
    Role.RECEIVABLE: "1122",
    Role.ADVANCE_RECEIPTS: "2203",
    Role.PREPAYMENTS: "1123",
    Role.OTHER_RECEIVABLE: "1221",
    Role.INVENTORY: "1405",
    Role.RAW_MATERIALS: "1403",
    Role.GOODS_IN_TRANSIT: "1402",
    Role.GOODS_SHIPPED: "1406",
    Role.PAYABLE: "2202",
    Role.ESTIMATED_PAYABLE: "2202",
    Role.OTHER_PAYABLE: "2241",
    Role.WAGES_PAYABLE: "221101",
    Role.SOCIAL_INSURANCE_PAYABLE: "22110401",
    Role.HOUSING_FUND_PAYABLE: "221105",
    Role.INPUT_VAT: "22210101",
    Role.OUTPUT_VAT: "22210107",
    Role.INPUT_VAT_TRANSFERRED_OUT: "22210109",
    Role.VAT_TRANSFER_OUT: "22210104",
    Role.UNPAID_VAT: "222102",
    Role.IIT_PAYABLE: "222116",
    Role.SURCHARGES_PAYABLE: "222112",
    Role.STOCK_GAIN_LOSS: "1901",
}

DEFAULT_ROLES: dict[str, dict[str, str]] = {
    AccountingStandard.SMALL_ENTERPRISE: {
        **_COMMON_ROLES,
        Role.WORK_IN_PROGRESS: "4001",
        Role.SALES_REVENUE: "5001",
        Role.OTHER_REVENUE: "5051",
        Role.COST_OF_SALES: "5401",
        Role.TAXES_AND_SURCHARGES: "5403",
        Role.SELLING_EXPENSES: "5601",
        Role.ADMIN_EXPENSES: "5602",
        Role.FINANCE_EXPENSES: "5603",
        Role.ROUNDING_DIFFERENCE: "5603",
        Role.CURRENT_YEAR_PROFIT: "3103",
        Role.RETAINED_EARNINGS: "310405",
        Role.PAID_IN_CAPITAL: "3001",
    },
    AccountingStandard.ENTERPRISE: {
        **_COMMON_ROLES,
        Role.WORK_IN_PROGRESS: "5001",
        Role.SALES_REVENUE: "6001",
        Role.OTHER_REVENUE: "6051",
        Role.COST_OF_SALES: "6401",
        Role.TAXES_AND_SURCHARGES: "6403",
        Role.SELLING_EXPENSES: "6601",
        Role.ADMIN_EXPENSES: "6602",
        Role.FINANCE_EXPENSES: "6603",
        Role.ROUNDING_DIFFERENCE: "6603",
        Role.CURRENT_YEAR_PROFIT: "4103",
        Role.RETAINED_EARNINGS: "410405",
        Role.PAID_IN_CAPITAL: "4001",
    },
}
