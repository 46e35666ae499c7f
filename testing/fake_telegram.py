"""The fake Bot API's old address, kept for imports; it lives in the package testing.fake."""

from testing.fake import FakeGroup, FakeTelegram, FakeUser, Hold, SentMessage, plain_text

__all__ = ["FakeGroup", "FakeTelegram", "FakeUser", "Hold", "SentMessage", "plain_text"]
