//! Configuration: defaults in code, then an optional TOML file, then `JISHI_*` environment
//! variables (nested keys with `__`, e.g. `JISHI_WECHAT__APPID`). `DATABASE_URL` is honoured too.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::domain::settlement::Cycle;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// `sqlite://data/jishi.db` (embedded default) or `postgres://user@host/db`.
    pub database_url: String,
    /// Holds the SQLite file, the generated data key and (later) uploads.
    pub data_dir: String,
    /// Address the HTTP server listens on.
    pub listen: String,
    /// Compiled front end (wasm, JS, CSS) and public assets.
    pub site_root: String,
    /// Mark cookies `Secure`; turn on when served over TLS.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Open connections one client address may hold, so one slow or hostile client cannot take
    /// the capacity other shoppers need (a phone opens a handful, a shop's NAT a few hundred).
    /// Behind a load balancer every connection comes from the balancer's address: set this to
    /// the connections it keeps to one instance (its `max_conns`).
    pub connections_per_address: usize,
    /// Base64 of 32 bytes: encrypts phone numbers and addresses at rest. When absent, a key is
    /// generated once into `<data_dir>/data.key`.
    #[serde(skip_serializing)]
    pub data_key: Option<SecretString>,
    /// Sessions expire after this many hours without activity.
    pub session_idle_hours: i64,
    pub login: LoginLimits,
    /// Image uploads one account may make per hour (a product editor uses at most ten
    /// pictures; decoding one takes a core for a second or more).
    pub uploads_per_hour: u32,
    pub wechat: WechatConfig,
    pub orders: OrderTimes,
    pub payments: PaymentsConfig,
    pub settlement: SettlementConfig,
    pub reviews: ReviewConfig,
    pub catalog: CatalogConfig,
    pub dashboards: DashboardConfig,
    pub presales: PresaleConfig,
    pub metrics: MetricsAccess,
    /// `tracing` filter, e.g. `info` or `app=debug,info`.
    pub log: String,
}

/// Who may read `/metrics`. Open while both are empty; otherwise a scrape must come from an
/// address in `allow` or carry `Authorization: Bearer <token>`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricsAccess {
    /// client addresses (as `client_ip` reads them), e.g. `["127.0.0.1", "::1"]`
    pub allow: Vec<String>,
    #[serde(skip_serializing)]
    pub token: Option<SecretString>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginLimits {
    /// Failed sign-ins allowed per account within the window before it is locked for the window.
    pub max_failures_per_account: u32,
    /// Sign-in attempts allowed per client address within the window.
    pub max_attempts_per_ip: u32,
    pub window_secs: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct WechatConfig {
    pub appid: String,
    #[serde(skip_serializing)]
    pub secret: Option<SecretString>,
    /// Base URL of the WeChat API; tests point it at a local fake.
    pub api_base: String,
    /// Lifetime of a mini-program bearer token.
    pub token_ttl_hours: i64,
    pub subscribe: SubscribeConfig,
}

/// 订阅消息: for each event the template chosen in the WeChat admin (订阅消息 → 我的模板) and
/// which of the event's values fills each of its keywords. An event whose `template_id` is
/// empty is neither asked for nor sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct SubscribeConfig {
    /// which version of the mini-program a tap on the message opens: `formal`, `trial` or
    /// `developer`
    pub miniprogram_state: String,
    pub shipped: SubscribeTemplate,
    pub refunded: SubscribeTemplate,
    pub after_sale_decided: SubscribeTemplate,
    pub balance_due: SubscribeTemplate,
}

/// One event's template: its id and keyword → source (`character_string1 = "order_no"`; the
/// sources are `domain::subscribe_message::SOURCES`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SubscribeTemplate {
    pub template_id: String,
    pub fields: std::collections::BTreeMap<String, String>,
}

