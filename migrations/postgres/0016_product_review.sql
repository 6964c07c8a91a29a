-- 商品审核 (domain::product::listing_step): a product goes on sale for the first time only after
-- the platform approves it. approved_at is when it was (NULL: never); products already on sale,
-- off shelf or taken down before this migration count as approved.
ALTER TABLE products ADD COLUMN approved_at BIGINT;
UPDATE products SET approved_at = updated_at WHERE status <> 'draft';
CREATE INDEX products_status ON products (status, id);
