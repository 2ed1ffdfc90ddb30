from django.conf import settings


def portal(request):
    """The portal's name and operator for every template, so they are written in one place."""
    return {"PORTAL_NAME": settings.PORTAL_NAME, "PORTAL_OPERATOR": settings.PORTAL_OPERATOR}
