-- The payment timeout; see the PostgreSQL migration of the same name.
ALTER TABLE orders ADD COLUMN cancel_lease_until TIMESTAMP;

--bun:split

CREATE INDEX orders_unpaid_idx ON orders (order_time) WHERE status = 1;
