-- The mini-program's users; see the PostgreSQL migration of the same name.
CREATE TABLE customers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    openid     TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT customers_openid_key UNIQUE (openid)
);
