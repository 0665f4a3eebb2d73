"""Storage: one SQLite file via aiosqlite. Repositories return frozen dataclasses; SQL is here."""
