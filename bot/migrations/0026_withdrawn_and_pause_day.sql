-- 0026: two facts the rules had read from elsewhere.
-- round_participants.withdrawn_at: when a pause (or the schedule turned off) withdrew this
-- person's question before it reached them. Nothing more about the round is news to them (no
-- reminder, no "your partner answered") until check-ins are back on, which restores it. Read
-- from the outbox's cancelled row before: any cancellation looked like a pause's.
-- schedules.paused_day: the date a dated pause was asked to end, as typed ("/pause 12 Jan"),
-- so both partners read the same date whatever their zones (paused_until is its moment in the
-- pauser's zone, a different date for a partner hours away).
ALTER TABLE round_participants ADD COLUMN withdrawn_at INTEGER;
ALTER TABLE schedules ADD COLUMN paused_day TEXT;
