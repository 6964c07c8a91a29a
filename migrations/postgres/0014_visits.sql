-- Visits (services::visits): page views and distinct visitors per China-time day, page and
-- source, for the whole mall (merchant_id 0: every counted view) and for the shop whose page
-- or product was seen. A visitor is a random id from a first-party cookie or the
-- mini-program's storage; nothing else about the person is kept. Robots are not counted.
-- Rows are added to by every server (additive upserts), so several servers may share them.
CREATE TABLE daily_visits (
    day          BIGINT NOT NULL,
    merchant_id  BIGINT NOT NULL,
    page         TEXT   NOT NULL,   -- home | category | search | shop | product | cart
    source       TEXT   NOT NULL,   -- home | search | category | shop | product | share | other
    views        BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, day, page, source)
);

CREATE TABLE daily_visitors (
    day          BIGINT NOT NULL,
    merchant_id  BIGINT NOT NULL,
    page         TEXT   NOT NULL,
    source       TEXT   NOT NULL,
    visitor      TEXT   NOT NULL,
    PRIMARY KEY (merchant_id, day, page, source, visitor)
);

-- The funnel's 下单 step: shoppers who placed an order in a period.
CREATE INDEX orders_created_at ON orders (created_at);
