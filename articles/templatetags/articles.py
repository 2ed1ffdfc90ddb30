from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Article
from editorial.jsonld import json_ld
from images.renditions import largest_url
from people.models import person_of
from people.schema import person_schema

register = template.Library()


@register.filter
def public_name(user) -> str:
    """The name a reader sees: the person's full name, never their login name."""
    return user.get_full_name() or _("the Care Bridge Germany medical team")


@register.filter
def as_person(user):
    """The listed team member a staff account stands for (a byline links to their page), or None."""
    return person_of(user) if user else None


@register.inclusion_tag("articles/_person_articles.html")
def person_articles(person):
    """On a team page: the published articles this person reviewed and wrote (through their account)."""
    if not person.user_id:
        return {}
    published = Article.objects.published().only("title", "slug", "language", "publish_at").newest_first()
    return {
        "reviewed": list(published.filter(medical_reviewer=person.user_id)),
        "written": list(published.filter(authors=person.user_id)),
    }


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def absolute_url_for(context, url_name, *args):
    return context["request"].build_absolute_uri(reverse(url_name, args=args))


@register.simple_tag(takes_context=True)
def article_json_ld(context, article, canonical_url):
    """schema.org MedicalWebPage for the article, safe to place inside a <script> element."""
    request = context["request"]

    def person(user):
        if named := person_of(user):
            return person_schema(named, request)
        if not user.get_full_name():
            return {"@type": "Organization", "name": str(context.get("PORTAL_NAME", ""))}
        return {"@type": "Person", "name": user.get_full_name()}

    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": canonical_url,
        "url": canonical_url,
        "name": article.title,
        "headline": article.title,
        "description": article.standfirst,
        "inLanguage": article.language,
        "dateModified": article.updated_at.isoformat(),
        "about": [{"@type": "MedicalCondition", "name": condition.name} for condition in article.conditions.all()],
        "mentions": [{"@type": "MedicalTherapy", "name": treatment.name} for treatment in article.treatments.all()],
        "author": [person(author) for author in article.authors.all()],
        "publisher": {"@type": "Organization", "name": str(context.get("PORTAL_NAME", ""))},
        "isPartOf": {"@type": "WebSite", "url": request.build_absolute_uri("/")},
    }
    if article.publish_at:
        data["datePublished"] = article.publish_at.isoformat()
    if article.last_reviewed_on:
        data["lastReviewed"] = article.last_reviewed_on.isoformat()
    if article.medical_reviewer_id:
        data["reviewedBy"] = person(article.medical_reviewer)
    if article.lead_image:
        data["image"] = request.build_absolute_uri(largest_url(article.lead_image, "wide"))
    return json_ld(data)
