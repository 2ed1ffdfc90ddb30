from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("second-factor/", views.second_factor_verify, name="second_factor_verify"),
    path("second-factor/enrol/", views.second_factor_enrol, name="second_factor_enrol"),
    path("second-factor/manage/", views.second_factor_manage, name="second_factor_manage"),
    path("passkeys/register/begin/", views.passkey_register_begin, name="passkey_register_begin"),
    path("passkeys/register/complete/", views.passkey_register_complete, name="passkey_register_complete"),
    path("passkeys/authenticate/begin/", views.passkey_authenticate_begin, name="passkey_authenticate_begin"),
    path("passkeys/authenticate/complete/", views.passkey_authenticate_complete, name="passkey_authenticate_complete"),
    path("passkeys/<int:passkey_id>/remove/", views.passkey_remove, name="passkey_remove"),
]
