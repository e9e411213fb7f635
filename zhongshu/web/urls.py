"""Page routes of the shell and of core's pages (included at the site root)."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from zhongshu.web.views import audit, auth, company, home, settings

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
]
