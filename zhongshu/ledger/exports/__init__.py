"""Reports to Excel and vouchers and reports to PDF.

Pages and API endpoints call a selector for the data, then one of these for
the bytes to send (``application/vnd.openxmlformats-officedocument.
spreadsheetml.sheet`` or ``application/pdf``): a report's own writer, or its
``*_table`` builder (which takes the selector's result as it is) and
``table_xlsx`` / ``table_pdf``.
"""

from zhongshu.ledger.exports.excel import (
    account_detail_xlsx,
    dimension_balances_xlsx,
    general_ledger_xlsx,
    statement_xlsx,
    table_xlsx,
    trial_balance_xlsx,
    voucher_summary_xlsx,
    vouchers_xlsx,
)
from zhongshu.ledger.exports.pdf import (
    account_detail_pdf,
    dimension_balances_pdf,
    general_ledger_pdf,
    report_pdf,
    statement_pdf,
    table_pdf,
    trial_balance_pdf,
    voucher_pdf,
    voucher_summary_pdf,
)
from zhongshu.ledger.exports.tables import (
    Column,
    Kind,
    Row,
    Table,
    account_detail_table,
    dimension_balances_table,
    general_ledger_table,
    statement_table,
    trial_balance_table,
    voucher_summary_table,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"

__all__ = [
    "PDF_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "Column",
    "Kind",
    "Row",
    "Table",
    "account_detail_pdf",
    "account_detail_table",
    "account_detail_xlsx",
    "dimension_balances_pdf",
    "dimension_balances_table",
    "dimension_balances_xlsx",
    "general_ledger_pdf",
    "general_ledger_table",
    "general_ledger_xlsx",
    "report_pdf",
    "statement_pdf",
    "statement_table",
    "statement_xlsx",
    "table_pdf",
    "table_xlsx",
    "trial_balance_pdf",
    "trial_balance_table",
    "trial_balance_xlsx",
    "voucher_pdf",
    "voucher_summary_pdf",
    "voucher_summary_table",
    "voucher_summary_xlsx",
    "vouchers_xlsx",
]
