"""E-mail backends for fault tests: the real file backend, slowed down or dying mid-send."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class SlowFileBackend(FileBackend):
    """Writes each message to a file after a pause, so a test can kill the process while
    a message is in flight (``PMW_TEST_MAIL_SECONDS``)."""

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("PMW_TEST_MAIL_SECONDS", "0.2")))
        return super().send_messages(email_messages)


class DyingBackend(LocmemBackend):
    """The process "dies" (SystemExit) while handing over its ``DIE_AT``-th message."""

    DIE_AT = 3
    handed_over = 0

    def send_messages(self, email_messages):
        DyingBackend.handed_over += 1
        if DyingBackend.handed_over == self.DIE_AT:
            raise SystemExit("killed while talking to the mail server")
        return super().send_messages(email_messages)
