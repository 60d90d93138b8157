-- Web Push (DESIGN §15, §20.10); see the PostgreSQL migration for what each table is.
CREATE TABLE push_subscriptions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    employee_id   INTEGER   NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    token_id      TEXT      NOT NULL,
    token_version INTEGER   NOT NULL,
    endpoint      TEXT      NOT NULL UNIQUE,
    p256dh        TEXT      NOT NULL,
    auth          TEXT      NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

--bun:split

CREATE INDEX push_subscriptions_token_idx ON push_subscriptions (token_id);

--bun:split

CREATE TABLE push_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER   NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    alert_id        INTEGER   NOT NULL,
    renotify        BOOLEAN   NOT NULL,
    payload         TEXT      NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    send_at         TIMESTAMP NOT NULL,
    attempts        INTEGER   NOT NULL DEFAULT 0,
    lease_until     TIMESTAMP,
    ended_at        TIMESTAMP,
    outcome         TEXT,
    UNIQUE (subscription_id, alert_id, renotify)
);

--bun:split

CREATE INDEX push_deliveries_due_idx ON push_deliveries (send_at) WHERE ended_at IS NULL;

--bun:split

CREATE TABLE push_cursor (
    id            INTEGER PRIMARY KEY,
    last_alert_id INTEGER NOT NULL
);

--bun:split

INSERT INTO push_cursor (id, last_alert_id) SELECT 1, COALESCE(MAX(id), 0) FROM order_alerts;
