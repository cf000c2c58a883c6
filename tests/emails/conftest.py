"""A real SMTP server on loopback, and what the customers found in their inboxes."""

import asyncio
import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

# The tier receiver is connected when Django starts (apps.py); importing it
# here keeps these tests independent of that wiring.
import saleor_kinship.emails.receivers  # noqa: F401

SENDER = "Kinship Coffee <hello@kinship.test>"


@dataclass(frozen=True)
class Received:
    """One message as the recipient's mail program shows it."""

    envelope_from: str
    envelope_to: list[str]
    message: EmailMessage

    @property
    def to(self) -> str:
        return str(self.message["To"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None, "no text/plain part"
        # Line ends travel as CRLF; a mail program shows plain lines.
        return part.get_content().replace("\r\n", "\n")

    @property
    def html(self) -> str:
        part = self.message.get_body(("html",))
        assert part is not None, "no text/html part"
        return part.get_content().replace("\r\n", "\n")


class Inbox:
    """The aiosmtpd handler: keeps every message the server accepted."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.lock = threading.Lock()
        self.refuse_recipients: dict[str, str] = {}
        self.hang_up_after_data = False
        # Set `hold` to keep the client waiting for the reply to its message.
        self.hold: threading.Event | None = None
        self.data_arrived = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    message_from_bytes(envelope.content, policy=default_policy),
                )
            )
        self.data_arrived.set()
        while self.hold is not None and not self.hold.is_set():
            await asyncio.sleep(0.05)
        if self.hang_up_after_data:
            # The message is in, but the client never hears so.
            server.transport.close()
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        return [mail for mail in self.messages if address in mail.envelope_to]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A loopback SMTP server that a test can stop and start again."""

    def __init__(self, port: int, **options: Any):
        self.port = port
        self.inbox = Inbox()
        self.options = options
        self.controller: Controller | None = None

    def start(self) -> "SmtpServer":
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, **self.options
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_down():
    """A port where nothing listens yet; `.start()` brings the server up."""
    server = SmtpServer(free_port())
    yield server
    server.stop()


@pytest.fixture
def smtp_server(smtp_down):
    return smtp_down.start()


@pytest.fixture
def inbox(smtp_server) -> Inbox:
    return smtp_server.inbox


@pytest.fixture
def use_smtp(channel, configure):
    """Point a channel's e-mails at a loopback server, as a merchant would."""

    def use(server: SmtpServer, target: Any = None, **values: Any) -> None:
        defaults = {
            "smtp_host": "127.0.0.1",
            "smtp_port": str(server.port),
            "smtp_security": "none",
            "sender_address": SENDER,
            "shop_name": "Kinship Coffee",
        }
        configure(target or channel, **{**defaults, **values})

    return use


@pytest.fixture
def mail_shop(shop, smtp_server, use_smtp):
    """The shop, its default channel sending through the loopback server."""
    use_smtp(smtp_server)
    return shop


def password_check(user: str, password: str):
    """An aiosmtpd authenticator accepting one user name and password."""

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user.encode() and auth_data.password == (
            password.encode()
        )
        # handled=False: aiosmtpd answers 235 or 535 itself.
        return AuthResult(success=ok, handled=False)

    return authenticate


def set_profile(customer: Any, **changes: Any) -> None:
    """Change a customer's profile as she would herself (consent, birthday)."""
    from datetime import date

    from saleor_kinship.relationships.profiles import profile_for, update_profile
    from saleor_kinship.relationships.validation import DayOfYear

    if "birthday" in changes:
        changes["birthday"] = DayOfYear(*changes["birthday"])
    update_profile(profile_for(customer), changes, date(2030, 1, 1))
