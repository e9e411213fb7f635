from django.contrib import admin
from django.urls import include, path

from zhongshu.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The pages (web assembles them; apps with their own views add theirs here).
    path("", include("zhongshu.web.urls")),
]
