"""Page routes of the shell and of core's pages (included at the site root)."""

from django.contrib.auth.views import LogoutView
from django.urls import include, path

from zhongshu.web.views import audit, auth, company, home, settings
from zhongshu.web.views.ledger import accounts as ledger_accounts
from zhongshu.web.views.ledger import periods as ledger_periods
from zhongshu.web.views.ledger import reports as ledger_reports
from zhongshu.web.views.ledger import settings as ledger_settings
from zhongshu.web.views.ledger import vouchers as ledger_vouchers

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("signup/", auth.signup, name="signup"),
    path("company/switch/", company.company_switch, name="company_switch"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/<int:audit_entry_id>/", audit.audit_detail, name="audit_detail"),
    path("audit/export.csv", audit.audit_export, name="audit_export"),
    path(
        "audit/object/<str:kind>/<str:object_id>/",
        audit.audit_object,
        name="audit_object",
    ),
    path("settings/company/", settings.company_settings, name="settings_company"),
    path("settings/members/", settings.members, name="settings_members"),
    path(
        "settings/members/<int:user_id>/",
        settings.member_roles,
        name="settings_member",
    ),
    path("settings/numbering/", settings.numbering_settings, name="settings_numbering"),
    path("settings/tokens/", settings.tokens, name="settings_tokens"),
    path(
        "settings/tokens/<int:token_id>/revoke/",
        settings.token_revoke,
        name="token_revoke",
    ),
    # --- ledger (总账) ---------------------------------------------------------
    path("ledger/accounts/", ledger_accounts.account_list, name="ledger_accounts"),
    path(
        "ledger/accounts/new/", ledger_accounts.account_add, name="ledger_account_add"
    ),
    path(
        "ledger/accounts/<int:account_id>/",
        ledger_accounts.account_edit,
        name="ledger_account",
    ),
    path(
        "ledger/accounts/<int:account_id>/active/",
        ledger_accounts.account_set_active,
        name="ledger_account_active",
    ),
    path(
        "ledger/account-roles/",
        ledger_accounts.account_roles,
        name="ledger_account_roles",
    ),
    path("ledger/vouchers/", ledger_vouchers.voucher_list, name="ledger_vouchers"),
    path(
        "ledger/vouchers/new/", ledger_vouchers.voucher_new, name="ledger_voucher_new"
    ),
    path(
        "ledger/vouchers/<int:voucher_id>/",
        ledger_vouchers.voucher_detail,
        name="ledger_voucher",
    ),
    path(
        "ledger/vouchers/<int:voucher_id>/edit/",
        ledger_vouchers.voucher_edit,
        name="ledger_voucher_edit",
    ),
    path(
        "ledger/vouchers/<int:voucher_id>/save-as-template/",
        ledger_vouchers.voucher_save_template,
        name="ledger_voucher_save_template",
    ),
    path(
        "ledger/voucher-templates/<int:template_id>/use/",
        ledger_vouchers.voucher_template_use,
        name="ledger_voucher_template_use",
    ),
    path(
        "ledger/voucher-templates/<int:template_id>/delete/",
        ledger_vouchers.voucher_template_delete,
        name="ledger_voucher_template_delete",
    ),
    *(
        path(
            f"ledger/vouchers/<int:voucher_id>/{action}/",
            getattr(ledger_vouchers, f"voucher_{action}"),
            name=f"ledger_voucher_{action}",
        )
        for action in (
            "review",
            "unreview",
            "post",
            "unpost",
            "reverse",
            "copy",
            "delete",
            "pdf",
        )
    ),
    path(
        "ledger/reports/trial-balance/",
        ledger_reports.trial_balance,
        name="ledger_trial_balance",
    ),
    path(
        "ledger/reports/general-ledger/",
        ledger_reports.general_ledger,
        name="ledger_general_ledger",
    ),
    path(
        "ledger/reports/account-detail/",
        ledger_reports.account_detail,
        name="ledger_account_detail",
    ),
    path(
        "ledger/reports/dimension-balances/",
        ledger_reports.dimension_balances,
        name="ledger_dimension_balances",
    ),
    path(
        "ledger/reports/voucher-summary/",
        ledger_reports.voucher_summary,
        name="ledger_voucher_summary",
    ),
    path(
        "ledger/reports/balance-sheet/",
        ledger_reports.balance_sheet,
        name="ledger_balance_sheet",
    ),
    path(
        "ledger/reports/income-statement/",
        ledger_reports.income_statement,
        name="ledger_income_statement",
    ),
    path("ledger/periods/", ledger_periods.period_list, name="ledger_periods"),
    path("ledger/settings/", ledger_settings.ledger_settings, name="ledger_settings"),
    path(
        "ledger/periods/<int:period_id>/close/",
        ledger_periods.period_close,
        name="ledger_period_close",
    ),
    path(
        "ledger/periods/<int:period_id>/reopen/",
        ledger_periods.period_reopen,
        name="ledger_period_reopen",
    ),
    path(
        "ledger/opening-balances/",
        ledger_periods.opening_balances,
        name="ledger_opening_balances",
    ),
    path(
        "ledger/opening-balances/<int:account_id>/",
        ledger_periods.opening_split,
        name="ledger_opening_split",
    ),
    path("", include("zhongshu.web.urls_catalog")),
    path("", include("zhongshu.web.urls_inventory")),
    path("", include("zhongshu.web.urls_inventory_counts")),
    path("", include("zhongshu.web.urls_saved_searches")),
    path("", include("zhongshu.web.urls_partners")),
    path("", include("zhongshu.web.urls_purchasing")),
    path("", include("zhongshu.web.urls_sales")),
    path("", include("zhongshu.web.urls_sales_receivables")),
    path("", include("zhongshu.web.urls_sales_retail")),
]
