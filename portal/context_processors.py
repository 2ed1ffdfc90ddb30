from django.conf import settings


def portal(request):
    """The portal's name for every template, so it is written in one place (the operator's details are content)."""
    return {"PORTAL_NAME": settings.PORTAL_NAME}
