-- 0024: the rows in flight, by the worker holding them. Renewing a worker's lease (every ten
-- seconds), and finding what a crash left in flight, read these few rows, where the status
-- indexes made them read every pending row: 86 ms a renewal on SQLite, write lock held, with
-- 100,000 prompts of a fan-out pending.
CREATE INDEX outbox_inflight ON outbox(lease_token) WHERE inflight = 1;
