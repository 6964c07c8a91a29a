-- 预售 (domain::presale). A shop's activity on one product: a presale price and activity stock
-- per SKU, a sale window, and a promised ship date (a fixed day, or N days after payment) that
-- every order bought in it carries as `orders.ship_by`.
CREATE TABLE presale_activities (
    id               INTEGER PRIMARY KEY,
    merchant_id      BIGINT NOT NULL REFERENCES merchants (id),
    product_id       BIGINT NOT NULL REFERENCES products (id),
    title            TEXT   NOT NULL,
    starts_at        BIGINT NOT NULL,                -- epoch ms: the sale window
    ends_at          BIGINT NOT NULL,
    ship_mode        TEXT   NOT NULL,                -- date | days
    ship_date        BIGINT NOT NULL DEFAULT 0,      -- epoch ms: 00:00 China of the day after the promised day
    ship_days        BIGINT NOT NULL DEFAULT 0,      -- days after payment
    per_order_limit  BIGINT NOT NULL,
    per_user_limit   BIGINT NOT NULL,
    status           TEXT   NOT NULL,                -- active | ended
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX presale_activities_merchant ON presale_activities (merchant_id, id);
CREATE INDEX presale_activities_product ON presale_activities (product_id, ends_at);

CREATE TABLE presale_skus (
    id           INTEGER PRIMARY KEY,
    activity_id  BIGINT NOT NULL REFERENCES presale_activities (id),
    sku_id       BIGINT NOT NULL REFERENCES skus (id),
    price        BIGINT NOT NULL,                    -- the presale price, fen
    quantity     BIGINT NOT NULL,                    -- activity stock offered
    sold         BIGINT NOT NULL DEFAULT 0,          -- held by placed orders (unpaid or paid)
    UNIQUE (activity_id, sku_id),
    CHECK (sold >= 0 AND sold <= quantity)
);
CREATE INDEX presale_skus_sku ON presale_skus (sku_id);

-- What each shopper holds of each activity (placed orders not closed or refunded).
CREATE TABLE presale_buyers (
    activity_id  BIGINT NOT NULL REFERENCES presale_activities (id),
    shopper_id   BIGINT NOT NULL REFERENCES shoppers (id),
    qty          BIGINT NOT NULL,
    PRIMARY KEY (activity_id, shopper_id),
    CHECK (qty >= 0)
);

-- The presale SKU an order line was bought under (NULL: not a presale line).
ALTER TABLE order_items ADD COLUMN presale_sku_id BIGINT REFERENCES presale_skus (id);
-- The shop's promise: shipped before this instant (epoch ms), or the shopper may take all
-- their money back without a reason. NULL: no promise beyond the platform's rules.
ALTER TABLE orders ADD COLUMN ship_by BIGINT;
