"""Writes of the general ledger. Other modules call ``post_voucher``."""

from zhongshu.ledger.services.accounts import (
    add_account,
    resolve_account,
    set_account_active,
    set_account_role,
    update_account,
)
from zhongshu.ledger.services.bulk import VoucherEntry, post_vouchers
from zhongshu.ledger.services.opening import (
    OpeningCheck,
    OpeningFigures,
    OpeningInput,
    opening_trial_balance,
    set_first_period,
    set_opening_balances,
)
from zhongshu.ledger.services.periods import (
    ClosingProblem,
    close_period,
    closing_checklist,
    reopen_period,
)
from zhongshu.ledger.services.setup import (
    books_of,
    period_for,
    set_up_books,
    update_ledger_settings,
)
from zhongshu.ledger.services.templates import (
    create_voucher_from_template,
    delete_template,
    save_voucher_as_template,
)
from zhongshu.ledger.services.vouchers import (
    copy_voucher,
    create_voucher,
    delete_voucher,
    post_reviewed_voucher,
    post_voucher,
    reverse_voucher,
    review_voucher,
    unpost_voucher,
    unreview_voucher,
    update_voucher,
)

__all__ = [
    "ClosingProblem",
    "OpeningCheck",
    "OpeningFigures",
    "OpeningInput",
    "VoucherEntry",
    "add_account",
    "books_of",
    "close_period",
    "closing_checklist",
    "copy_voucher",
    "create_voucher",
    "create_voucher_from_template",
    "delete_template",
    "delete_voucher",
    "opening_trial_balance",
    "period_for",
    "post_reviewed_voucher",
    "post_voucher",
    "post_vouchers",
    "reopen_period",
    "resolve_account",
    "reverse_voucher",
    "review_voucher",
    "save_voucher_as_template",
    "set_account_active",
    "set_account_role",
    "set_first_period",
    "set_opening_balances",
    "set_up_books",
    "unpost_voucher",
    "unreview_voucher",
    "update_account",
    "update_ledger_settings",
    "update_voucher",
]
