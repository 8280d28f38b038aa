from django.conf import settings

from pmw.audit import reset_request_ip, set_request_ip


class AuditContextMiddleware:
    """Makes the client address available to the access log for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ip = request.META.get("REMOTE_ADDR")
        if settings.USE_X_FORWARDED_FOR:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            ip = forwarded.split(",")[0].strip() or ip
        token = set_request_ip(ip)
        try:
            return self.get_response(request)
        finally:
            reset_request_ip(token)


class NoStoreMiddleware:
    """Pages behind login may carry client data: browsers and proxies must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response
