-- Reviews (评价) of order lines, and the sums a product's rating and a shop's scores are read
-- from (domain::review). Stars 1–5, times epoch ms.

CREATE TABLE reviews (
    id                 INTEGER PRIMARY KEY,
    order_item_id      BIGINT NOT NULL UNIQUE REFERENCES order_items (id),
    order_id           BIGINT NOT NULL REFERENCES orders (id),
    merchant_id        BIGINT NOT NULL REFERENCES merchants (id),
    product_id         BIGINT NOT NULL REFERENCES products (id),
    shopper_id         BIGINT NOT NULL REFERENCES shoppers (id),
    goods_stars        BIGINT NOT NULL,
    service_stars      BIGINT NOT NULL,
    logistics_stars    BIGINT NOT NULL,
    content            TEXT   NOT NULL DEFAULT '',
    images             TEXT   NOT NULL DEFAULT '',   -- image keys separated by spaces
    anonymous          BIGINT NOT NULL DEFAULT 0,
    automatic          BIGINT NOT NULL DEFAULT 0,    -- 默认好评 of a line nobody reviewed
    reply              TEXT   NOT NULL DEFAULT '',
    replied_at         BIGINT,
    append_content     TEXT   NOT NULL DEFAULT '',
    append_images      TEXT   NOT NULL DEFAULT '',
    appended_at        BIGINT,
    append_reply       TEXT   NOT NULL DEFAULT '',
    append_replied_at  BIGINT,
    hidden             BIGINT NOT NULL DEFAULT 0,    -- hidden by the platform
    hidden_reason      TEXT   NOT NULL DEFAULT '',
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    CHECK (goods_stars BETWEEN 1 AND 5),
    CHECK (service_stars BETWEEN 1 AND 5),
    CHECK (logistics_stars BETWEEN 1 AND 5)
);
CREATE INDEX reviews_product ON reviews (product_id, hidden, automatic, id);
CREATE INDEX reviews_merchant ON reviews (merchant_id, id);
CREATE INDEX reviews_shopper ON reviews (shopper_id, id);

-- Per product, the visible reviews summed: written in the transaction of every review, append
-- and hiding, so a product page reads one row however many reviews it has.
CREATE TABLE review_stats (
    product_id       BIGINT PRIMARY KEY REFERENCES products (id),
    merchant_id      BIGINT NOT NULL REFERENCES merchants (id),
    top_category_id  BIGINT NOT NULL,                -- the product's top-level category
    total            BIGINT NOT NULL DEFAULT 0,
    goods_sum        BIGINT NOT NULL DEFAULT 0,
    service_sum      BIGINT NOT NULL DEFAULT 0,
    logistics_sum    BIGINT NOT NULL DEFAULT 0,
    positive         BIGINT NOT NULL DEFAULT 0,      -- goods 4–5 stars
    neutral          BIGINT NOT NULL DEFAULT 0,      -- goods 3 stars
    with_photos      BIGINT NOT NULL DEFAULT 0,
    with_append      BIGINT NOT NULL DEFAULT 0,
    automatic        BIGINT NOT NULL DEFAULT 0       -- 默认好评, counted above too
);
CREATE INDEX review_stats_merchant ON review_stats (merchant_id);
CREATE INDEX review_stats_category ON review_stats (top_category_id);

-- 1 from completion until every line is reviewed (by the shopper or automatically): what the
-- automatic review timer and the 待评价 list look for.
ALTER TABLE orders ADD COLUMN review_pending BIGINT NOT NULL DEFAULT 0;
UPDATE orders SET review_pending = 1 WHERE status = 'completed';
CREATE INDEX orders_review_pending ON orders (review_pending, completed_at);
