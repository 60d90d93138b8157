-- Shops, published alerts and alert kinds; see the PostgreSQL migration of the same name.
CREATE TABLE shops (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL
);

--bun:split

INSERT INTO shops (name, created_at) VALUES ('默认门店', strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'));

--bun:split

ALTER TABLE employees ADD COLUMN shop_id INTEGER REFERENCES shops (id);

--bun:split

-- SQLite cannot add a column with both a foreign key and a non-NULL default while foreign keys
-- are on; the use cases check the shop, as they must on both engines to answer 404 门店不存在.
ALTER TABLE orders ADD COLUMN shop_id INTEGER NOT NULL DEFAULT 1;

--bun:split

-- SQLite cannot drop a constraint: the log is rebuilt without the type CHECK and the foreign key
-- to orders. Its AUTOINCREMENT counter is carried over, so that no id freed by a prune is ever
-- handed out again (replaying dashboards rely on it).
CREATE TABLE order_alerts_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    type            INTEGER   NOT NULL,
    shop_id         INTEGER   NOT NULL CHECK (shop_id > 0),
    source          TEXT,
    idempotency_key TEXT,
    order_id        INTEGER,
    order_number    TEXT,
    content         TEXT      NOT NULL,
    created_at      TIMESTAMP NOT NULL
);

--bun:split

INSERT INTO order_alerts_new (id, type, shop_id, order_id, order_number, content, created_at)
    SELECT id, type, 1, order_id, order_number, content, created_at FROM order_alerts;

--bun:split

DELETE FROM sqlite_sequence WHERE name = 'order_alerts_new';

--bun:split

INSERT INTO sqlite_sequence (name, seq) SELECT 'order_alerts_new', seq FROM sqlite_sequence WHERE name = 'order_alerts';

--bun:split

DROP TABLE order_alerts;

--bun:split

ALTER TABLE order_alerts_new RENAME TO order_alerts;

--bun:split

CREATE INDEX order_alerts_created_at_idx ON order_alerts (created_at);

--bun:split

CREATE INDEX order_alerts_shop_id_id_idx ON order_alerts (shop_id, id);

--bun:split

CREATE UNIQUE INDEX order_alerts_idempotency_key_idx ON order_alerts (source, shop_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

--bun:split

CREATE TABLE alert_kinds (
    code             INTEGER   PRIMARY KEY CHECK (code BETWEEN 1 AND 99),
    name             TEXT      NOT NULL,
    content_template TEXT      NOT NULL,
    speech_template  TEXT      NOT NULL,
    created_at       TIMESTAMP NOT NULL
);

--bun:split

INSERT INTO alert_kinds (code, name, content_template, speech_template, created_at) VALUES
    (1, '来单提醒', '订单号:{orderNumber}', '您有新的外卖订单，订单号{orderNumber}', strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    (2, '客户催单', '订单号:{orderNumber}', '顾客催单，订单号{orderNumber}，请尽快处理', strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'));

--bun:split

CREATE TABLE integrations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT      NOT NULL,
    shop_id    INTEGER   REFERENCES shops (id),
    key_hash   TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    CONSTRAINT integrations_key_hash_key UNIQUE (key_hash)
);

--bun:split

CREATE UNIQUE INDEX integrations_live_name_idx ON integrations (name) WHERE revoked_at IS NULL;
