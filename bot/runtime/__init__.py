"""How updates enter and sends leave: ordering, the durable inbox, the send budget."""
