from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from kombu import Connection

from pmw.audit import Action, log_access
from pmw.forms import AccessLogFilterForm, UserCreateForm, UserRoleForm
from pmw.hooks import HEALTH_REPORTS
from pmw.models import Role
from pmw.selectors import (
    access_log_for_admin,
    get_managed_user_for_request,
    paginate,
    users_managed_by,
)
from pmw.services import user_change_role, user_create, user_deactivate


def home(request):
    if request.user.does_casework:
        return redirect("cases:list")
    if request.user.is_municipal:
        return redirect("monitoring:region", code=request.user.region.code)
    if request.user.role == Role.ORG_ADMIN:
        return redirect("beheer:users")
    return render(request, "pmw/home.html")


def _broker_ok() -> bool:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:  # noqa: BLE001 — any failure means "not reachable"
        return False


@login_not_required
@never_cache
def health(request):
    """For load balancers and docker-compose: is the database and the broker reachable?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = True
    except Exception:  # noqa: BLE001
        database = False
    broker = _broker_ok()
    status = 200 if database and broker else 503
    body = {"database": database, "broker": broker}
    if database:
        for report in HEALTH_REPORTS:
            body.update(report())
    return JsonResponse(body, status=status)


def _require_org_admin(request):
    if request.user.role != Role.ORG_ADMIN or not request.user.organisation_id:
        raise Http404


def user_list(request):
    _require_org_admin(request)
    log_access(user=request.user, action=Action.VIEW, record_type="user_list")
    users = users_managed_by(request.user).order_by("-is_active", "first_name", "username")
    return render(request, "pmw/user_list.html", {"users": users})


def user_create_page(request):
    _require_org_admin(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = user_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(user)s kan nu inloggen en stelt bij de eerste keer de tweede stap in.")
                % {"user": account},
            )
            return redirect("beheer:users")
    return render(request, "pmw/user_form.html", {"form": form, "heading": _("Nieuwe gebruiker")})


def user_edit(request, pk):
    account = get_managed_user_for_request(request, pk)
    form = UserRoleForm(request.POST or None, initial={"role": account.role})
    if request.method == "POST" and form.is_valid():
        try:
            user_change_role(account=account, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("De rol is gewijzigd."))
            return redirect("beheer:users")
    return render(
        request,
        "pmw/user_form.html",
        {"form": form, "account": account, "heading": _("Gebruiker wijzigen")},
    )


@require_POST
def user_deactivate_view(request, pk):
    account = get_managed_user_for_request(request, pk)
    try:
        user_deactivate(account=account, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(user)s is gedeactiveerd en overal uitgelogd.") % {"user": account}
        )
    return redirect("beheer:users")


def access_log(request):
    """NEN 7513: the organisation admin reviews who looked at what, filtered and paginated."""
    _require_org_admin(request)
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = access_log_for_admin(request.user, **filters)
    page = paginate(entries, request.GET.get("page"))
    log_access(
        user=request.user,
        action=Action.SEARCH if filters and any(filters.values()) else Action.VIEW,
        record_type="access_log",
        client_number=filters.get("client_number", "") or "",
    )
    return render(request, "pmw/access_log.html", {"form": form, "page": page})
