-- Merchant onboarding and the catalog: applications and their review, the categories a shop may
-- sell in, shop decoration, uploaded images, products with spec dimensions and SKUs, stock log.
-- Merchant-owned rows carry merchant_id (the future sharding key).

ALTER TABLE merchants ADD COLUMN logo TEXT NOT NULL DEFAULT '';
-- image keys separated by spaces, in display order
ALTER TABLE merchants ADD COLUMN banners TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';

-- Every stored image: the key names the re-encoded variants (<key>_240.jpg, _750, _1500).
CREATE TABLE images (
    image_key     TEXT   PRIMARY KEY,
    width         BIGINT NOT NULL,
    height        BIGINT NOT NULL,
    uploader      TEXT   NOT NULL,            -- realm:account id
    created_at    BIGINT NOT NULL
);

CREATE TABLE merchant_applications (
    id                 INTEGER PRIMARY KEY,
    shopper_id         BIGINT NOT NULL REFERENCES shoppers (id),
    shop_name          TEXT   NOT NULL,
    kind               TEXT   NOT NULL,       -- individual | enterprise
    region             TEXT   NOT NULL,
    intro              TEXT   NOT NULL DEFAULT '',
    contact_name       TEXT   NOT NULL,
    contact_phone_enc  TEXT   NOT NULL,
    contact_phone_masked TEXT NOT NULL,
    licence_no         TEXT   NOT NULL,
    licence_image      TEXT   NOT NULL REFERENCES images (image_key),
    -- top-level category ids, comma separated
    category_ids       TEXT   NOT NULL,
    owner_username     TEXT   NOT NULL,
    owner_password_hash TEXT  NOT NULL,
    status             TEXT   NOT NULL,       -- pending | approved | rejected
    reject_reason      TEXT   NOT NULL DEFAULT '',
    reviewer_id        BIGINT REFERENCES admins (id),
    reviewed_at        BIGINT,
    merchant_id        BIGINT REFERENCES merchants (id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX merchant_applications_status ON merchant_applications (status, created_at);
CREATE INDEX merchant_applications_shopper ON merchant_applications (shopper_id, created_at);

-- The top-level categories a merchant may sell in (and hence all their sub-categories).
CREATE TABLE merchant_categories (
    merchant_id  BIGINT NOT NULL REFERENCES merchants (id),
    category_id  BIGINT NOT NULL REFERENCES categories (id),
    PRIMARY KEY (merchant_id, category_id)
);

CREATE TABLE products (
    id              INTEGER PRIMARY KEY,
    merchant_id     BIGINT NOT NULL REFERENCES merchants (id),
    category_id     BIGINT NOT NULL REFERENCES categories (id),
    title           TEXT   NOT NULL,
    subtitle        TEXT   NOT NULL DEFAULT '',
    brand           TEXT   NOT NULL DEFAULT '',
    origin          TEXT   NOT NULL DEFAULT '',   -- 产区
    description     TEXT   NOT NULL DEFAULT '',   -- sanitised HTML
    main_image      TEXT   NOT NULL DEFAULT '',
    gallery         TEXT   NOT NULL DEFAULT '',   -- image keys separated by spaces
    -- JSON: [{"name":"规格","values":["500g","1kg"]}, ...], at most three dimensions
    spec_dims       TEXT   NOT NULL DEFAULT '[]',
    status          TEXT   NOT NULL,              -- draft | on_sale | off_shelf | taken_down
    status_reason   TEXT   NOT NULL DEFAULT '',   -- the platform's reason for a takedown
    featured        BIGINT NOT NULL DEFAULT 0,    -- shown on the shop page's featured row
    -- denormalised from the active SKUs for listing and sorting
    min_price       BIGINT NOT NULL DEFAULT 0,
    max_price       BIGINT NOT NULL DEFAULT 0,
    total_stock     BIGINT NOT NULL DEFAULT 0,
    sales           BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX products_merchant ON products (merchant_id, status, id);
CREATE INDEX products_category ON products (category_id, status);

CREATE TABLE skus (
    id              INTEGER PRIMARY KEY,
    product_id      BIGINT NOT NULL REFERENCES products (id),
    merchant_id     BIGINT NOT NULL REFERENCES merchants (id),
    -- JSON array with one value per spec dimension, e.g. ["500g","礼盒"]; [] without specs
    spec_values     TEXT   NOT NULL,
    price           BIGINT NOT NULL,              -- fen
    original_price  BIGINT NOT NULL DEFAULT 0,    -- fen, 0 = none
    stock           BIGINT NOT NULL DEFAULT 0,
    weight_g        BIGINT NOT NULL DEFAULT 0,
    code            TEXT   NOT NULL DEFAULT '',
    -- retired when its combination leaves the product; kept because orders point at it
    active          BIGINT NOT NULL DEFAULT 1,
    sort_order      BIGINT NOT NULL DEFAULT 0,
    CHECK (stock >= 0),
    CHECK (price > 0)
);
CREATE INDEX skus_product ON skus (product_id, active, sort_order);

CREATE TABLE stock_adjustments (
    id            INTEGER PRIMARY KEY,
    merchant_id   BIGINT NOT NULL REFERENCES merchants (id),
    product_id    BIGINT NOT NULL REFERENCES products (id),
    sku_id        BIGINT NOT NULL REFERENCES skus (id),
    delta         BIGINT NOT NULL,
    stock_after   BIGINT NOT NULL,
    reason        TEXT   NOT NULL,
    actor_realm   TEXT   NOT NULL,
    actor_id      BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX stock_adjustments_sku ON stock_adjustments (merchant_id, sku_id, created_at);
