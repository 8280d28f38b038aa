import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profiles.models import Client, Talent, WorkSector

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClientForm(forms.ModelForm):
    sectors = forms.MultipleChoiceField(
        label=_("Werksector(en)"),
        choices=WorkSector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    talents = forms.MultipleChoiceField(
        label=_("Talenten en krachten"),
        choices=Talent.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Client
        fields = [
            "working_name",
            "legal_name",
            "birth_date",
            "birth_year",
            "gender",
            "country_of_origin",
            "languages",
            "interpreter_needed",
            "sectors",
            "licensing",
            "how_started",
            "profile",
            "living_situation",
            "talents",
            "talents_note",
            "municipality",
            "phone",
            "safe_channels",
            "safe_times",
            "never_use",
            "safety_flag",
            "shelter_location",
            "safety_details",
            "reflection_period_ends_on",
        ]
        widgets = {
            "birth_date": DATE_INPUT,
            "reflection_period_ends_on": DATE_INPUT,
            "talents_note": forms.Textarea(attrs={"rows": 2}),
            "legal_name": forms.TextInput(),
            "shelter_location": forms.Textarea(attrs={"rows": 2}),
            "safety_details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, show_safety_details=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_safety_details:
            # Not for this user's eyes (safety flag): not shown, so not changeable either. Nor
            # the flag itself: whoever cleared it would see the shelter location without
            # breaking the glass.
            del self.fields["shelter_location"]
            del self.fields["safety_details"]
            del self.fields["safety_flag"]
        self.fields["municipality"].queryset = self.fields["municipality"].queryset.select_related(
            "region"
        )
        if self.instance.pk:
            self.initial["sectors"] = [s.sector for s in self.instance.sectors.all()]
            self.initial["talents"] = [t.talent for t in self.instance.talents.all()]

    def clean_working_name(self):
        name = self.cleaned_data["working_name"].strip()
        if not name:
            raise forms.ValidationError(_("Vul een werknaam of roepnaam in."))
        return name

    def clean_birth_date(self):
        day = self.cleaned_data.get("birth_date")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Een geboortedatum kan niet in de toekomst liggen."))
        if day and day < datetime.date(1900, 1, 1):
            raise forms.ValidationError(_("Controleer de geboortedatum."))
        return day

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        this_year = timezone.localdate().year
        if year is not None and not (1900 <= year <= this_year):
            raise forms.ValidationError(
                _("Vul een geboortejaar in tussen 1900 en %(year)s.") % {"year": this_year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        day, year = cleaned.get("birth_date"), cleaned.get("birth_year")
        if day and year and day.year != year:
            self.add_error("birth_year", _("Het geboortejaar past niet bij de geboortedatum."))
        elif day:
            cleaned["birth_year"] = day.year
        return cleaned


class ClientRegisterForm(ClientForm):
    """Registration asks, when similar records exist, whether this is another person."""

    confirm_new_person = forms.BooleanField(
        label=_("Ik heb de mogelijke dubbele registraties bekeken: dit is een andere persoon."),
        required=False,
    )


class AccessBlockForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Medewerker"), queryset=None)
    reason = forms.CharField(
        label=_("Reden"),
        max_length=200,
        help_text=_("Bijvoorbeeld: kent de persoon privé."),
    )

    def __init__(self, *args, client, by, **kwargs):
        super().__init__(*args, **kwargs)
        from pmw.models import User

        self.fields["user"].queryset = (
            User.objects.filter(organisation_id=client.organisation_id, is_active=True)
            .exclude(pk=by.pk)
            .exclude(access_blocks__client=client)
            .order_by("first_name", "last_name", "username")
        )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom heeft u de verblijfplaats nu nodig?"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("De coördinator ziet deze reden, met uw naam en het tijdstip."),
    )
