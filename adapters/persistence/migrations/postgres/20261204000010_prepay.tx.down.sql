ALTER TABLE orders DROP COLUMN prepay_expires_at;
--bun:split
ALTER TABLE orders DROP COLUMN prepay_id;
