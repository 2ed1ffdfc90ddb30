from django.views.debug import ExceptionReporter


class PrivateExceptionReporter(ExceptionReporter):
    """Error reports (e-mails to ADMINS, debug pages) that carry no patient data.

    `sensitive_post_parameters` hides form fields, but Django still lists the names of uploaded
    files ("Pankreaskarzinom_CT.pdf") and every frame's local variables, where a form's cleaned
    data or an inquiry sits. Reports keep the code path and drop both.
    """

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if "request_FILES_items" in data:
            data["request_FILES_items"] = [(field, "********") for field in self.request.FILES]
        for frame in data.get("frames", []):
            frame["vars"] = []
        return data
