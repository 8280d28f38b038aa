from celery import shared_task
from django.db import DatabaseError

from aftercare.reminders.delivery import reminders_run


@shared_task(bind=True, max_retries=3, default_retry_delay=60, ignore_result=True)
def send_reminders(self):
    """Beat runs this every REMINDER_INTERVAL_MINUTES. A rerun is harmless: see services."""
    try:
        run = reminders_run()
    except DatabaseError as exc:
        raise self.retry(exc=exc) from exc
    return {"created": run.created, "delivered": run.delivered, "failed": run.failed}
