-- Ending sessions before their tokens expire; see the PostgreSQL migration of the same name.
ALTER TABLE employees ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;

--bun:split

CREATE TABLE denied_tokens (
    id          TEXT      PRIMARY KEY,
    employee_id INTEGER   NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);

--bun:split

CREATE INDEX denied_tokens_expires_at_idx ON denied_tokens (expires_at);

--bun:split

CREATE TABLE deleted_employees (
    id         INTEGER   PRIMARY KEY,
    deleted_at TIMESTAMP NOT NULL
);

--bun:split

CREATE TABLE change_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);

--bun:split

INSERT INTO change_counter (id, value) VALUES (1, 0);
