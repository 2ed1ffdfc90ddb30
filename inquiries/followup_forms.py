"""The follow-up page's forms: asking for a new link, and the patient's reply."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inquiries import checklists
from inquiries.forms import MultipleFileField, MultipleFileInput
from inquiries.uploads import check_document


class FollowUpLinkForm(forms.Form):
    reference = forms.CharField(
        label=_("Your reference number"),
        max_length=20,
        help_text=_("From our confirmation e-mail, for example K7QM-3XWD-P9RT."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("The e-mail address you gave in the inquiry"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class FollowUpReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Your message (optional)"),
        required=False,
        max_length=4000,
        help_text=_("For example a change in the patient's condition, or a question. Our medical team reads it."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    documents = MultipleFileField(
        label=_("More medical documents (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
    documents_sent = forms.MultipleChoiceField(
        label=_("Which of the missing documents are you sending?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        self.inquiry = inquiry
        self.fields["documents_sent"].choices = [
            (item["code"], checklists.label(item)) for item in inquiry.missing_documents
        ]
        if not inquiry.missing_documents:
            del self.fields["documents_sent"]
        sizes = [attachment.size for attachment in inquiry.attachments.all()]
        self.files_sent, self.bytes_sent = len(sizes), sum(sizes)
        self.files_left = max(0, settings.INQUIRY_UPLOAD_MAX_FILES - self.files_sent)
        # The page checks the chosen files against what is left before sending
        # (static/inquiries/inquiry-form.js): a body over the cap is refused unread, the message with it.
        self.fields["documents"].widget.attrs["data-max-total-bytes"] = max(
            0, settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES - self.bytes_sent
        )
        self.fields["documents"].help_text = _(
            "PDF, JPEG or PNG, up to %(each)s MB each. You can send %(files)s more files and %(total)s MB more "
            "for this inquiry (counting what you sent before)."
        ) % {
            "each": settings.INQUIRY_UPLOAD_MAX_FILE_BYTES // (1024 * 1024),
            "files": self.files_left,
            "total": max(0, settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES - self.bytes_sent) // (1024 * 1024),
        }

    def clean_documents(self):
        files = self.cleaned_data["documents"]
        if len(files) > self.files_left:
            raise ValidationError(
                ngettext(
                    "You can send %(left)s more file for this inquiry (%(limit)s in all).",
                    "You can send %(left)s more files for this inquiry (%(limit)s in all).",
                    self.files_left,
                )
                % {"left": self.files_left, "limit": settings.INQUIRY_UPLOAD_MAX_FILES},
                code="too_many_files",
            )
        errors, checked = [], []
        for uploaded in files:
            try:
                checked.append((uploaded, check_document(uploaded, max_bytes=settings.INQUIRY_UPLOAD_MAX_FILE_BYTES)))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        if self.bytes_sent + sum(item.size for _, item in checked) > settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES:
            raise ValidationError(
                _(
                    "Together with what you sent before, the files are larger than %(limit)s MB. Please send "
                    "fewer or smaller files, or call us."
                ),
                code="total_too_large",
                params={"limit": settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES // (1024 * 1024)},
            )
        return checked

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors and not (cleaned_data.get("message") or "").strip() and not cleaned_data.get("documents"):
            raise ValidationError(_("Please write a message or choose a document."), code="empty")
        if cleaned_data.get("documents_sent") and not cleaned_data.get("documents"):
            self.add_error(
                "documents",
                ValidationError(_("Please choose the files of the documents you ticked."), code="no_files"),
            )
        return cleaned_data
