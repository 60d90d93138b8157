DROP INDEX orders_unpaid_idx;

--bun:split

ALTER TABLE orders DROP COLUMN cancel_lease_until;
