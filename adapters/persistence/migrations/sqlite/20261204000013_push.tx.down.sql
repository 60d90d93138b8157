DROP TABLE push_cursor;

--bun:split

DROP TABLE push_deliveries;

--bun:split

DROP TABLE push_subscriptions;
