-- Escalation; see the PostgreSQL migration of the same name.
ALTER TABLE order_alerts ADD COLUMN escalation INTEGER NOT NULL DEFAULT 0;

--bun:split

CREATE INDEX order_alerts_escalation_idx ON order_alerts (created_at)
    WHERE event IS NULL AND ack_at IS NULL AND escalation < 2;

--bun:split

CREATE TABLE escalation_channels (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id    INTEGER   NOT NULL REFERENCES shops (id),
    kind       TEXT      NOT NULL,
    url        TEXT      NOT NULL,
    secret     TEXT,
    created_at TIMESTAMP NOT NULL
);

--bun:split

CREATE TABLE escalation_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id  INTEGER   NOT NULL,
    shop_id     INTEGER   NOT NULL,
    reason      TEXT      NOT NULL,
    alert_ids   TEXT      NOT NULL,
    body        TEXT      NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    send_at     TIMESTAMP NOT NULL,
    attempts    INTEGER   NOT NULL DEFAULT 0,
    lease_until TIMESTAMP,
    ended_at    TIMESTAMP,
    outcome     TEXT,
    last_error  TEXT
);

--bun:split

CREATE INDEX escalation_deliveries_due_idx ON escalation_deliveries (send_at) WHERE ended_at IS NULL;

--bun:split

CREATE INDEX escalation_deliveries_channel_idx ON escalation_deliveries (channel_id, send_at);
