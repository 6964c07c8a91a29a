-- A product's total stock is summed from its SKUs when read: checkout no longer locks and
-- updates the product row beside each SKU it takes stock from.
ALTER TABLE products DROP COLUMN total_stock;
