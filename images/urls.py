from django.urls import path

from images import views

app_name = "images"

urlpatterns = [
    path("<str:key>/<str:name>", views.rendition, name="rendition"),
]
