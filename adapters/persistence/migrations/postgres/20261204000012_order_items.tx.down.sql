ALTER TABLE order_alerts DROP COLUMN items;

--bun:split

ALTER TABLE orders DROP COLUMN items;
