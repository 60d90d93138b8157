-- WebSocket tickets already used: a ticket opens one socket, on any instance.
CREATE TABLE used_tickets (
    id         VARCHAR(64) PRIMARY KEY,
    expires_at TIMESTAMP NOT NULL
);

--bun:split

CREATE INDEX used_tickets_expires_at_idx ON used_tickets (expires_at);
