"""Offline Bot API transport and update builders: one implementation for chat, tests, benchmarks."""
