from django import forms
from django.utils.translation import gettext_lazy as _

from pmw.models import ORGANISATION_ROLES, Role

ORG_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in ORGANISATION_ROLES]


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Gebruikersnaam"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, cijfers en @ . + - _"),
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(label=_("Rol"), choices=ORG_ROLE_CHOICES)
    password = forms.CharField(
        label=_("Tijdelijk wachtwoord"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Minstens 12 tekens; geen veelgebruikt wachtwoord."),
        strip=False,
    )


class UserRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=ORG_ROLE_CHOICES)


class AccessLogFilterForm(forms.Form):
    client_number = forms.CharField(label=_("Cliëntnummer"), max_length=20, required=False)
    username = forms.CharField(
        label=_("Medewerker (gebruikersnaam)"), max_length=150, required=False
    )
    since = forms.DateField(
        label=_("Van"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
