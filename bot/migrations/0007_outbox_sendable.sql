-- 0007: what the delivery loop asks on every pass, "pending rows in the order they may go", is
-- an ordered index walk that stops at the batch's size, not a sort of the whole queue. On
-- PostgreSQL, with 10,000 rows pending, one pass went from 30 ms to 1 ms (EXPLAIN ANALYZE).
CREATE INDEX outbox_sendable ON outbox(not_before, id) WHERE status = 'pending';
