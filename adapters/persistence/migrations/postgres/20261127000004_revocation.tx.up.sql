-- Ending sessions before their tokens expire. Every admin token carries the version of its
-- account's tokens (claim tv); locking the account or changing its password moves it on, which
-- ends every older token.
ALTER TABLE employees ADD COLUMN token_version BIGINT NOT NULL DEFAULT 0;

--bun:split

-- Logged-out admin tokens (claim jti), refused until they expire; pruned once expired.
CREATE TABLE denied_tokens (
    id          VARCHAR(64) PRIMARY KEY,
    employee_id BIGINT      NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);

--bun:split

CREATE INDEX denied_tokens_expires_at_idx ON denied_tokens (expires_at);

--bun:split

-- Deleted accounts, so that an instance can tell an account deleted since its copy from one
-- created since (ids are never reused). One small row per deletion.
CREATE TABLE deleted_employees (
    id         BIGINT      PRIMARY KEY,
    deleted_at TIMESTAMPTZ NOT NULL
);

--bun:split

-- One counter that every change instances keep a copy of moves in its own transaction: accounts
-- and logouts now, what the command line creates later. Each instance polls it every second.
CREATE TABLE change_counter (
    id    SMALLINT PRIMARY KEY CHECK (id = 1),
    value BIGINT   NOT NULL
);

--bun:split

INSERT INTO change_counter (id, value) VALUES (1, 0);
