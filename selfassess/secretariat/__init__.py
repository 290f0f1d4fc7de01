"""The secretariat's round: Parties, issuing, ingest, merge, status, reminders, the aggregate."""
