"""Kawan: a Telegram help line for Indonesians in Cambodia."""
