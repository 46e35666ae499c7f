"""A fake Telegram Bot API server with simulated users (see testing.fake.server)."""

from testing.fake.faults import Hold
from testing.fake.server import FakeTelegram
from testing.fake.users import FakeGroup, FakeUser, SentMessage, plain_text

__all__ = ["FakeGroup", "FakeTelegram", "FakeUser", "Hold", "SentMessage", "plain_text"]
