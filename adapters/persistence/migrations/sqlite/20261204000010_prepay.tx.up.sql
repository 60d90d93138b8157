-- WeChat Pay's prepay of an order; see the PostgreSQL migration of the same name.
ALTER TABLE orders ADD COLUMN prepay_id TEXT;
--bun:split
ALTER TABLE orders ADD COLUMN prepay_expires_at TIMESTAMP;
