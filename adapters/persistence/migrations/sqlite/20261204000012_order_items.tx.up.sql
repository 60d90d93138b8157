-- What was ordered, and the type-1 alert's copy of it; see the PostgreSQL migration of the same
-- name.
ALTER TABLE orders ADD COLUMN items TEXT;

--bun:split

ALTER TABLE order_alerts ADD COLUMN items TEXT;
