from celery import shared_task

from cases.services import retention_enforce


@shared_task(ignore_result=True)
def enforce_retention():
    """Daily: blank or anonymise what is past its retention period (see RETENTION_DAYS)."""
    return retention_enforce()
