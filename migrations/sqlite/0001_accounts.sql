-- Accounts of the three realms, merchants, the category tree, mini-program tokens, audit log.
-- Conventions (shared with the PostgreSQL migrations): integer ids, money in integer fen,
-- timestamps in integer milliseconds since the epoch, enums as lower-case text.

CREATE TABLE shoppers (
    id            INTEGER PRIMARY KEY,
    -- phone: HMAC blind index for lookup, AES-GCM ciphertext, and a masked copy for display
    phone_hash    TEXT UNIQUE,
    phone_enc     TEXT,
    phone_masked  TEXT,
    password_hash TEXT,
    nickname      TEXT    NOT NULL,
    avatar_url    TEXT,
    wx_openid     TEXT UNIQUE,
    wx_unionid    TEXT,
    status        TEXT    NOT NULL DEFAULT 'active',
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
CREATE INDEX shoppers_wx_unionid ON shoppers (wx_unionid);

CREATE TABLE merchants (
    id           INTEGER PRIMARY KEY,
    name         TEXT   NOT NULL UNIQUE,
    kind         TEXT   NOT NULL,             -- individual | enterprise
    status       TEXT   NOT NULL,             -- active | suspended
    region       TEXT   NOT NULL DEFAULT '',
    intro        TEXT   NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE merchant_staff (
    id            INTEGER PRIMARY KEY,
    merchant_id   BIGINT NOT NULL REFERENCES merchants (id),
    username      TEXT   NOT NULL UNIQUE,
    display_name  TEXT   NOT NULL,
    password_hash TEXT   NOT NULL,
    role          TEXT   NOT NULL,            -- owner | staff
    status        TEXT   NOT NULL DEFAULT 'active',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX merchant_staff_merchant ON merchant_staff (merchant_id);

CREATE TABLE admins (
    id            INTEGER PRIMARY KEY,
    username      TEXT   NOT NULL UNIQUE,
    display_name  TEXT   NOT NULL,
    password_hash TEXT   NOT NULL,
    role          TEXT   NOT NULL,            -- super | operator | finance | reviewer
    status        TEXT   NOT NULL DEFAULT 'active',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE categories (
    id                   INTEGER PRIMARY KEY,
    parent_id            BIGINT REFERENCES categories (id),
    name                 TEXT   NOT NULL,
    level                BIGINT NOT NULL,
    sort_order           BIGINT NOT NULL DEFAULT 0,
    icon                 TEXT   NOT NULL DEFAULT '',
    -- commission rate in basis points (1/100 of a percent): 550 = 5.50 %
    commission_rate_bps  BIGINT NOT NULL DEFAULT 0,
    enabled              BIGINT NOT NULL DEFAULT 1,
    created_at           BIGINT NOT NULL,
    UNIQUE (parent_id, name)
);

CREATE TABLE mp_tokens (
    id              INTEGER PRIMARY KEY,
    shopper_id      BIGINT NOT NULL REFERENCES shoppers (id),
    token_hash      TEXT   NOT NULL UNIQUE,
    -- WeChat session_key, encrypted; it never leaves the server
    session_key_enc TEXT   NOT NULL,
    expires_at      BIGINT NOT NULL,
    revoked_at      BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX mp_tokens_shopper ON mp_tokens (shopper_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    realm       TEXT   NOT NULL,              -- shopper | merchant | admin | system
    actor_id    BIGINT,
    merchant_id BIGINT,
    action      TEXT   NOT NULL,
    detail      TEXT   NOT NULL DEFAULT '',
    ip          TEXT   NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX audit_log_merchant ON audit_log (merchant_id, created_at);
