//! The payment provider port and its adapters: the built-in simulated provider (the embedded
//! default) and WeChat Pay v3. A provider only talks to the outside (prepare a payment, verify
//! and decode its notifications, refund, close); what a payment changes in the mall is decided
//! once, for every provider, in `services::payments`.

pub mod simulated;
pub mod wechat_pay;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What the client must do to pay a trade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PayAction {
    /// open the shop's own pay page (simulated provider, H5)
    Page { url: String },
    /// show the shopper an in-app confirmation of `amount` (fen), then `POST` to `confirm`
    /// with the bearer token (simulated provider, mini-program): the provider then sends its
    /// signed notification to the same handler as a real one
    SimulatedConfirm { confirm: String, amount: i64 },
    /// call `wx.requestPayment` with these parameters (mini-program, WeChat Pay JSAPI)
    WxRequestPayment {
        #[serde(rename = "timeStamp")]
        time_stamp: String,
        #[serde(rename = "nonceStr")]
        nonce_str: String,
        package: String,
        #[serde(rename = "signType")]
        sign_type: String,
        #[serde(rename = "paySign")]
        pay_sign: String,
    },
}

/// A trade to be paid.
#[derive(Debug, Clone)]
pub struct PrepayRequest {
    pub trade_no: String,
    pub amount: i64,
    pub description: String,
    /// epoch ms after which the provider must refuse the payment
    pub expires_at: i64,
    /// the payer's mini-program openid (WeChat JSAPI)
    pub openid: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    Payment,
    Refund,
}

/// A verified, decoded notification.
#[derive(Debug, Clone)]
pub struct Notification {
    /// the provider's id of this notification (replays carry the same id)
    pub notify_id: String,
    pub kind: NotificationKind,
    /// our trade_no (payment) or refund_no (refund)
    pub reference: String,
    /// the provider's transaction or refund id
    pub provider_ref: String,
    /// fen: paid by the shopper, or refunded
    pub amount: i64,
    /// false for a failed or closed payment or refund (recorded, changes nothing)
    pub success: bool,
}

impl Notification {
    /// A refund the provider confirmed in its answer to the request itself (no notification
    /// will follow): recorded like one, under an id of its own.
    pub fn refund_confirmed(refund_no: &str, amount: i64) -> Self {
        Self {
            notify_id: format!("sync-{refund_no}"),
            kind: NotificationKind::Refund,
            reference: refund_no.to_string(),
            provider_ref: String::new(),
            amount,
            success: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RefundRequest {
    pub refund_no: String,
    pub trade_no: String,
    pub provider_txn_id: String,
    pub amount: i64,
    /// what the whole trade was paid
    pub total: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundOutcome {
    /// the money is back: record it now
    Done,
    /// accepted; a refund notification will follow
    Processing,
}

/// One payment service (WeChat Pay, or the simulated one).
pub trait PaymentProvider: Send + Sync + std::fmt::Debug {
    /// The name stored on trades and used in the notify URL (`/api/pay/notify/{name}`).
    fn name(&self) -> &'static str;
    fn prepay<'a>(&'a self, req: &'a PrepayRequest) -> BoxFuture<'a, AppResult<PayAction>>;
    /// Checks a notification's signature and decodes it; any doubt is an error.
    fn verify_notification(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> AppResult<Notification>;
    fn refund<'a>(&'a self, req: &'a RefundRequest) -> BoxFuture<'a, AppResult<RefundOutcome>>;
    /// Closes the provider's order of a trade that closed unpaid, so it can no longer be paid.
    /// Ok when closed, already paid (that payment is then refunded as late) or never opened;
    /// an error to be tried again.
    fn close<'a>(&'a self, trade_no: &'a str) -> BoxFuture<'a, AppResult<()>>;
}

/// The providers this instance can use; `default` pays H5 trades.
#[derive(Debug, Clone)]
pub struct Payments {
    providers: Vec<Arc<dyn PaymentProvider>>,
}

impl Payments {
    pub fn new(providers: Vec<Arc<dyn PaymentProvider>>) -> Self {
        Self { providers }
    }

    pub fn get(&self, name: &str) -> AppResult<&Arc<dyn PaymentProvider>> {
        self.providers
            .iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| AppError::not_found("不支持的支付方式"))
    }

    /// Pays H5 trades: the first configured (the simulated one when it is on).
    pub fn default_provider(&self) -> &Arc<dyn PaymentProvider> {
        &self.providers[0]
    }

    /// Pays mini-program trades: WeChat Pay when configured, else the default.
    pub fn mini_program(&self) -> &Arc<dyn PaymentProvider> {
        self.get(wechat_pay::NAME)
            .unwrap_or_else(|_| self.default_provider())
    }
}
