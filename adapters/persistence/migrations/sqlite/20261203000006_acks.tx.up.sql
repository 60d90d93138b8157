-- Acknowledgements; see the PostgreSQL migration of the same name.
ALTER TABLE order_alerts ADD COLUMN event TEXT;

--bun:split

ALTER TABLE order_alerts ADD COLUMN alert_id INTEGER;

--bun:split

ALTER TABLE order_alerts ADD COLUMN ack_at TIMESTAMP;

--bun:split

ALTER TABLE order_alerts ADD COLUMN ack_by_id INTEGER;

--bun:split

ALTER TABLE order_alerts ADD COLUMN ack_by_name TEXT;

--bun:split

ALTER TABLE order_alerts ADD COLUMN ack_sid TEXT;

--bun:split

-- Alerts from before acknowledgements were seen, or not, long ago: they are closed by nobody now,
-- with no event, so that nothing rings or escalates for them after the upgrade (§20.8).
UPDATE order_alerts SET ack_at = strftime('%Y-%m-%d %H:%M:%f+00:00', 'now');

--bun:split

-- The open alerts of a shop (?state=open, the open count) and of an order (confirm acks them).
CREATE INDEX order_alerts_open_idx ON order_alerts (shop_id, id) WHERE ack_at IS NULL AND event IS NULL;

--bun:split

CREATE INDEX order_alerts_open_order_idx ON order_alerts (order_id) WHERE ack_at IS NULL AND event IS NULL;
