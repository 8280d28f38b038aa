import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.models import DIMENSION_CATEGORIES, UNKNOWN, Dimension, OutreachKind
from monitoring.services import SESSION_FIELDS, count_field_name
from pmw.models import Municipality
from profiles.forms import DATE_INPUT


class OutreachSessionForm(forms.Form):
    held_on = forms.DateField(label=_("Datum"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("Soort"), choices=OutreachKind.choices)
    region = forms.ModelChoiceField(label=_("Regio"), queryset=None)
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=None, required=False, empty_label=_("(niet bekend)")
    )
    with_ggd = forms.BooleanField(label=_("Samen met de GGD"), required=False)
    venues_visited = forms.IntegerField(
        label=_("Bezochte locaties"), min_value=0, max_value=500, initial=0
    )
    messages_sent = forms.IntegerField(
        label=_("Verstuurde berichten (online)"), min_value=0, max_value=100000, initial=0
    )
    replies = forms.IntegerField(label=_("Reacties (online)"), min_value=0, initial=0)
    people_spoken = forms.IntegerField(
        label=_("Aantal gesproken personen"), min_value=0, max_value=10000
    )

    def __init__(self, *args, organisation, session=None, **kwargs):
        if session is not None:
            initial = {name: getattr(session, name) for name in SESSION_FIELDS}
            for count in session.counts.all():
                initial[count_field_name(count.dimension, count.category)] = count.count
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        regions = organisation.regions.all()
        self.fields["region"].queryset = regions
        self.fields["municipality"].queryset = Municipality.objects.filter(
            region__in=regions
        ).select_related("region")
        self.fields["held_on"].initial = timezone.localdate
        if len(regions) == 1:
            self.fields["region"].initial = regions[0].pk
        self.dimensions = []
        for dimension, label in Dimension.choices:
            names = []
            for category, category_label in DIMENSION_CATEGORIES[dimension]:
                if category == UNKNOWN:
                    continue
                name = count_field_name(dimension, category)
                self.fields[name] = forms.IntegerField(
                    label=category_label, min_value=0, max_value=10000, required=False
                )
                names.append(name)
            self.dimensions.append((label, names))

    @property
    def dimension_fields(self):
        return [(label, [self[name] for name in names]) for label, names in self.dimensions]

    @property
    def session_fields(self):
        return [self[name] for name in SESSION_FIELDS]

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on < datetime.date(2000, 1, 1):
            raise forms.ValidationError(_("Kies een recente datum."))
        return held_on

    def session_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in SESSION_FIELDS}

    def counts(self) -> dict:
        result = {}
        for dimension in Dimension.values:
            result[dimension] = {
                category: self.cleaned_data.get(count_field_name(dimension, category)) or 0
                for category, _label in DIMENSION_CATEGORIES[dimension]
                if category != UNKNOWN
            }
        return result


MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
FIRST_YEAR = 2021  # the DUUP regions exist since 2021


class PeriodForm(forms.Form):
    """A calendar year, a quarter of it, or from one month to another (whole months)."""

    year = forms.TypedChoiceField(label=_("Jaar"), coerce=int, choices=())
    quarter = forms.TypedChoiceField(
        label=_("Kwartaal"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Heel het jaar")), (1, "K1"), (2, "K2"), (3, "K3"), (4, "K4")],
    )
    start = forms.DateField(
        label=_("Of van maand"), required=False, input_formats=["%Y-%m"], widget=MONTH_INPUT
    )
    end = forms.DateField(
        label=_("tot en met maand"), required=False, input_formats=["%Y-%m"], widget=MONTH_INPUT
    )

    def __init__(self, data=None, **kwargs):
        this_year = timezone.localdate().year
        if data is not None and not data.get("year"):
            data = {**data.dict(), "year": str(this_year)}
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(y, y) for y in range(this_year, FIRST_YEAR - 1, -1)]
        self.fields["year"].initial = this_year
        for name, form_field in self.fields.items():
            css = "form-select" if name in ("year", "quarter") else "form-control"
            form_field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("Vul zowel de begin- als de eindmaand in."))
        this_year = timezone.localdate().year
        for name in ("start", "end"):
            month = data.get(name)
            if month and not FIRST_YEAR <= month.year <= this_year:
                self.add_error(
                    name,
                    _("Kies een maand van januari %(first)s tot en met december %(last)s.")
                    % {"first": FIRST_YEAR, "last": this_year},
                )
                data.pop(name, None)
                start = end = None
        if start and end and end < start:
            self.add_error("end", _("De eindmaand ligt vóór de beginmaand."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date, str]:
        """(first day, last day, label) of the chosen period."""
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            start = data["start"].replace(day=1)
            end = _month_end(data["end"])
            return start, end, f"{start:%m-%Y} – {end:%m-%Y}"
        year = data["year"]
        quarter = data.get("quarter")
        if quarter:
            start = datetime.date(year, 3 * quarter - 2, 1)
            end = _month_end(datetime.date(year, 3 * quarter, 1))
            return start, end, f"{year} K{quarter}"
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year)


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)
