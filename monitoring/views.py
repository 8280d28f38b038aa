import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from monitoring.dashboard import build_dashboard
from monitoring.disclosure import HIDDEN_SECONDARY
from monitoring.forms import OutreachSessionForm, PeriodForm
from monitoring.selectors import (
    Scope,
    get_national_scope_for_request,
    get_outreach_session_for_request,
    get_region_for_request,
    monitoring_regions_for,
    outreach_session_list,
)
from monitoring.services import (
    outreach_session_create,
    outreach_session_delete,
    outreach_session_update,
)
from pmw.models import Role

# -- outreach registration -------------------------------------------------------------------


def outreach_list(request):
    if not request.user.does_casework:
        raise Http404
    sessions = outreach_session_list(request.user)
    page = Paginator(sessions, settings.MONITORING_OUTREACH_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "monitoring/outreach_list.html", {"page": page})


def _save_outreach(request, form, save, *, heading, session=None):
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("monitoring:outreach_list")
    return render(
        request,
        "monitoring/outreach_form.html",
        {"form": form, "heading": heading, "session": session},
    )


def outreach_create(request):
    if not request.user.does_casework:
        raise Http404
    form = OutreachSessionForm(request.POST or None, organisation=request.user.organisation)

    def save(form):
        outreach_session_create(by=request.user, counts=form.counts(), **form.session_data())
        messages.success(request, _("De outreach-bijeenkomst is vastgelegd."))

    return _save_outreach(request, form, save, heading=_("Outreach vastleggen"))


def outreach_edit(request, reference):
    session = get_outreach_session_for_request(request, reference, write=True)
    form = OutreachSessionForm(
        request.POST or None, organisation=session.organisation, session=session
    )

    def save(form):
        outreach_session_update(session=session, counts=form.counts(), **form.session_data())
        messages.success(request, _("De outreach-bijeenkomst is gewijzigd."))

    return _save_outreach(request, form, save, heading=_("Outreach wijzigen"), session=session)


def outreach_delete(request, reference):
    """GET asks for confirmation, POST deletes."""
    session = get_outreach_session_for_request(request, reference, write=True)
    if request.method == "POST":
        outreach_session_delete(session=session)
        messages.success(request, _("De outreach-bijeenkomst is verwijderd."))
        return redirect("monitoring:outreach_list")
    return render(request, "monitoring/outreach_confirm_delete.html", {"session": session})


# -- dashboards ------------------------------------------------------------------------------


def _period_query(request) -> str:
    """Only the period goes into links: nothing else typed into the URL is repeated."""
    return urlencode({k: request.GET[k] for k in PeriodForm.base_fields if request.GET.get(k)})


def _period(request):
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, form.period()


def _render_dashboard(request, scope_kwargs, *, csv_url_name, csv_args, template_context):
    form, period = _period(request)
    dashboard = None
    if period is not None:
        start, end, label = period
        dashboard = build_dashboard(Scope(start=start, end=end, **scope_kwargs))
        template_context["period_label"] = label
        query = _period_query(request)
        for key, table in dashboard.tables.items():
            url = reverse(csv_url_name, args=[*csv_args, key])
            table.csv_url = f"{url}?{query}" if query else url
    return render(
        request,
        "monitoring/dashboard.html",
        {
            **template_context,
            "form": form,
            "dashboard": dashboard,
            "threshold": settings.MONITORING_SUPPRESSION_THRESHOLD,
            "hidden_mark": HIDDEN_SECONDARY,
            "query": _period_query(request),
        },
    )


def region_dashboard(request, code):
    region, organisation = get_region_for_request(request, code)
    return _render_dashboard(
        request,
        {"region": region, "organisation": organisation},
        template_context={
            "region": region,
            "organisation": organisation,
        },
        csv_url_name="monitoring:region_csv",
        csv_args=[region.code],
    )


def national_dashboard(request):
    organisation = get_national_scope_for_request(request)
    return _render_dashboard(
        request,
        {"organisation": organisation},
        template_context={
            "organisation": organisation,
        },
        csv_url_name="monitoring:national_csv",
        csv_args=[],
    )


class _Echo:
    def write(self, value):
        return value


def _csv_response(request, scope_kwargs, table_key, filename):
    form, period = _period(request)
    if period is None:
        raise Http404
    start, end, _label = period
    dashboard = build_dashboard(Scope(start=start, end=end, **scope_kwargs))
    table = dashboard.tables.get(table_key)
    if table is None:
        raise Http404
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in table.as_rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{filename}-{table_key}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    return response


def region_csv(request, code, table):
    region, organisation = get_region_for_request(request, code, export=True)
    return _csv_response(
        request, {"region": region, "organisation": organisation}, table, region.code
    )


def national_csv(request, table):
    organisation = get_national_scope_for_request(request, export=True)
    return _csv_response(request, {"organisation": organisation}, table, "landelijk")


def monitoring_home(request):
    """Where the navigation sends you: your region, or the choice of your organisation's."""
    user = request.user
    regions = list(monitoring_regions_for(user))
    if not regions and user.role not in (Role.MUNICIPAL, Role.COORDINATOR):
        raise Http404
    if user.role == Role.MUNICIPAL and regions:
        return redirect("monitoring:region", code=regions[0].code)
    return render(request, "monitoring/home.html", {"regions": regions})


def definitions(request):
    return render(
        request,
        "monitoring/definitions.html",
        {"threshold": settings.MONITORING_SUPPRESSION_THRESHOLD, "hidden_mark": HIDDEN_SECONDARY},
    )
