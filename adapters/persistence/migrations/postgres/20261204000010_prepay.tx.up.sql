-- WeChat Pay's prepay of an order (PUT /user/order/payment in wechat mode): its prepay_id and
-- the time_expire it was created with, so that a second call hands out the same prepay while it
-- is valid instead of asking WeChat again.
ALTER TABLE orders ADD COLUMN prepay_id VARCHAR(64);
--bun:split
ALTER TABLE orders ADD COLUMN prepay_expires_at TIMESTAMPTZ;
