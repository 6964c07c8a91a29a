//! Everything a request handler needs, built once at start-up and shared (cheap to clone).

use std::sync::{Arc, Mutex};

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::infra::clock::Clock;
use crate::infra::config::Config;
use crate::infra::crypto::FieldCipher;
use crate::infra::db::Db;
use crate::infra::media::{LocalMediaStore, MediaStore};
use crate::infra::payments::simulated::{Outgoing, SimulatedPay};
use crate::infra::payments::wechat_pay::WechatPay;
use crate::infra::payments::{PaymentProvider, Payments};
use crate::infra::throttle::{LoginThrottle, RateLimit};
use crate::infra::wechat::WechatClient;
use crate::services::storefront::ShopFront;

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// the mall's time (`infra::clock`): every rule and row stamp reads it
    pub clock: Clock,
    pub cipher: FieldCipher,
    pub login_throttle: Arc<LoginThrottle>,
    /// image uploads per account (`services::uploads`)
    pub upload_limit: Arc<RateLimit>,
    pub wechat: WechatClient,
    /// the shop front's in-memory read model (see `services::storefront`)
    pub shop_front: Arc<ShopFront>,
    /// page views counted since the last flush (`services::visits`)
    pub visits: Arc<crate::infra::visit_counter::VisitCounter>,
    /// computed 概览s kept a short while (`services::dashboards::Cache`)
    pub dashboards: crate::infra::dashboard_cache::Cache,
    /// admission to 秒杀 checkouts and their items' unsold units (`infra::flash_gate`)
    pub flash_gate: Arc<crate::infra::flash_gate::FlashGate>,
    pub media: Arc<dyn MediaStore>,
    /// the payment providers this instance offers (`[payments]` in the configuration)
    pub payments: Payments,
    pub simulated_pay: Arc<SimulatedPay>,
    /// the simulated provider's outgoing notifications, until `services::jobs::start` takes
    /// them to deliver
    pub simulated_outbox: Arc<Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<Outgoing>>>>,
    pub leptos_options: LeptosOptions,
    /// the front-end bundle's file names, read from the site folder at start-up
    pub bundles: crate::ui::Bundles,
}

impl AppState {
    /// Builds the state over an already migrated database; the shop front hears of every write
    /// transaction's changes from then on. It starts empty: call `shop_front.reload_all` before
    /// serving. Fails on a payment configuration that cannot work.
    pub fn new(
        db: Db,
        config: Config,
        data_key: &[u8; 32],
        leptos_options: LeptosOptions,
    ) -> Result<Self, String> {
        let (simulated_pay, outbox) = SimulatedPay::new(data_key);
        let mut providers: Vec<Arc<dyn PaymentProvider>> = Vec::new();
        if config.payments.simulated {
            providers.push(simulated_pay.clone());
        }
        if let Some(wechat) = WechatPay::from_config(&config.payments.wechat, &config.wechat.appid)?
        {
            providers.push(wechat);
        }
        if providers.is_empty() {
            return Err(
                "no payment provider: turn on payments.simulated or configure \
                        payments.wechat"
                    .into(),
            );
        }
        let shop_front = Arc::new(ShopFront::default());
        let bundles = crate::ui::Bundles::read(&config.site_root);
        Ok(Self {
            payments: Payments::new(providers),
            simulated_pay,
            simulated_outbox: Arc::new(Mutex::new(Some(outbox))),
            cipher: FieldCipher::new(data_key),
            login_throttle: Arc::new(LoginThrottle::new(config.login.clone())),
            upload_limit: Arc::new(RateLimit::new(
                config.uploads_per_hour,
                std::time::Duration::from_secs(3600),
            )),
            wechat: WechatClient::new(&config.wechat),
            db: db.with_listener(shop_front.clone()),
            shop_front,
            visits: Arc::default(),
            dashboards: crate::infra::dashboard_cache::Cache::new(config.dashboards.cache_seconds),
            flash_gate: Arc::default(),
            media: LocalMediaStore::new(std::path::Path::new(&config.data_dir).join("media")),
            config: Arc::new(config),
            clock: Clock::default(),
            leptos_options,
            bundles,
        })
    }

    /// The state inside a server function (provided as context by the router).
    pub fn from_context() -> Result<Self, crate::error::AppError> {
        leptos::prelude::use_context::<Self>()
            .ok_or_else(|| crate::error::AppError::internal("AppState missing from context"))
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
