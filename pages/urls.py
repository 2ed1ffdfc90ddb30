from django.urls import path

from pagecache.middleware import public_page
from pages import views

app_name = "pages"

urlpatterns = [
    path("site-pages/preview/<int:pk>/", views.PagePreviewView.as_view(), name="preview"),
    # Last in the site's URLs: any other address wins over a page's.
    path("<slug:slug>/", public_page(views.PageDetailView.as_view()), name="detail"),
]
