"""Handing one message to an SMTP server, telling apart what may have arrived.

An error before the message's content is handed over means the customer got
nothing (`SendError`); a failure while the server is taking the content means
nobody can tell (`OutcomeUnknown`), and the message must not be sent again
without a person deciding so.
"""

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

# Seconds to wait for each step of the conversation with the server.
DEFAULT_TIMEOUT = 30
USUAL_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class SendError(Exception):
    """The message did not go out; `permanent` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class OutcomeUnknown(Exception):
    """The connection failed while the server was taking the message."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # starttls, ssl or none
    user: str = ""
    password: str = ""
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def of_channel(cls, channel_settings: Any) -> "SmtpSettings":
        """Return the channel's server, or the host's EMAIL_* settings if none."""
        # Shortcoming: Django's EMAIL_BACKEND is not used, only the EMAIL_*
        # values; a console or file backend is bypassed.
        timeout = getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_TIMEOUT
        if channel_settings.smtp_host:
            security = channel_settings.smtp_security
            return cls(
                host=channel_settings.smtp_host,
                port=channel_settings.smtp_port or USUAL_PORTS[security],
                security=security,
                user=channel_settings.smtp_user,
                password=channel_settings.smtp_password,
                timeout=timeout,
            )
        if getattr(settings, "EMAIL_USE_SSL", False):
            security = "ssl"
        elif getattr(settings, "EMAIL_USE_TLS", False):
            security = "starttls"
        else:
            security = "none"
        return cls(
            host=getattr(settings, "EMAIL_HOST", "localhost"),
            port=int(getattr(settings, "EMAIL_PORT", 25)),
            security=security,
            user=getattr(settings, "EMAIL_HOST_USER", "") or "",
            password=getattr(settings, "EMAIL_HOST_PASSWORD", "") or "",
            timeout=timeout,
        )

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def _reply(reply: Any) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(str(text).split())


def _refusal(what: str, code: int, reply: Any) -> SendError:
    # 5xx replies are the server's final word; 4xx ones ask to try later.
    return SendError(
        f"The SMTP server refused {what}: {code} {_reply(reply)}",
        permanent=code >= 500,
    )


def describe(error: BaseException, smtp: SmtpSettings) -> str:
    """Say in one sentence why the conversation with the server failed."""
    server = smtp.server
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (
            f"The SMTP server {server} refused the user name or password: "
            f"{error.smtp_code} {_reply(error.smtp_error)}"
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return (
            f"The SMTP server {server} does not support this: {error}. Check "
            "'SMTP security'."
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return (
            f"The SMTP server {server} answered {error.smtp_code} "
            f"{_reply(error.smtp_error)}"
        )
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"The SMTP server {server} closed the connection."
    if isinstance(error, ConnectionRefusedError):
        return f"The SMTP server {server} refused the connection (nothing listens)."
    if isinstance(error, socket.gaierror):
        return f"The SMTP server name '{smtp.host}' could not be resolved."
    if isinstance(error, TimeoutError | socket.timeout):
        return f"The SMTP server {server} did not answer within {smtp.timeout:g} s."
    if isinstance(error, ssl.SSLError):
        return (
            f"The TLS handshake with {server} failed ({error.reason or error}); "
            "check 'SMTP security' and 'SMTP port'."
        )
    return (
        f"The SMTP conversation with {server} failed: {type(error).__name__}: {error}"
    )


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    connection: smtplib.SMTP
    if smtp.security == "ssl":
        connection = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout, context=context
        )
    else:
        connection = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        connection.ehlo()
        if smtp.security == "starttls":
            if not connection.has_extn("starttls"):
                raise SendError(
                    f"The SMTP server {smtp.server} does not offer STARTTLS; choose "
                    "'ssl' or 'none' in 'SMTP security'."
                )
            connection.starttls(context=context)
            connection.ehlo()
        if smtp.user:
            connection.login(smtp.user, smtp.password)
    except BaseException:
        _close(connection)
        raise
    return connection


def _close(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()


def send(smtp: SmtpSettings, message: EmailMultiAlternatives) -> None:
    """Hand one message to the server for its single recipient.

    Raise SendError when it certainly did not go out, OutcomeUnknown when it
    may have.
    """
    sender = parseaddr(message.from_email)[1]
    [recipient] = message.recipients()
    content = message.message().as_bytes(linesep="\r\n")
    try:
        connection = _connect(smtp)
    except SendError:
        raise
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(describe(error, smtp))
    try:
        code, reply = connection.mail(sender)
        if code != 250:
            raise _refusal("the sender address", code, reply)
        code, reply = connection.rcpt(recipient)
        if code not in (250, 251):
            raise _refusal("the recipient", code, reply)
        try:
            connection.data(content)
        except smtplib.SMTPDataError as error:
            # An explicit refusal, before or after the content: not delivered.
            raise _refusal("the message", error.smtp_code, error.smtp_error)
        except (smtplib.SMTPException, OSError) as error:
            raise OutcomeUnknown(
                f"{describe(error, smtp)} This happened while the server was "
                "taking the message; it may have reached the customer."
            )
    except (SendError, OutcomeUnknown):
        raise
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(describe(error, smtp))
    finally:
        _close(connection)
