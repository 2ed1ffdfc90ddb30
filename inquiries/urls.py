from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.InquiryFormView.as_view(), name="form"),
    path("sent/<str:reference>/", views.InquiryConfirmationView.as_view(), name="confirmation"),
    path("follow-up/", views.FollowUpLinkRequestView.as_view(), name="follow_up_request"),
    path("follow-up/open/", views.follow_up_open, name="follow_up_open"),
    path("follow-up/your-inquiry/", views.FollowUpView.as_view(), name="follow_up"),
]
