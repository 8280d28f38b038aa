import datetime

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CLOSED_NEED_STATUSES, LifeDomain
from cases.selectors import assignable_workers
from partners.models import (
    ContactPerson,
    CooperationAgreement,
    Partner,
    ReferralStatus,
)
from pmw.models import Organisation, Region
from profiles.forms import DATE_INPUT


class PartnerFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Regio"), queryset=Region.objects.all(), required=False, empty_label=_("Alle")
    )
    domain = forms.ModelChoiceField(
        label=_("Leefdomein"),
        queryset=LifeDomain.objects.all(),
        required=False,
        empty_label=_("Alle"),
    )
    q = forms.CharField(label=_("Zoeken"), max_length=100, required=False)


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "type",
            "regions",
            "domains",
            "sex_work_expertise",
            "phone",
            "email",
            "website",
            "note",
            "is_active",
        ]
        widgets = {
            "regions": forms.CheckboxSelectMultiple,
            "domains": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "phone", "email"]


class AgreementForm(forms.ModelForm):
    class Meta:
        model = CooperationAgreement
        fields = ["kind", "valid_from", "valid_to", "text"]
        widgets = {
            "valid_from": DATE_INPUT,
            "valid_to": DATE_INPUT,
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        if (
            data.get("valid_to")
            and data.get("valid_from")
            and data["valid_to"] < data["valid_from"]
        ):
            self.add_error("valid_to", _("De einddatum ligt vóór de begindatum."))
        return data


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_type_display()})"


class ContactPersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


def _contacts_follow_partner(form, partner_id):
    """Offer the contact persons of the chosen partner; with htmx the list follows a change
    of partner without a page load (without JavaScript the service still checks the pair)."""
    form.fields["partner"].widget.attrs.update(
        {
            "data-hx-get": reverse_lazy("partners:contact_options"),
            "data-hx-target": "#id_contact_person",
            "data-hx-trigger": "change",
        }
    )
    contacts = ContactPerson.objects.filter(is_active=True)
    form.fields["contact_person"].queryset = (
        contacts.filter(partner_id=partner_id) if partner_id else contacts.none()
    )


def _chosen(form, initial_partner=None):
    raw = form.data.get("partner") if form.is_bound else initial_partner
    try:
        return int(raw) if raw else None
    except (TypeError, ValueError):
        return None


class ReferralRequestForm(forms.Form):
    need = forms.ModelChoiceField(label=_("Hulpvraag"), queryset=None)
    partner = PartnerChoiceField(label=_("Partner"), queryset=None)
    contact_person = ContactPersonChoiceField(
        label=_("Vaste contactpersoon"), queryset=None, required=False
    )
    warm_handover = forms.BooleanField(
        label=_("Warme overdracht: ik ga mee naar het eerste gesprek"), required=False
    )
    note = forms.CharField(
        label=_("Toelichting voor de coördinator"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = case.needs.exclude(
            status__in=CLOSED_NEED_STATUSES
        ).select_related("domain")
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True)
        _contacts_follow_partner(self, _chosen(self))


class ReferralAssignForm(forms.Form):
    partner = PartnerChoiceField(label=_("Partner"), queryset=None)
    contact_person = ContactPersonChoiceField(
        label=_("Vaste contactpersoon"), queryset=None, required=False
    )
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True)
        _contacts_follow_partner(self, _chosen(self, self.initial.get("partner")))


class ReferralMoveForm(forms.Form):
    to = forms.ChoiceField(choices=ReferralStatus.choices)
    note = forms.CharField(max_length=2000, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van afwijzing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ConsentForm(forms.Form):
    partner = PartnerChoiceField(label=_("Ontvanger (partner)"), queryset=None)
    purpose = forms.CharField(
        label=_("Doel"),
        max_length=200,
        help_text=_("Bijvoorbeeld: aanmelding voor schuldhulpverlening."),
    )
    scope = forms.CharField(
        label=_("Welke gegevens"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Alleen wat de partner nodig heeft, bijvoorbeeld: naam, telefoon, hulpvraag."),
    )
    given_on = forms.DateField(label=_("Gegeven op"), widget=DATE_INPUT)
    expires_on = forms.DateField(label=_("Geldig tot en met"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True)
        self.fields["given_on"].initial = timezone.localdate
        self.fields["expires_on"].initial = lambda: (
            timezone.localdate() + datetime.timedelta(days=365)
        )


class TransferProposeForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label=_("Naar organisatie"), queryset=None)
    reason = forms.CharField(
        label=_("Reden van overdracht"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Wat de ontvangende organisatie moet weten om te beslissen."),
    )
    consent_given_on = forms.DateField(
        label=_("De cliënt heeft toestemming gegeven op"), widget=DATE_INPUT
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = Organisation.objects.exclude(
            pk=case.organisation_id
        )


class TransferAcceptForm(forms.Form):
    new_worker = forms.ModelChoiceField(label=_("Vaste hulpverlener"), queryset=None)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_worker"].queryset = assignable_workers(organisation)
        self.fields["new_worker"].label_from_instance = str
