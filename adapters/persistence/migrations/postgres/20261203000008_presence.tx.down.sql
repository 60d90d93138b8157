DROP TABLE presence;

--bun:split

DROP TABLE instances;
