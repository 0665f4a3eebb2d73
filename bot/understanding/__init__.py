"""Reading what people type: normalisation, the guide index, search, danger, estimates."""
