DELETE FROM order_alerts WHERE event IS NOT NULL;

--bun:split

DROP INDEX order_alerts_open_order_idx;

--bun:split

DROP INDEX order_alerts_open_idx;

--bun:split

ALTER TABLE order_alerts DROP COLUMN ack_sid;

--bun:split

ALTER TABLE order_alerts DROP COLUMN ack_by_name;

--bun:split

ALTER TABLE order_alerts DROP COLUMN ack_by_id;

--bun:split

ALTER TABLE order_alerts DROP COLUMN ack_at;

--bun:split

ALTER TABLE order_alerts DROP COLUMN alert_id;

--bun:split

ALTER TABLE order_alerts DROP COLUMN event;
