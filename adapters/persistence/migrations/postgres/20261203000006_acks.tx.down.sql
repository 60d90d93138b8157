DELETE FROM order_alerts WHERE event IS NOT NULL;

--bun:split

DROP INDEX order_alerts_open_order_idx;

--bun:split

DROP INDEX order_alerts_open_idx;

--bun:split

ALTER TABLE order_alerts DROP COLUMN ack_sid, DROP COLUMN ack_by_name, DROP COLUMN ack_by_id, DROP COLUMN ack_at,
    DROP COLUMN alert_id, DROP COLUMN event;
