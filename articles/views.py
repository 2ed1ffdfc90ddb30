from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from articles.models import Article, Reference
from articles.search import clean_query, highlighted_extract, search_articles, uses_full_text_search
from editorial.views import StaffPreviewMixin
from pagecache.versions import ARTICLES, IMAGES, PEOPLE, TAXONOMY, cached_fragment
from taxonomy.models import Condition, Treatment


class ArticleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search articles"), required=False, max_length=200)
    condition = forms.ModelChoiceField(
        label=_("Condition"),
        queryset=Condition.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All conditions"),
    )
    treatment = forms.ModelChoiceField(
        label=_("Treatment"),
        queryset=Treatment.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All treatments"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only terms that at least one public article uses: a filter never leads to an empty page.
        public = Article.objects.published()
        self.fields["condition"].queryset = Condition.objects.filter(articles__in=public).distinct().ordered_by_name()
        self.fields["treatment"].queryset = Treatment.objects.filter(articles__in=public).distinct().ordered_by_name()


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 10

    def get_queryset(self):
        self.filter_form = ArticleFilterForm(self.request.GET or None)
        queryset = Article.objects.published().with_taxonomy().newest_first()
        self.query = ""
        if self.filter_form.is_bound:
            # An unknown filter value is reported on the page; the other, valid filters still apply.
            self.filter_form.is_valid()
            data = self.filter_form.cleaned_data
            if data.get("condition"):
                queryset = queryset.filter(conditions=data["condition"])
            if data.get("treatment"):
                queryset = queryset.filter(treatments=data["treatment"])
            self.query = clean_query(data.get("q") or self.request.GET.get("q", ""))
            queryset = search_articles(queryset, self.query)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.query:
            for article in context["articles"]:
                article.extract = highlighted_extract(article, self.query)
        query_string = self.request.GET.copy()
        query_string.pop("page", None)
        context.update(
            filter_form=self.filter_form,
            query=self.query,
            full_text_search=uses_full_text_search(),
            filters_active=any(self.request.GET.get(name) for name in ("q", "condition", "treatment")),
            page_query_string=query_string.urlencode(),
        )
        return context


def article_detail_queryset(queryset):
    # People are read without their login data (password hash, e-mail, username): the article with
    # them is kept in the cache (ArticleDetailView.get_object), which is no place for those. Their
    # public profiles (people app) and portraits come in the same queries.
    private = ("password", "email", "username", "last_login", "date_joined")
    people = get_user_model().objects.defer(*private).select_related("person__portrait")
    return (
        queryset.select_related("lead_image", "medical_reviewer__person__portrait")
        .defer(*(f"medical_reviewer__{field}" for field in private))
        .with_taxonomy()
        .prefetch_related(
            Prefetch("authors", queryset=people),
            Prefetch("references", queryset=Reference.objects.order_by("position", "pk")),
        )
    )


class ArticleDetailView(DetailView):
    """A published article; anything else (draft, scheduled, expired, archived) is a 404."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return article_detail_queryset(Article.objects.published())

    def get_object(self, queryset=None):
        """The article with its people, images, topics and references: kept in the cache under the
        versions of everything it carries (articles, taxonomy, people, images) and the time an article
        goes live or expires, so a page that misses the cache for another reason runs no query for it.
        Kept per language: its topics are sorted by their names in the reader's language. Not found is
        never kept."""
        if queryset is not None:
            return super().get_object(queryset)
        return cached_fragment(
            "article",
            [self.kwargs[self.slug_url_kwarg], get_language()],
            (ARTICLES, TAXONOMY, PEOPLE, IMAGES),
            lambda: super(ArticleDetailView, self).get_object(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.surroundings())
        context["is_preview"] = False
        return context

    def surroundings(self) -> dict:
        """The related articles and this article's public language versions: the same for every
        reader, so kept under the articles' version until an article changes, goes live or expires."""
        return cached_fragment("article-surroundings", [self.object.pk], (ARTICLES,), self.find_surroundings)

    def find_surroundings(self) -> dict:
        return {
            "related_articles": related_articles(self.object),
            # The public versions of this article in other languages ("Also available in", hreflang).
            "language_versions": self.object.language_versions(
                Article.objects.published().only("pk", "slug", "language", "translation_of")
            ),
        }


class ArticlePreviewView(StaffPreviewMixin, ArticleDetailView):
    """Any article exactly as the public page will show it, for staff who may see articles."""

    permission_required = "articles.view_article"

    def get_queryset(self):
        return article_detail_queryset(Article.objects.all())

    def surroundings(self) -> dict:
        return self.find_surroundings()  # a draft's topics change without a new articles version

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


def related_articles(article, *, limit=3):
    """Other public articles on the same treatments or conditions, newest first."""
    treatment_ids = [treatment.pk for treatment in article.treatments.all()]
    condition_ids = [condition.pk for condition in article.conditions.all()]
    if not (treatment_ids or condition_ids):
        return []
    sharing = Article.objects.filter(Q(treatments__in=treatment_ids) | Q(conditions__in=condition_ids))
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(pk__in=sharing.values("pk"))
        .only("title", "slug", "standfirst", "publish_at", "language")
        .newest_first()[:limit]
    )
