"""The clock (a periodic tick asking the database what is due) and outbox delivery."""
