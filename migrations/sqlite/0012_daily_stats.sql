-- Daily aggregates the dashboards read for days that are over (services::dashboards): one row
-- per shop and China-time day, one for the whole platform (merchant_id 0), and one per product.
-- Every figure is rebuilt from orders, after-sales, shoppers and the ledger by
-- `jishi rebuild-stats`; the job closes each day a few minutes after China midnight. Money in fen.
CREATE TABLE daily_stats (
    day                BIGINT NOT NULL,   -- China-time day number (days since 1970-01-01 in China)
    merchant_id        BIGINT NOT NULL,   -- 0: the whole platform
    gmv                BIGINT NOT NULL,   -- Σ orders' pay_amount, on the payment day
    paid_orders        BIGINT NOT NULL,
    payers             BIGINT NOT NULL,   -- distinct shoppers who paid that day
    new_buyers         BIGINT NOT NULL,   -- of them, paying here (the shop / the platform) for the first time
    units              BIGINT NOT NULL,
    refunds            BIGINT NOT NULL,   -- Σ after-sales refunded, on the refund day
    refund_count       BIGINT NOT NULL,
    merchant_discount  BIGINT NOT NULL,   -- discounts on the orders paid that day, by funder
    platform_discount  BIGINT NOT NULL,
    commission         BIGINT NOT NULL,   -- commission income booked that day (ledger)
    new_shoppers       BIGINT NOT NULL,   -- sign-ups (platform row only)
    PRIMARY KEY (merchant_id, day)
);

CREATE TABLE daily_product_stats (
    day          BIGINT NOT NULL,
    product_id   BIGINT NOT NULL,
    merchant_id  BIGINT NOT NULL,
    category_id  BIGINT NOT NULL,         -- the product's category when it was sold
    units        BIGINT NOT NULL,
    gmv          BIGINT NOT NULL,         -- Σ lines' pay_amount
    PRIMARY KEY (day, product_id)
);
CREATE INDEX daily_product_stats_merchant ON daily_product_stats (merchant_id, day);

-- The day ranges the aggregates and the live "today" read.
CREATE INDEX orders_paid_at ON orders (paid_at);
CREATE INDEX after_sales_refunded_at ON after_sales (refunded_at);
CREATE INDEX ledger_lines_created_at ON ledger_lines (created_at);
CREATE INDEX shoppers_created_at ON shoppers (created_at);
