import logging


class RouteInsteadOfPath(logging.Filter):
    """Django names the path of every 4xx and 5xx answer (``django.request``: 404, 403
    from ``PermissionDenied``, 500; ``django.security.csrf``: CSRF failures), and paths hold
    client numbers and case references (pseudonyms, still personal data): the route's name
    is logged instead (``cases:detail``), which says as much about where it went wrong."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple):
            match = getattr(request, "resolver_match", None)
            route = match.view_name if match else "(no route)"
            # log_response escapes its arguments (unicode_escape) before they get here.
            paths = {request.path, request.path.encode("unicode_escape").decode("ascii")}
            record.args = tuple(route if arg in paths else arg for arg in record.args)
        return True
