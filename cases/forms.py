from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    AssessmentKind,
    ContactMoment,
    ContactRoute,
    LifeDomain,
    Need,
    NeedStatus,
    NotMetReason,
    Outcome,
    Phase,
    Score,
    StopReason,
)
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
    # Aftercare is entered through the aftercare start form ("Naar nazorg"), which makes the
    # aftercare plan in the same step; this generic form only moves between the other phases.
    to = forms.ChoiceField(
        label=_("Nieuwe fase"),
        choices=[(value, label) for value, label in Phase.choices if value != Phase.AFTERCARE],
    )
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


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["domain", "description", "priority", "answered_by", "identified_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "identified_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identified_on"].initial = timezone.localdate


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nieuwe status"), choices=NeedStatus.choices)
    not_met_reason = forms.ChoiceField(
        label=_("Waarom niet beantwoord?"),
        choices=[("", "---------")] + list(NotMetReason.choices),
        required=False,
        help_text=_("Verplicht bij de status “Niet beantwoord”."),
    )
    on = forms.DateField(
        label=_("Datum"),
        widget=DATE_INPUT,
        initial=timezone.localdate,
        help_text=_("Bij afronden: de datum van afronden."),
    )


class FirstHelpForm(forms.Form):
    on = forms.DateField(
        label=_("Eerste concrete hulp op"), widget=DATE_INPUT, initial=timezone.localdate
    )


NOT_DISCUSSED = ""
SCORE_CHOICES = [(NOT_DISCUSSED, _("niet besproken"))] + [
    (str(value), label) for value, label in Score.choices
]


class AssessmentForm(forms.Form):
    """One field per domain of the matrix version (``score_<domain id>``)."""

    kind = forms.ChoiceField(label=_("Soort meting"), choices=AssessmentKind.choices)
    assessed_on = forms.DateField(label=_("Datum"), widget=DATE_INPUT, initial=timezone.localdate)

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        for domain in self.domains:
            self.fields[f"score_{domain.pk}"] = forms.ChoiceField(
                label=domain.name,
                help_text=domain.description,
                choices=SCORE_CHOICES,
                required=False,
            )
        self.fields["note"] = forms.CharField(
            label=_("Toelichting"),
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=2000,
            required=False,
        )

    def scores(self) -> dict:
        return {
            domain.pk: int(value) if (value := self.cleaned_data[f"score_{domain.pk}"]) else None
            for domain in self.domains
        }
