"""Steady: a self-hosted Telegram bot that helps couples rebuild trust."""
