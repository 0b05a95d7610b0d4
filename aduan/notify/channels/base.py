"""The one interface every channel has: send one message, or say why not."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


class TemporaryFailure(Exception):
    """The provider could not take the message now (down, busy, timed out): try again later."""


class PermanentFailure(Exception):
    """The provider refused the message (bad number, bad address, rejected template): do not
    try again."""


@dataclass(frozen=True)
class Outgoing:
    to: str
    subject: str
    body: str
    idempotency_key: str
    kind: str = ""
    params: list = field(default_factory=list)
    # (file name, content, content type) to attach where the channel can (email).
    attachments: list = field(default_factory=list)


class Channel(ABC):
    name = ""
    # True when the provider takes an idempotency key and drops a second message carrying
    # the same key: a message claimed by a worker that vanished mid-send is then sent again.
    # False: such a message is marked failed ("may have been sent") rather than sent twice.
    idempotent = False

    @abstractmethod
    def send(self, message: Outgoing) -> str:
        """Deliver `message`; return the provider's id for it (or "")."""
