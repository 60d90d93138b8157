DROP TABLE employees;

--bun:split

DROP TABLE order_alerts;

--bun:split

DROP TABLE orders;
