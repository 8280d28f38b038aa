from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from kombu import Connection


def home(request):
    if request.user.does_casework:
        return redirect("cases:list")
    if request.user.is_municipal:
        return redirect("monitoring:region", code=request.user.region.code)
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
    return JsonResponse({"database": database, "broker": broker}, status=status)
