"""Help requests before they become cases: the draft and its steps."""
