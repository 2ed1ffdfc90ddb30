"""The portal's URLs plus a stand-in for the inquiry form, as they will be once that app exists."""

from django.http import HttpResponse
from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    *portal_urlpatterns,
    path("inquiry/", include(([path("", lambda request: HttpResponse("form"), name="form")], "inquiries"))),
]
