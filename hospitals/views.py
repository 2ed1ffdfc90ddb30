from django.http import HttpResponse, JsonResponse
from django.views.generic import DetailView, ListView

from hospitals.models import Hospital


class HospitalListView(ListView):
    queryset = Hospital.objects.with_current_status()
    template_name = "hospitals/hospital_list.html"
    paginate_by = 20


class HospitalDetailView(DetailView):
    queryset = Hospital.objects.with_current_status()
    template_name = "hospitals/hospital_detail.html"


def status_json(request):
    return JsonResponse({"hospitals": []})


def status_csv(request):
    return HttpResponse("", content_type="text/csv")
