from django.urls import path

from hospitals import views
from pagecache.middleware import public_page

app_name = "hospitals"

urlpatterns = [
    path("", public_page(views.HospitalListView.as_view()), name="list"),
    path("status.json", public_page(views.status_json), name="status_json"),
    path("status.csv", public_page(views.status_csv), name="status_csv"),
    path("<slug:slug>/", public_page(views.HospitalDetailView.as_view()), name="detail"),
]
