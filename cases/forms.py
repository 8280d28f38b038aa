from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import ContactMoment, ContactRoute, LifeDomain, Outcome, Phase, StopReason
from cases.selectors import assignable_workers
from profiles.forms import DATE_INPUT


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class CaseOpenForm(forms.Form):
    worker = WorkerChoiceField(label=_("Vaste hulpverlener"), queryset=None)
    contact_route = forms.ChoiceField(
        label=_("Hoe is het contact ontstaan?"),
        choices=[("", "---------")] + list(ContactRoute.choices),
    )
    opened_on = forms.DateField(label=_("Startdatum"), widget=DATE_INPUT)
    stop_reasons = forms.MultipleChoiceField(
        label=_("Redenen om te stoppen of te veranderen (als die er zijn)"),
        choices=StopReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = assignable_workers(organisation)
        self.fields["opened_on"].initial = timezone.localdate


class ContactMomentForm(forms.ModelForm):
    domains = forms.ModelMultipleChoiceField(
        label=_("Besproken leefdomeinen"),
        queryset=LifeDomain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ContactMoment
        fields = ["at", "kind", "duration_minutes", "note", "domains"]
        widgets = {
            "at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "note": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = lambda: timezone.localtime().replace(second=0, microsecond=0)


class PhaseChangeForm(forms.Form):
    to = forms.ChoiceField(label=_("Nieuwe fase"), choices=Phase.choices)
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class CaseCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Resultaat"), choices=[("", "---------")] + list(Outcome.choices)
    )
    closed_on = forms.DateField(label=_("Einddatum"), widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class CaseReassignForm(forms.Form):
    to_worker = WorkerChoiceField(label=_("Nieuwe vaste hulpverlener"), queryset=None)
    reason = forms.CharField(
        label=_("Reden van de wisseling"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    extra_care_confirmed = forms.BooleanField(
        label=_(
            "Ik weet dat een wisseling van hulpverlener voor deze cliënt zoveel mogelijk "
            "voorkomen moet worden, en bevestig dat deze wisseling nodig is."
        ),
        required=False,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_worker"].queryset = assignable_workers(case.organisation).exclude(
            pk=case.worker_id
        )
        if not case.client.needs_extra_care:
            del self.fields["extra_care_confirmed"]


class CaseShareForm(forms.Form):
    user = WorkerChoiceField(label=_("Collega"), queryset=None)
    expires_on = forms.DateField(
        label=_("Gedeeld tot en met"),
        widget=DATE_INPUT,
        help_text=_("Na deze datum vervalt de toegang vanzelf."),
    )
    can_write = forms.BooleanField(
        label=_("Mag ook contactmomenten vastleggen en het traject wijzigen"), required=False
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            assignable_workers(case.organisation)
            .filter(role="worker")
            .exclude(pk=case.worker_id)
            .exclude(access_blocks__client_id=case.client_id)
        )
