from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from aftercare.models import (
    DEFAULT_INTERVAL_DAYS,
    CheckInKind,
    CheckInResult,
    Intensity,
    Severity,
    SignalKind,
    Situation,
)
from aftercare.selectors import responsible_choices
from cases.forms import WorkerChoiceField
from cases.models import LifeDomain
from profiles.forms import DATE_INPUT


class AftercarePlanForm(forms.Form):
    intensity = forms.ChoiceField(label=_("Vorm van nazorg"), choices=Intensity.choices)
    intensity_reason = forms.CharField(
        label=_("Reden voor een andere vorm dan voorgesteld"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Verplicht als je afwijkt van de voorgestelde vorm."),
    )
    check_in_interval_days = forms.IntegerField(
        label=_("Dagen tussen contactmomenten"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=format_lazy(
            _(
                "Leeg laten voor de standaard: passief {passive}, actief {active}, "
                "intensief {intensive} dagen. Niet van toepassing bij geen nazorg."
            ),
            passive=DEFAULT_INTERVAL_DAYS[Intensity.PASSIVE],
            active=DEFAULT_INTERVAL_DAYS[Intensity.ACTIVE],
            intensive=DEFAULT_INTERVAL_DAYS[Intensity.INTENSIVE],
        ),
    )
    responsible = WorkerChoiceField(label=_("Verantwoordelijke PMW'er"), queryset=None)
    planned_end_on = forms.DateField(
        label=_("Geplande einddatum"), widget=DATE_INPUT, required=False
    )

    def __init__(self, *args, case, suggested, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_choices(case)
        self.fields["intensity"].initial = plan.intensity if plan else suggested
        self.fields["responsible"].initial = plan.responsible_id if plan else case.worker_id
        if plan:
            self.fields["check_in_interval_days"].initial = plan.check_in_interval_days
            self.fields["intensity_reason"].initial = plan.intensity_reason
            self.fields["planned_end_on"].initial = plan.planned_end_on


class AftercareStartForm(AftercarePlanForm):
    starts_on = forms.DateField(label=_("Start nazorg"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Toelichting bij de fasewissel"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate


class CheckInForm(forms.Form):
    on = forms.DateField(label=_("Datum"), widget=DATE_INPUT, initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("Soort contact"), choices=CheckInKind.choices)
    result = forms.ChoiceField(label=_("Hoe gaat het?"), choices=CheckInResult.choices)
    note = forms.CharField(
        label=_("Verslag"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


class SignalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Signaal"), choices=SignalKind.choices)
    severity = forms.ChoiceField(label=_("Ernst"), choices=Severity.choices)
    noted_on = forms.DateField(
        label=_("Opgemerkt op"), widget=DATE_INPUT, initial=timezone.localdate
    )
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    reopen = forms.BooleanField(
        label=_("Traject terugzetten naar de uitvoeringsfase"),
        required=False,
        help_text=_("Wordt vastgelegd in de fasegeschiedenis."),
    )
    create_need = forms.BooleanField(
        label=_("Hulpvraag toevoegen aan het ondersteuningsplan"), required=False
    )
    need_domain = forms.ModelChoiceField(
        label=_("Leefdomein van de hulpvraag"),
        queryset=LifeDomain.objects.all(),
        required=False,
        help_text=_("Leeg laten om het leefdomein te nemen dat bij het signaal hoort."),
    )


class FollowUpForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("Heeft de cliënt nog een andere dagbesteding?"),
        choices=[("", "---------"), *Situation.choices],
    )
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    scores_consent = forms.BooleanField(
        label=_("De cliënt wil meedoen aan een zelfredzaamheidsmeting"), required=False
    )
