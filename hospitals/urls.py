from django.urls import path

from hospitals import views

app_name = "hospitals"

urlpatterns = [
    path("", views.HospitalListView.as_view(), name="list"),
    path("status.json", views.status_json, name="status_json"),
    path("status.csv", views.status_csv, name="status_csv"),
    path("<slug:slug>/", views.HospitalDetailView.as_view(), name="detail"),
]
