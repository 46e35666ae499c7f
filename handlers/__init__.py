"""Telegram updates to domain calls. Each module exposes `register(app)`."""
