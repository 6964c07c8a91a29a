//! The built-in payment provider of the embedded default and the demo: no money moves, but
//! everything else is as with WeChat Pay. The shopper confirms on our pay page; the provider
//! then sends a signed notification (HMAC-SHA256 over timestamp, nonce and body, in headers like
//! WeChat's) to the same notification handler a real provider reaches over HTTP. Refunds are
//! accepted and confirmed later by a signed refund notification, as WeChat does.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use tokio::sync::mpsc;

use super::{
    BoxFuture, Notification, NotificationKind, PayAction, PaymentProvider, PrepayRequest,
    RefundOutcome, RefundRequest,
};
use crate::error::{AppError, AppResult};
use crate::infra::clock::wall_ms;
use crate::infra::crypto::hmac_sha256;

pub const NAME: &str = "simulated";
const SIGNATURE: &str = "jishi-signature";
const TIMESTAMP: &str = "jishi-timestamp";
const NONCE: &str = "jishi-nonce";
/// Notifications older (or newer) than this are refused.
const MAX_SKEW_MS: i64 = 5 * 60 * 1000;

/// A notification on its way to the handler (headers and body as a provider would POST them).
pub type Outgoing = (http::HeaderMap, Vec<u8>);

#[derive(Clone)]
pub struct SimulatedPay {
    key: [u8; 32],
    /// refund notifications go out through here (delivered by a task the server starts)
    outbox: mpsc::UnboundedSender<Outgoing>,
}

impl std::fmt::Debug for SimulatedPay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SimulatedPay(..)")
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Body {
    id: String,
    /// TRANSACTION.SUCCESS | REFUND.SUCCESS
    event_type: String,
    /// trade_no or refund_no
    reference: String,
    provider_ref: String,
    amount: i64,
}

impl SimulatedPay {
    /// The provider and the receiving end of its outbox. The signing key is derived from the
    /// data key, so notifications cannot be forged without it.
    pub fn new(data_key: &[u8; 32]) -> (Arc<Self>, mpsc::UnboundedReceiver<Outgoing>) {
        let (outbox, rx) = mpsc::unbounded_channel();
        let key = hmac_sha256(data_key, b"jishi simulated payment v1");
        (Arc::new(Self { key, outbox }), rx)
    }

    /// The notification the provider sends when the shopper confirms paying `amount`.
    pub fn payment_notification(&self, trade_no: &str, amount: i64) -> Outgoing {
        self.notification("TRANSACTION.SUCCESS", trade_no, amount)
    }

    fn notification(&self, event_type: &str, reference: &str, amount: i64) -> Outgoing {
        let body = Body {
            id: random_id(),
            event_type: event_type.into(),
            reference: reference.into(),
            provider_ref: format!("SIM{}", random_id()),
            amount,
        };
        let body = serde_json::to_vec(&body).expect("notification serialises");
        (self.sign(&body, wall_ms() / 1000, &random_id()), body)
    }

    /// Headers signing `body` at `timestamp` (seconds) with `nonce`.
    pub fn sign(&self, body: &[u8], timestamp: i64, nonce: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        let signature = STANDARD.encode(self.mac(timestamp, nonce, body));
        let put = |h: &mut http::HeaderMap, k: &'static str, v: String| {
            h.insert(k, v.parse().expect("ASCII header"));
        };
        put(&mut headers, TIMESTAMP, timestamp.to_string());
        put(&mut headers, NONCE, nonce.to_string());
        put(&mut headers, SIGNATURE, signature);
        headers
    }

    fn mac(&self, timestamp: i64, nonce: &str, body: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("any key length");
        mac.update(format!("{timestamp}\n{nonce}\n").as_bytes());
        mac.update(body);
        mac.update(b"\n");
        mac.finalize().into_bytes().into()
    }
}

impl PaymentProvider for SimulatedPay {
    fn name(&self) -> &'static str {
        NAME
    }

    fn prepay<'a>(&'a self, req: &'a PrepayRequest) -> BoxFuture<'a, AppResult<PayAction>> {
        Box::pin(async move {
            Ok(PayAction::Page {
                url: format!("/pay/{}", req.trade_no),
            })
        })
    }

    fn verify_notification(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> AppResult<Notification> {
        let bad = |why: &str| {
            tracing::warn!("simulated payment notification refused: {why}");
            AppError::bad_request("签名验证失败")
        };
        let header = |k: &str| headers.get(k).and_then(|v| v.to_str().ok());
        let timestamp: i64 = header(TIMESTAMP)
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| bad("no timestamp"))?;
        let nonce = header(NONCE).ok_or_else(|| bad("no nonce"))?;
        let signature = header(SIGNATURE)
            .and_then(|s| STANDARD.decode(s).ok())
            .ok_or_else(|| bad("no signature"))?;
        if (wall_ms() - timestamp * 1000).abs() > MAX_SKEW_MS {
            return Err(bad("stale timestamp"));
        }
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("any key length");
        mac.update(format!("{timestamp}\n{nonce}\n").as_bytes());
        mac.update(body);
        mac.update(b"\n");
        mac.verify_slice(&signature)
            .map_err(|_| bad("bad signature"))?;
        let b: Body = serde_json::from_slice(body).map_err(|_| bad("bad body"))?;
        let kind = match b.event_type.as_str() {
            "TRANSACTION.SUCCESS" => NotificationKind::Payment,
            "REFUND.SUCCESS" => NotificationKind::Refund,
            _ => return Err(bad("unknown event")),
        };
        Ok(Notification {
            notify_id: b.id,
            kind,
            reference: b.reference,
            provider_ref: b.provider_ref,
            amount: b.amount,
            success: true,
        })
    }

    fn refund<'a>(&'a self, req: &'a RefundRequest) -> BoxFuture<'a, AppResult<RefundOutcome>> {
        Box::pin(async move {
            if req.amount <= 0 || req.amount > req.total {
                return Err(AppError::bad_request("退款金额不正确"));
            }
            let n = self.notification("REFUND.SUCCESS", &req.refund_no, req.amount);
            self.outbox
                .send(n)
                .map_err(|_| AppError::internal("simulated refund outbox closed"))?;
            Ok(RefundOutcome::Processing)
        })
    }

    fn close<'a>(&'a self, _trade_no: &'a str) -> BoxFuture<'a, AppResult<()>> {
        // nothing is open here: the pay page refuses a closed trade itself
        Box::pin(async { Ok(()) })
    }
}

fn random_id() -> String {
    let mut b = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}
