"""The small forms of the staff's triage workspace (admin actions and the inquiry page)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inquiries import checklists, services
from inquiries.models import ContactLogEntry, Inquiry
from staff import roles


def triage_colleagues():
    """Active staff who may work inquiries: Triage staff and superusers."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name=roles.TRIAGE_STAFF) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = triage_colleagues()


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Closing reason"),
        choices=[("", "---------"), *[c for c in Inquiry.ClosingReason.choices if c[0] != "erased"]],
    )


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("New priority"), choices=Inquiry.Priority.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with your name next to the automatic triage, which stays as it was."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[c for c in Inquiry.Status.choices if c[0] not in ("new", "closed")]
    )

    def __init__(self, *args, current: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        if current is not None:
            # The select shows where the inquiry stands, then the moves the workflow allows from there
            # (closing has its own form, as it needs a reason).
            allowed = services.ALLOWED_TRANSITIONS.get(current, set()) - {Inquiry.Status.CLOSED}
            self.fields["status"].choices = [
                (value, label) for value, label in Inquiry.Status.choices if value == current or value in allowed
            ]
            self.fields["status"].initial = current

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == self.current:
            raise forms.ValidationError(_("The inquiry already has this status."), code="unchanged")
        return status


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), max_length=6000, widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactLogEntry.Channel.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactLogEntry.Outcome.choices)
    summary = forms.CharField(
        label=_("Summary"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpMessageForm(forms.Form):
    """A message to the patient on the follow-up page, optionally asking for missing documents."""

    requested_documents = forms.MultipleChoiceField(
        label=_("Ask for these missing documents"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The inquiry moves to “awaiting documents”."),
    )
    text = forms.CharField(
        label=_("Message to the patient"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Plain text, shown on the patient's follow-up page. The e-mail only says that a message is waiting."
        ),
    )

    def __init__(self, *args, inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_documents"].choices = [
            (item["code"], checklists.label(item)) for item in inquiry.missing_documents
        ]
        if not inquiry.missing_documents:
            del self.fields["requested_documents"]

    def clean(self):
        cleaned_data = super().clean()
        cleaned_data.setdefault("requested_documents", [])
        if not self.errors and not cleaned_data.get("text", "").strip() and not cleaned_data["requested_documents"]:
            raise forms.ValidationError(_("Write a message or choose the documents to ask for."), code="empty")
        return cleaned_data
