from django.urls import path

from pagecache.middleware import public_page
from people import views

app_name = "people"

urlpatterns = [
    path("", public_page(views.PersonListView.as_view()), name="list"),
    path("preview/<int:pk>/", views.PersonPreviewView.as_view(), name="preview"),
    path("<slug:slug>/", public_page(views.PersonDetailView.as_view()), name="detail"),
]
