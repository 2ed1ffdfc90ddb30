"""The public inquiry form: sections, plain-language help, content-checked uploads, a honeypot."""

import secrets

import phonenumbers
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from hospitals.models import Hospital
from inquiries import checklists, holding
from inquiries.models import Inquiry
from inquiries.uploads import check_document
from pagecache.versions import HOSPITALS, cached_fragment
from taxonomy.models import Treatment

TOKEN_SALT = "inquiries.submission-token"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 60 * 60 * 24 * 2  # a form left open over a weekend night still works


def new_submission_token() -> str:
    return signing.dumps(secrets.token_urlsafe(24), salt=TOKEN_SALT)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows; each is cleaned like one file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def radio(choices, **kwargs):
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **kwargs)


class KeptOptionsSelect(forms.Select):
    """A ``<select>`` whose options are rendered once per language and kept under content versions.

    Django renders each option through a template: with every hospital in the directory that was
    most of the inquiry page's time (some 300 ms for 2,000 hospitals). The options are the same for
    everyone until a hospital changes (pagecache.versions.cached_fragment); only the chosen one is
    marked per request. Without JavaScript it is the same plain select, validated by its field.
    """

    def __init__(self, *args, fragment: str, domains: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fragment, self.domains = fragment, domains

    def options_html(self) -> str:
        return "".join(
            format_html('<option value="{}">{}</option>', "" if value is None else value, label)
            for value, label in self.choices
        )

    def render(self, name, value, attrs=None, renderer=None):
        options = cached_fragment(self.fragment, [get_language()], self.domains, self.options_html)
        if value not in (None, ""):
            chosen = format_html('<option value="{}">', value)
            options = options.replace(chosen, chosen[:-1] + " selected>", 1)
        elif options.startswith('<option value="">'):
            options = '<option value="" selected>' + options.removeprefix('<option value="">')
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return mark_safe(f"<select{attributes}>{options}</select>")  # noqa: S308 - built with format_html


class InquiryForm(forms.ModelForm):
    submitter_role = radio(Inquiry.SubmitterRole.choices, label=_("Who is filling in this form?"))
    is_cancer = radio(
        Inquiry.CancerAnswer.choices,
        label=_("Is this about a cancer or tumour?"),
        help_text=_("Answer “suspected” if the doctors are still checking."),
    )
    tumour_type = forms.ChoiceField(
        choices=[("", _("Not relevant or not known")), *Inquiry.TumourType.choices],
        required=False,
        label=_("Type of tumour"),
        help_text=_("Only if it is about a tumour."),
    )
    metastases = radio(
        Inquiry.Answer.choices,
        required=False,
        label=_("Are metastases known (has the tumour spread)?"),
    )
    doctor_two_week_start = radio(
        Inquiry.Answer.choices, label=_("Has a doctor said that treatment should start within the next two weeks?")
    )
    symptoms_worsening = radio(Inquiry.Answer.choices, label=_("Are the symptoms getting rapidly worse?"))
    treatment_interrupted = radio(
        Inquiry.Answer.choices,
        label=_("Has a treatment been interrupted or postponed?"),
        help_text=_("For example because of a lockdown, a war or a shortage of medicines."),
    )
    birth_year = forms.IntegerField(
        label=_("Patient's year of birth"),
        help_text=_("Four digits, for example 1968."),
        # No autocomplete="off": browsers then leave the field out when they restore a form on going
        # back, and the form came back with the year of birth empty. No "bday-year" either: the
        # person typing is often not the patient.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=32,
        help_text=_("In international format with the country code, for example +49 30 1234567."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    requested_treatment = forms.ModelChoiceField(
        queryset=Treatment.objects.none(),
        required=False,
        label=_("Which treatment are you asking about? (optional)"),
        empty_label=_("Not sure, or no preference"),
    )
    preferred_hospital = forms.ModelChoiceField(
        queryset=Hospital.objects.none(),
        required=False,
        label=_("Preferred hospital (optional)"),
        empty_label=_("No preference"),
        help_text=_("If you already know a hospital. We will also suggest others that can help."),
        widget=KeptOptionsSelect(fragment="inquiry-hospital-options", domains=(HOSPITALS,)),
    )
    documents = MultipleFileField(
        label=_("Medical documents (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG; up to %(files)s files, %(each)s MB each and %(total)s MB together."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
    documents_sent = forms.MultipleChoiceField(
        label=_("Which of these documents are you sending?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("This helps us tell you what is still missing. You can send documents later too."),
    )
    consent_health_data = forms.BooleanField(
        label=_(
            "I agree that Care Bridge Germany processes the health information in this inquiry, including the "
            "documents, to answer it (Art. 9(2)(a) GDPR). I can withdraw this consent at any time."
        ),
        error_messages={"required": _("We can only answer your inquiry with this consent. Please tick the box.")},
    )
    consent_phone_contact = forms.BooleanField(label=_("You may also contact me by phone (optional)."), required=False)
    # A honeypot: hidden from people and assistive technology, filled in by some bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=200)

    class Meta:
        model = Inquiry
        fields = [
            "submitter_role",
            "patient_name",
            "birth_year",
            "country",
            "email",
            "phone",
            "contact_language",
            "diagnosis",
            "is_cancer",
            "tumour_type",
            "metastases",
            "previous_treatments",
            "requested_treatment",
            "preferred_hospital",
            "doctor_two_week_start",
            "symptoms_worsening",
            "treatment_interrupted",
            "travel_period",
            "message",
            "documents_sent",
            "consent_health_data",
            "consent_phone_contact",
        ]
        labels = {
            "patient_name": _("Patient's full name"),
            "country": _("Country where the patient lives"),
            "email": _("E-mail address for our answer"),
            "contact_language": _("In which language should we answer?"),
            "diagnosis": _("The diagnosis, in your own words"),
            "previous_treatments": _("Treatments so far (optional)"),
            "travel_period": _("When could the patient travel? (optional)"),
            "message": _("Anything else we should know? (optional)"),
        }
        help_texts = {
            "patient_name": _("As written in the passport."),
            "email": _("We send a confirmation with your reference number here. It contains no health data."),
            "diagnosis": _("For example “neuroendocrine tumour of the small bowel, liver metastases”."),
            "previous_treatments": _(
                "Operations, chemotherapy, radiotherapy, medicines, with dates if you know them."
            ),
            "travel_period": _("For example “from March” or “as soon as possible”."),
        }
        widgets = {
            "patient_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "diagnosis": forms.Textarea(attrs={"rows": 3}),
            "previous_treatments": forms.Textarea(attrs={"rows": 3}),
            "message": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, held_documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Documents this session sent with an earlier, refused post (inquiries/holding.py).
        self.held_documents = list(held_documents)
        # New uploads that passed their checks: the view holds them if the form has another error.
        self.documents_to_hold = []
        self.fields["requested_treatment"].queryset = Treatment.objects.ordered_by_name()
        self.fields["preferred_hospital"].queryset = Hospital.objects.order_by("name")
        self.fields["country"].choices = [("", _("Please choose")), *list(self.fields["country"].choices)[1:]]
        self.fields["contact_language"].choices = [("", _("Please choose")), *Inquiry.ContactLanguage.choices]
        # The language the visitor chose with the site's switch is the likely answer; they can change it.
        if get_language() in Inquiry.ContactLanguage.values:
            self.fields["contact_language"].initial = get_language()
        self.fields["documents_sent"].choices = checklists.document_choices()
        self.fields["documents"].help_text = self.fields["documents"].help_text % {
            "files": settings.INQUIRY_UPLOAD_MAX_FILES,
            "each": settings.INQUIRY_UPLOAD_MAX_FILE_BYTES // (1024 * 1024),
            "total": settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES // (1024 * 1024),
        }
        # The page checks the chosen files' total before sending (static/inquiries/inquiry-form.js):
        # a body over the limit is refused unread, and with it everything typed.
        self.fields["documents"].widget.attrs["data-max-total-bytes"] = settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES
        self.fields["consent_health_data"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("privacy"), _("Read how we protect your data (privacy notice)")
        )
        if not self.is_bound:
            self.initial.setdefault("submission_token", new_submission_token())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(_("About you and the patient"), "submitter_role", "patient_name", "birth_year", "country"),
            Fieldset(_("How we reach you"), "email", "phone", "contact_language", "consent_phone_contact"),
            Fieldset(
                _("The illness"),
                "diagnosis",
                "is_cancer",
                "tumour_type",
                "metastases",
                "previous_treatments",
                "requested_treatment",
                "preferred_hospital",
            ),
            Fieldset(
                _("How urgent is it?"),
                "doctor_two_week_start",
                "symptoms_worsening",
                "treatment_interrupted",
                "travel_period",
            ),
            Fieldset(
                _("Medical documents"),
                HTML(
                    format_html(
                        '<p class="upload-notice" id="upload-notice">{}</p>',
                        ngettext(
                            "If the form shows an error after you send it, the documents that passed our checks "
                            "stay attached for %(hours)s hour: you do not need to choose them again.",
                            "If the form shows an error after you send it, the documents that passed our checks "
                            "stay attached for %(hours)s hours: you do not need to choose them again.",
                            holding.hold_hours(),
                        )
                        % {"hours": holding.hold_hours()},
                    )
                ),
                HTML('{% include "inquiries/_held_documents.html" %}'),
                "documents",
                HTML(
                    format_html(
                        '<p class="text-danger fw-semibold" id="documents-too-large" role="alert" hidden>{}</p>',
                        _(
                            "These files are larger than %(total)s MB together. Please choose fewer or smaller "
                            "files; you can send more later."
                        )
                        % {"total": settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES // (1024 * 1024)},
                    )
                ),
                "documents_sent",
            ),
            Fieldset(_("Your message and consent"), "message", "consent_health_data"),
            Div("website", css_class="inquiry-hp", aria_hidden="true"),
            "submission_token",
        )

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year > timezone.localdate().year:
            raise ValidationError(_("The year of birth cannot be in the future."), code="future")
        if year < 1900:
            raise ValidationError(_("Please enter the year of birth with four digits, e.g. 1968."), code="too_early")
        return year

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        try:
            number = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(
                _("Please enter the number with the country code, starting with +, for example +49 30 1234567."),
                code="phone",
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_submission_token(self):
        try:
            return signing.loads(self.cleaned_data["submission_token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            # A fresh token, so that sending the corrected form works.
            self.data = self.data.copy()
            self.data["submission_token"] = new_submission_token()
            raise ValidationError(
                _("This form has expired. Please check your answers and send it again."), code="expired"
            ) from None

    def clean_documents(self):
        """The held documents and the new uploads, each checked by its content; the limits count both."""
        files = self.cleaned_data["documents"]
        if len(self.held_documents) + len(files) > settings.INQUIRY_UPLOAD_MAX_FILES:
            raise ValidationError(
                _("Please send at most %(limit)s files at once. You can send more later."),
                code="too_many_files",
                params={"limit": settings.INQUIRY_UPLOAD_MAX_FILES},
            )
        errors = []
        held = []
        checked = []
        # Held files passed these checks when they arrived; checking again costs little and keeps
        # one rule for everything that becomes an attachment.
        for document in self.held_documents:
            held_file = document.open()
            try:
                held.append((held_file, check_document(held_file, max_bytes=settings.INQUIRY_UPLOAD_MAX_FILE_BYTES)))
            except ValidationError as error:
                held_file.close()
                errors.append(error)
        for uploaded in files:
            try:
                checked.append((uploaded, check_document(uploaded, max_bytes=settings.INQUIRY_UPLOAD_MAX_FILE_BYTES)))
            except ValidationError as error:
                errors.append(error)
        if sum(item.size for _, item in held + checked) > settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES:
            errors.append(
                ValidationError(
                    _("The files are larger than %(limit)s MB together. Please send some of them later."),
                    code="total_too_large",
                    params={"limit": settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES // (1024 * 1024)},
                )
            )
        else:
            self.documents_to_hold = checked
        if errors:
            for held_file, _checked in held:
                held_file.close()
            raise ValidationError(errors)
        return held + checked

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("website"):
            raise ValidationError(_("Please leave the last field empty."), code="honeypot")
        if cleaned_data.get("consent_phone_contact") and not cleaned_data.get("phone"):
            self.add_error(
                "phone",
                ValidationError(_("Please give a phone number, or untick phone contact."), code="phone_missing"),
            )
        return cleaned_data

    @classmethod
    def typed_initial(cls, data) -> dict:
        """What a post held, as initial values: to show the form again without checking it (files excepted)."""
        return {
            name: field.widget.value_from_datadict(data, {}, name)
            for name, field in cls.base_fields.items()
            if not isinstance(field, forms.FileField)
        }

    def answers(self) -> dict:
        """The model's answers from the cleaned form, for the submit service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
