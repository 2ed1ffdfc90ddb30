from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from pagecache.middleware import public_page
from pages.views import PageDetailView
from portal import views
from portal.sitemaps import SITEMAPS

admin.site.site_header = _("Care Bridge Germany — staff")
admin.site.site_title = _("Care Bridge Germany staff")
admin.site.index_title = _("Work areas")

urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    # The legal pages' addresses have names of their own (templates link them); they are site pages
    # (pages app), and when an editor renames one, the old address redirects.
    path("imprint/", public_page(PageDetailView.as_view()), {"slug": "imprint"}, name="imprint"),
    path("privacy/", public_page(PageDetailView.as_view()), {"slug": "privacy"}, name="privacy"),
    path(
        "medical-disclaimer/", public_page(PageDetailView.as_view()), {"slug": "medical-disclaimer"}, name="disclaimer"
    ),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's, for one).
    path("favicon.ico", views.favicon),
    path("articles/", include("articles.urls")),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", public_page(views.robots_txt), name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("healthz/worker", views.worker_healthz, name="healthz_worker"),
    path("metrics", views.metrics, name="metrics"),
    path("hospitals/", include("hospitals.urls")),
    path("inquiry/", include("inquiries.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The second-factor pages, under the admin's prefix and before its catch-all patterns.
    path("admin/account/", include("staff.urls")),
    path("admin/", admin.site.urls),
    # Last: a site page's address is any one word not taken above.
    path("", include("pages.urls")),
]

handler400 = "portal.views.bad_request"
handler500 = "portal.views.server_error"

if settings.DEBUG:  # pragma: no cover - development only
    from django.views import defaults

    urlpatterns += [
        path("__errors__/404/", defaults.page_not_found, {"exception": Exception()}),
        path("__errors__/500/", defaults.server_error),
    ]
