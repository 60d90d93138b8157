-- Unpaid orders are cancelled after ORDERALERT_ORDER_PAYMENT_TIMEOUT (DESIGN §16, §20.7), each by
-- one instance at a time: cancel_lease_until keeps others off an order while one closes it at
-- the payment provider and cancels it.
ALTER TABLE orders ADD COLUMN cancel_lease_until TIMESTAMPTZ;

--bun:split

-- The orders waiting for payment, by age: what the timeout job reads.
CREATE INDEX orders_unpaid_idx ON orders (order_time) WHERE status = 1;
