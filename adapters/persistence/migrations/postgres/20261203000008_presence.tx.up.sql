-- Presence (DESIGN §20.9): the dashboards connected to every instance, written by each instance
-- in batches, and the instances' heartbeats, by which readers ignore the rows of an instance
-- that died without deleting them. seen_at is the database's clock, as are the comparisons with
-- it, so that the instances' own clocks may differ.
CREATE TABLE instances (
    id         VARCHAR(64) PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL,
    seen_at    TIMESTAMPTZ NOT NULL
);

--bun:split

-- shop_id is the employee's shop, NULL for platform staff; shop_ids the shops a platform socket
-- named with ?shopId=, as ',3,5,' (NULL: every shop), so that one LIKE finds a shop on both
-- engines and a change rewrites one row.
CREATE TABLE presence (
    instance_id     VARCHAR(64) NOT NULL,
    admin_id        BIGINT NOT NULL,
    sid             VARCHAR(64) NOT NULL,
    employee_name   VARCHAR(32) NOT NULL,
    shop_id         BIGINT,
    shop_ids        TEXT,
    connected_at    TIMESTAMPTZ NOT NULL,
    disconnected_at TIMESTAMPTZ,
    audio           BOOLEAN,
    visible         BOOLEAN,
    PRIMARY KEY (instance_id, admin_id, sid)
);

--bun:split

CREATE INDEX presence_shop_idx ON presence (shop_id);
