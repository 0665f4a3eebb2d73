"""Feature handlers; each module has register(app, registry)."""
