DROP TABLE integrations;

--bun:split

DROP TABLE alert_kinds;

--bun:split

DELETE FROM order_alerts WHERE source IS NOT NULL OR type NOT IN (1, 2);

--bun:split

ALTER TABLE order_alerts DROP COLUMN idempotency_key, DROP COLUMN source, DROP COLUMN shop_id;

--bun:split

ALTER TABLE order_alerts ALTER COLUMN order_number SET NOT NULL, ALTER COLUMN order_id SET NOT NULL;

--bun:split

ALTER TABLE order_alerts ADD CONSTRAINT order_alerts_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id);

--bun:split

ALTER TABLE order_alerts ADD CONSTRAINT order_alerts_type_check CHECK (type IN (1, 2));

--bun:split

ALTER TABLE orders DROP COLUMN shop_id;

--bun:split

ALTER TABLE employees DROP COLUMN shop_id;

--bun:split

DROP TABLE shops;
