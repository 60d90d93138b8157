DROP TABLE escalation_deliveries;

--bun:split

DROP TABLE escalation_channels;

--bun:split

DROP INDEX order_alerts_escalation_idx;

--bun:split

ALTER TABLE order_alerts DROP COLUMN escalation;
