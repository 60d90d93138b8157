-- What was ordered (DESIGN §16): the lines the customer's client listed, as JSON text
-- [{"name":"宫保鸡丁","number":2,"amount":18.00}] (the API's shape, amounts in yuan), NULL when
-- it listed none, as every order placed before this migration did. Text, not JSONB: nothing
-- queries inside it, and both databases then keep the same bytes.
ALTER TABLE orders ADD COLUMN items TEXT;

--bun:split

-- The type-1 alert's copy of its order's items, taken at payment: the log replays alerts without
-- joining orders (nothing references across them, and alerts are pruned on their own). NULL on
-- every other row.
ALTER TABLE order_alerts ADD COLUMN items TEXT;
