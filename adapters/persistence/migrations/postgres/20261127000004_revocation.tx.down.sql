DROP TABLE change_counter;

--bun:split

DROP TABLE deleted_employees;

--bun:split

DROP TABLE denied_tokens;

--bun:split

ALTER TABLE employees DROP COLUMN token_version;
