"""Reports to Excel and vouchers and reports to PDF.

Pages and API endpoints call a selector for the data, then one of these for
the bytes to send (``application/vnd.openxmlformats-officedocument.
spreadsheetml.sheet`` or ``application/pdf``).
"""

from zhongshu.ledger.exports.excel import (
    account_detail_xlsx,
    general_ledger_xlsx,
    statement_xlsx,
    table_xlsx,
    trial_balance_xlsx,
    voucher_summary_xlsx,
    vouchers_xlsx,
)
from zhongshu.ledger.exports.pdf import (
    account_detail_pdf,
    general_ledger_pdf,
    report_pdf,
    statement_pdf,
    table_pdf,
    trial_balance_pdf,
    voucher_pdf,
    voucher_summary_pdf,
)
from zhongshu.ledger.exports.tables import Column, Kind, Row, Table, detail_rows

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
    "account_detail_xlsx",
    "detail_rows",
    "general_ledger_pdf",
    "general_ledger_xlsx",
    "report_pdf",
    "statement_pdf",
    "statement_xlsx",
    "table_pdf",
    "table_xlsx",
    "trial_balance_pdf",
    "trial_balance_xlsx",
    "voucher_pdf",
    "voucher_summary_pdf",
    "voucher_summary_xlsx",
    "vouchers_xlsx",
]
