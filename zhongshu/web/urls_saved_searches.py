"""Page routes of saved searches (保存的查询) on the list pages."""

from django.urls import URLPattern, URLResolver, path

from zhongshu.web.views import saved_searches

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "saved-searches/save/",
        saved_searches.saved_search_save,
        name="saved_search_save",
    ),
    path(
        "saved-searches/<int:saved_search_id>/delete/",
        saved_searches.saved_search_delete,
        name="saved_search_delete",
    ),
]
