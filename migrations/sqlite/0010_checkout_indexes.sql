-- Indexes shaped for the checkout's reads and writes (bench/results/before-after-coupons-3.md).

-- The checkout reads the shopper's usable copies, the first to expire of each template, from
-- this index alone; 我的优惠券 sorts its at most 200 copies after reading them.
DROP INDEX coupons_shopper;
CREATE INDEX coupons_shopper ON coupons (shopper_id, status, template_id, valid_until, valid_from);

-- Line discount rows are read by order (and a coupon's rows within its trade), never by
-- source across orders: one index fewer to write on every checkout.
DROP INDEX order_item_discounts_source;

-- The expiry timer finds the available copies past their dates here instead of scanning every
-- copy inside a write transaction each pass. Partial, so it holds only what expiry moves and no
-- query of a shopper's or a trade's copies is drawn to it (on (status, valid_until) SQLite read
-- every shopper's available copies at each checkout).
CREATE INDEX coupons_expiry ON coupons (valid_until) WHERE status = 'available';
