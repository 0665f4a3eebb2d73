"""Job offers: the red-flag checker and the text features it reads."""
