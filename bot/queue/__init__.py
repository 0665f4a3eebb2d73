"""Cases and the officers' side: submission, the outbox dispatcher, pacing, relay, reminders."""
