-- The order core; see the PostgreSQL migration of the same name. AUTOINCREMENT keeps ids from ever
-- being reused after a delete, which replaying dashboards rely on. Times are stored as text in
-- Bun's format ('2006-01-02 15:04:05.999999+00:00'), which SQLite's date functions read.
CREATE TABLE orders (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    number                  TEXT      NOT NULL,
    status                  INTEGER   NOT NULL CHECK (status BETWEEN 1 AND 6),
    user_id                 INTEGER   NOT NULL,
    address_book_id         INTEGER,
    order_time              TIMESTAMP NOT NULL,
    checkout_time           TIMESTAMP,
    pay_method              INTEGER   NOT NULL,
    pay_status              INTEGER   NOT NULL CHECK (pay_status BETWEEN 0 AND 2),
    amount                  NUMERIC   NOT NULL CHECK (amount > 0),
    transaction_id          TEXT,
    remark                  TEXT,
    phone                   TEXT,
    address                 TEXT,
    consignee               TEXT,
    cancel_reason           TEXT,
    rejection_reason        TEXT,
    cancel_time             TIMESTAMP,
    estimated_delivery_time TIMESTAMP,
    delivery_status         INTEGER   NOT NULL DEFAULT 1,
    pack_amount             INTEGER   NOT NULL DEFAULT 0,
    tableware_number        INTEGER   NOT NULL DEFAULT 0,
    tableware_status        INTEGER   NOT NULL DEFAULT 1,
    last_reminded_at        TIMESTAMP,
    CONSTRAINT orders_number_key UNIQUE (number)
);

--bun:split

CREATE INDEX orders_user_id_idx ON orders (user_id);

--bun:split

CREATE TABLE order_alerts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    type         INTEGER   NOT NULL CHECK (type IN (1, 2)),
    order_id     INTEGER   NOT NULL REFERENCES orders (id),
    order_number TEXT      NOT NULL,
    content      TEXT      NOT NULL,
    created_at   TIMESTAMP NOT NULL
);

--bun:split

CREATE INDEX order_alerts_created_at_idx ON order_alerts (created_at);

--bun:split

CREATE TABLE employees (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT      NOT NULL,
    username    TEXT      NOT NULL,
    password    TEXT      NOT NULL, -- a bcrypt hash, never the password
    phone       TEXT,
    status      INTEGER   NOT NULL DEFAULT 1,
    create_time TIMESTAMP NOT NULL,
    update_time TIMESTAMP NOT NULL,
    CONSTRAINT employees_username_key UNIQUE (username)
);
