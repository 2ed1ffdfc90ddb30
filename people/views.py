import json

from django.utils.safestring import mark_safe
from django.views.generic import DetailView, ListView

from people.models import Person
from people.schema import person_schema

# Characters that could end the <script> element or start markup inside JSON-LD.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data) -> str:
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308


class PersonListView(ListView):
    template_name = "people/person_list.html"
    context_object_name = "people"

    def get_queryset(self):
        return Person.objects.listed().select_related("portrait").order_by("-role", "name")  # physicians first


class PersonDetailView(DetailView):
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.listed().select_related("portrait")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person_json_ld"] = json_ld(
            {"@context": "https://schema.org", **person_schema(self.object, self.request)}
        )
        return context