impl SubscribeTemplate {
    fn with_fields(fields: &[(&str, &str)]) -> Self {
        Self {
            template_id: String::new(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
}

impl Default for SubscribeConfig {
    /// Keywords of the public library's 订单发货通知, 退款结果通知, 售后处理结果通知 and 尾款支付提醒;
    /// a template picked with other keywords maps its own in configuration.
    fn default() -> Self {
        Self {
            miniprogram_state: "formal".into(),
            shipped: SubscribeTemplate::with_fields(&[
                ("character_string1", "order_no"),
                ("thing2", "goods"),
                ("thing3", "carrier"),
                ("character_string4", "tracking_no"),
                ("time5", "time"),
            ]),
            refunded: SubscribeTemplate::with_fields(&[
                ("character_string1", "order_no"),
                ("amount2", "amount"),
                ("thing3", "goods"),
                ("time4", "time"),
            ]),
            after_sale_decided: SubscribeTemplate::with_fields(&[
                ("character_string1", "after_sale_no"),
                ("phrase2", "result"),
                ("thing3", "goods"),
                ("thing4", "reason"),
                ("time5", "time"),
            ]),
            balance_due: SubscribeTemplate::with_fields(&[
                ("character_string1", "order_no"),
                ("thing2", "goods"),
                ("amount3", "amount"),
                ("time4", "deadline"),
            ]),
        }
    }
}

impl SubscribeConfig {
    /// The template of `event`, when one is configured.
    pub fn template(
        &self,
        event: crate::domain::subscribe_message::SubscribeEvent,
    ) -> Option<&SubscribeTemplate> {
        use crate::domain::subscribe_message::SubscribeEvent::*;
        let t = match event {
            Shipped => &self.shipped,
            Refunded => &self.refunded,
            AfterSaleDecided => &self.after_sale_decided,
            BalanceDue => &self.balance_due,
        };
        (!t.template_id.is_empty()).then_some(t)
    }

    /// Refuses a mapping to a source that does not exist or a keyword of no known type, so a
    /// typo is found at start and not as WeChat's 47003 on every send.
    pub fn check(&self) -> Result<(), String> {
        use crate::domain::subscribe_message::{fit, SubscribeEvent, SOURCES};
        for event in SubscribeEvent::ALL {
            let Some(t) = self.template(event) else {
                continue;
            };
            for (keyword, source) in &t.fields {
                if !SOURCES.contains(&source.as_str()) {
                    return Err(format!(
                        "wechat.subscribe.{}.fields.{keyword}: unknown source `{source}` (one of {})",
                        event.as_str(),
                        SOURCES.join(", ")
                    ));
                }
                if fit(keyword, "1").is_err() && fit(keyword, "一").is_err() {
                    return Err(format!(
                        "wechat.subscribe.{}.fields.{keyword}: not a WeChat keyword type",
                        event.as_str()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Which payment providers this instance offers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentsConfig {
    /// The built-in simulated provider (no money moves): on for the embedded default and the
    /// demo, off in production.
    pub simulated: bool,
    pub wechat: WechatPayConfig,
}

/// WeChat Pay API v3 (直连商户). Off while `mchid` is empty. The mini-program's appid is
/// `wechat.appid`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct WechatPayConfig {
    /// 商户号
    pub mchid: String,
    /// serial number of the merchant API certificate (商户API证书序列号)
    pub merchant_serial: String,
    /// the merchant API private key, PKCS#8 PEM (`apiclient_key.pem`)
    pub merchant_key_file: String,
    /// the 32-character API v3 key (APIv3密钥)
    #[serde(skip_serializing)]
    pub api_v3_key: Option<SecretString>,
    /// the WeChat Pay public key (`pub_key.pem`) and its id (`PUB_KEY_ID_…`)
    pub public_key_file: String,
    pub public_key_id: String,
    /// Base URL of the WeChat Pay API; tests point it at a local fake.
    pub api_base: String,
    /// This mall's public origin (`https://…`); notifications go to
    /// `<notify_base>/api/pay/notify/wechat`.
    pub notify_base: String,
}

impl Default for PaymentsConfig {
    fn default() -> Self {
        Self {
            simulated: true,
            wechat: WechatPayConfig::default(),
        }
    }
}

impl Default for WechatPayConfig {
    fn default() -> Self {
        Self {
            mchid: String::new(),
            merchant_serial: String::new(),
            merchant_key_file: String::new(),
            api_v3_key: None,
            public_key_file: String::new(),
            public_key_id: String::new(),
            api_base: "https://api.mch.weixin.qq.com".into(),
            notify_base: String::new(),
        }
    }
}

/// The order timers (see `services::timers`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderTimes {
    /// An unpaid trade closes (and its stock returns) this many minutes after it was placed.
    pub pay_timeout_minutes: i64,
    /// The same for a 秒杀 trade: its activity stock should not wait long for a buyer who
    /// does not pay.
    pub flash_sale_pay_timeout_minutes: i64,
    /// The same for a 拼团 trade: an unpaid order holds a seat of its group.
    pub group_buy_pay_timeout_minutes: i64,
    /// A shipped order is confirmed received automatically after this many days.
    pub auto_confirm_days: i64,
    /// A completed order accepts after-sale requests for this many days.
    pub after_sale_days: i64,
    /// How often the timer sweep looks for due trades and orders.
    pub sweep_secs: u64,
}

impl Default for OrderTimes {
    fn default() -> Self {
        Self {
            pay_timeout_minutes: 30,
            flash_sale_pay_timeout_minutes: 10,
            group_buy_pay_timeout_minutes: 10,
            auto_confirm_days: 10,
            after_sale_days: 7,
            sweep_secs: 5,
        }
    }
}

/// Reviews of order lines (`services::reviews`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewConfig {
    /// A line nobody reviewed gets an automatic positive review this many days after its order
    /// completed.
    pub auto_positive_days: i64,
    /// Words masked with `*` in every review, append and reply when it is saved (matched
    /// without regard to ASCII case).
    pub sensitive_words: Vec<String>,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        Self {
            auto_positive_days: 15,
            sensitive_words: ["傻逼", "操你妈", "他妈的", "去死", "骗子店"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// The catalog (`services::products`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogConfig {
    /// A product goes on sale for the first time only after the platform approves it (商品审核;
    /// `domain::product::listing_step`).
    pub review_products: bool,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        Self {
            review_products: true,
        }
    }
}

/// The consoles' 概览 (`services::dashboards`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DashboardConfig {
    /// A computed 概览 (one per shop, or the platform's, and range) is shown again for this many
    /// seconds before it is counted afresh; its to-dos are always counted live. 0 turns the
    /// cache off. The page says when its figures were read.
    pub cache_seconds: u64,
}

impl Default for DashboardConfig {
    fn default() -> Self {
        Self { cache_seconds: 60 }
    }
}

/// 预售 (`domain::presale_deposit`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PresaleConfig {
    /// 定金膨胀: a deposit may count at balance time for at most this many times what was paid
    /// (1 allows no inflation).
    pub max_deposit_multiple: i64,
}

impl Default for PresaleConfig {
    fn default() -> Self {
        Self {
            max_deposit_multiple: 3,
        }
    }
}

/// Settlement bills. An order is settled once it is completed and its after-sale window
/// (`orders.after_sale_days`) has closed with no after-sale open.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct SettlementConfig {
    /// `daily`, `weekly` (bills every Monday) or `monthly` (every 1st), in China time.
    pub cycle: Cycle,
}

impl Default for SettlementConfig {
    fn default() -> Self {
        Self {
            cycle: Cycle::Weekly,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://data/jishi.db".into(),
            data_dir: "data".into(),
            listen: "127.0.0.1:3000".into(),
            site_root: "target/site".into(),
            secure_cookies: false,
            trust_forwarded_for: false,
            connections_per_address: 256,
            data_key: None,
            session_idle_hours: 24 * 7,
            login: LoginLimits::default(),
            uploads_per_hour: 120,
            wechat: WechatConfig::default(),
            orders: OrderTimes::default(),
            payments: PaymentsConfig::default(),
            settlement: SettlementConfig::default(),
            reviews: ReviewConfig::default(),
            catalog: CatalogConfig::default(),
            dashboards: DashboardConfig::default(),
            presales: PresaleConfig::default(),
            metrics: MetricsAccess::default(),
            log: "info,sqlx=warn".into(),
        }
    }
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            max_failures_per_account: 5,
            max_attempts_per_ip: 30,
            window_secs: 15 * 60,
        }
    }
}

impl Default for WechatConfig {
    fn default() -> Self {
        Self {
            appid: "wx_demo_appid".into(),
            secret: None,
            api_base: "https://api.weixin.qq.com".into(),
            token_ttl_hours: 24 * 7,
            subscribe: SubscribeConfig::default(),
        }
    }
}

impl Config {
    /// Loads the layered configuration. `file` defaults to `$JISHI_CONFIG` or `jishi.toml`.
    pub fn load(file: Option<&str>) -> Result<Self, String> {
        let file = file
            .map(str::to_string)
            .or_else(|| std::env::var("JISHI_CONFIG").ok())
            .unwrap_or_else(|| "jishi.toml".into());
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::raw().only(&["DATABASE_URL"]).lowercase(true))
            .merge(Env::prefixed("JISHI_").split("__"))
            .extract::<Config>()
            .map_err(|e| format!("invalid configuration: {e}"))
            .and_then(|c| {
                c.wechat
                    .subscribe
                    .check()
                    .map_err(|e| format!("invalid configuration: {e}"))?;
                Ok(c)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscription_field_mappings_are_checked_at_start() {
        let mut c = SubscribeConfig::default();
        assert!(c.check().is_ok(), "no template: nothing to check");
        c.shipped.template_id = "tmpl".into();
        assert!(
            c.check().is_ok(),
            "the default keywords map to known sources"
        );
        c.shipped
            .fields
            .insert("thing9".into(), "shopper_phone".into());
        assert!(c
            .check()
            .unwrap_err()
            .contains("unknown source `shopper_phone`"));
        c.shipped.fields.remove("thing9");
        c.shipped.fields.insert("colour1".into(), "goods".into());
        assert!(c.check().unwrap_err().contains("colour1"));
    }
}
