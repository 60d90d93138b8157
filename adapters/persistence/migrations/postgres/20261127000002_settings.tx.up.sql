-- Values the service generates once and every instance shares: in dev mode, the JWT secrets.
CREATE TABLE settings (
    name  VARCHAR(64) PRIMARY KEY,
    value TEXT        NOT NULL
);
