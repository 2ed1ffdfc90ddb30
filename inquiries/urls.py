from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.InquiryFormView.as_view(), name="form"),
    path("sent/<str:reference>/", views.InquiryConfirmationView.as_view(), name="confirmation"),
]
