from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView

from editorial.views import StaffPreviewMixin
from pages.blocks import rendered_blocks
from pages.models import Page, PageKind, PageRedirect


class PageDetailView(DetailView):
    """A published site page in the reader's language (or the next along the fallback chain).

    An address the page used to have answers with a permanent redirect to the current one.
    """

    template_name = "pages/page_detail.html"
    context_object_name = "page"

    def get(self, request, *args, **kwargs):
        slug = kwargs["slug"]
        versions = Page.objects.published().filter(slug=slug).in_language()
        if not versions:
            moved = PageRedirect.objects.filter(old_slug=slug).first()
            if moved is None:
                raise Http404
            return HttpResponsePermanentRedirect(reverse("pages:detail", kwargs={"slug": moved.new_slug}))
        self.object = versions[0]  # its published copy
        if self.object.kind in (PageKind.HOME, PageKind.TEAM):
            return redirect(self.object.get_absolute_url(), permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["language_versions"] = self.object.language_versions(
            Page.objects.published().only("pk", "slug", "language", "translation_of", "kind")
        )
        context["is_preview"] = False
        return context


class PagePreviewView(StaffPreviewMixin, DetailView):
    """Any page exactly as the public will see it, for staff who may see pages."""

    template_name = "pages/page_detail.html"
    context_object_name = "page"
    permission_required = "pages.view_page"

    def get_object(self, queryset=None):
        return get_object_or_404(Page, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["language_versions"] = []
        return context


def home_content() -> dict:
    """The home page's editable parts: its hero, introduction and featured articles.

    Featured articles are the published ones the home page names (in the order named), or the
    newest three when it names none.
    """
    from articles.models import Article

    versions = Page.objects.published().filter(kind=PageKind.HOME).in_language()
    page = versions[0] if versions else None
    blocks = page.blocks if page else []
    hero = next((block for block in blocks if block.get("type") == "hero"), None)
    featured = next((block for block in blocks if block.get("type") == "featured_articles"), None)
    if featured:
        by_slug = {article.slug: article for article in Article.objects.published().filter(slug__in=featured["slugs"])}
        articles = [by_slug[slug] for slug in featured["slugs"] if slug in by_slug]
    else:
        articles = list(Article.objects.published().newest_first()[:3])
    return {
        "home_page": page,
        "hero": rendered_blocks([hero])[0] if hero else None,
        "featured_heading": (featured or {}).get("heading", ""),
        "latest_articles": articles,
    }
