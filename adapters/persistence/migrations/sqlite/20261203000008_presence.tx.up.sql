-- Presence; see the PostgreSQL migration of the same name.
CREATE TABLE instances (
    id         TEXT PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    seen_at    TIMESTAMP NOT NULL
);

--bun:split

CREATE TABLE presence (
    instance_id     TEXT NOT NULL,
    admin_id        INTEGER NOT NULL,
    sid             TEXT NOT NULL,
    employee_name   TEXT NOT NULL,
    shop_id         INTEGER,
    shop_ids        TEXT,
    connected_at    TIMESTAMP NOT NULL,
    disconnected_at TIMESTAMP,
    audio           BOOLEAN,
    visible         BOOLEAN,
    PRIMARY KEY (instance_id, admin_id, sid)
);

--bun:split

CREATE INDEX presence_shop_idx ON presence (shop_id);
