from django.views.debug import ExceptionReporter

from portal.redaction import redact


class PrivateExceptionReporter(ExceptionReporter):
    """Error reports (e-mails to ADMINS, debug pages) that carry no patient data.

    `sensitive_post_parameters` hides form fields, but Django still lists the names of uploaded
    files ("Pankreaskarzinom_CT.pdf") and every frame's local variables, where a form's cleaned
    data or an inquiry sits. Reports keep the code path and drop both. A follow-up link's token
    (portal.redaction) is removed from the URL, the query parameters and the headers.
    """

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if "request_FILES_items" in data:
            data["request_FILES_items"] = [(field, "********") for field in self.request.FILES]
        for frame in data.get("frames", []):
            frame["vars"] = []
        if "request_GET_items" in data:
            data["request_GET_items"] = [
                (name, "********" if name == "token" else redact(str(value)))
                for name, value in data["request_GET_items"]
            ]
        if "request_insecure_uri" in data:
            data["request_insecure_uri"] = redact(str(data["request_insecure_uri"]))
        if "request_meta" in data:
            data["request_meta"] = {name: redact(str(value)) for name, value in data["request_meta"].items()}
        return data
