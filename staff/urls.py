from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("second-factor/", views.second_factor_verify, name="second_factor_verify"),
    path("second-factor/enrol/", views.second_factor_enrol, name="second_factor_enrol"),
    path("second-factor/manage/", views.second_factor_manage, name="second_factor_manage"),
]
