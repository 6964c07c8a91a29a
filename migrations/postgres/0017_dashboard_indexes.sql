-- The dashboards count distinct shoppers over a period (支付人数, 下单人数, a shop's 复购 and
-- 老买家) straight from the orders; these indexes hold every column those counts read, so they
-- scan the index and never the order rows. The first two supersede the single-column ones.
DROP INDEX orders_paid_at;
DROP INDEX orders_created_at;
CREATE INDEX orders_paid_at ON orders (paid_at, merchant_id, shopper_id);
CREATE INDEX orders_created_at ON orders (created_at, merchant_id, shopper_id);
CREATE INDEX orders_shop_paid_at ON orders (merchant_id, paid_at, shopper_id);
CREATE INDEX orders_shopper_shop ON orders (shopper_id, merchant_id, paid_at);
-- A shop's 待回复评价 to-do, counted on every 概览: the reviews of the shop that wait for a
-- reply, read from the index alone.
CREATE INDEX reviews_to_reply ON reviews (merchant_id, automatic, replied_at, appended_at, append_replied_at);
