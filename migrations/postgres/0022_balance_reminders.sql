-- 尾款支付提醒: when the shopper was told their balance window opened (epoch ms); NULL until
-- then, so the reminder job tells each balance once.
ALTER TABLE presale_balances ADD COLUMN reminded_at BIGINT;
