"""Command-line tools beside `run`: the offline chat, the tour, check-content and the rest."""
