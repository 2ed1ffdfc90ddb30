from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from editorial.jsonld import json_ld
from editorial.views import StaffPreviewMixin
from people.models import Person
from people.schema import person_schema


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


class PersonPreviewView(StaffPreviewMixin, PersonDetailView):
    """Any profile exactly as the public will see it, for staff who may see the team's profiles."""

    permission_required = "people.view_person"

    def get_object(self, queryset=None):
        return get_object_or_404(Person.objects.select_related("portrait"), pk=self.kwargs["pk"])
