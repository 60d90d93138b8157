-- Acknowledgements (DESIGN §14, §20.1). An alert is open until a person acknowledges it; the ack
-- is kept on the alert (ack_*) and recorded as an event row of the same log (event = 'ack',
-- alert_id = the alert), so that it takes the alerts' id sequence and the one ordering lock, and
-- one lastAlertId resumes a dashboard through alerts and acks alike. An event row has type 0 and
-- no content: readers of kinds 1 and 2 only (type IN (1,2)) never see one.
ALTER TABLE order_alerts ADD COLUMN event VARCHAR(16);

--bun:split

ALTER TABLE order_alerts ADD COLUMN alert_id BIGINT;

--bun:split

ALTER TABLE order_alerts ADD COLUMN ack_at TIMESTAMPTZ;

--bun:split

ALTER TABLE order_alerts ADD COLUMN ack_by_id BIGINT;

--bun:split

ALTER TABLE order_alerts ADD COLUMN ack_by_name VARCHAR(64);

--bun:split

ALTER TABLE order_alerts ADD COLUMN ack_sid VARCHAR(64);

--bun:split

-- Alerts from before acknowledgements were seen, or not, long ago: they are closed by nobody now,
-- with no event, so that nothing rings or escalates for them after the upgrade (§20.8).
UPDATE order_alerts SET ack_at = now();

--bun:split

-- The open alerts of a shop (?state=open, the open count) and of an order (confirm acks them).
CREATE INDEX order_alerts_open_idx ON order_alerts (shop_id, id) WHERE ack_at IS NULL AND event IS NULL;

--bun:split

CREATE INDEX order_alerts_open_order_idx ON order_alerts (order_id) WHERE ack_at IS NULL AND event IS NULL;
