//! WeChat Pay API v3 for the mini-program (JSAPI, 直连商户): prepay, the `wx.requestPayment`
//! parameters, notifications (signature checked with the WeChat Pay public key, `resource`
//! decrypted with the API v3 key) and refunds. Every reply from WeChat Pay is signature-checked
//! too, so a tampered answer is never acted on.

pub mod crypto;

use std::sync::Arc;
use std::time::Duration;

use rand::RngCore;
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::{json, Value};

use self::crypto::{MerchantKey, PlatformKey};
use super::{
    BoxFuture, Notification, NotificationKind, PayAction, PaymentProvider, PrepayRequest,
    RefundOutcome, RefundRequest,
};
use crate::domain::time::ChinaTime;
use crate::error::{AppError, AppResult};
use crate::infra::clock::wall_ms;
use crate::infra::config::WechatPayConfig;

pub const NAME: &str = "wechat";
/// Notifications and replies signed further than this from our clock are refused.
const MAX_SKEW_SECS: i64 = 5 * 60;

#[derive(Debug)]
pub struct WechatPay {
    http: reqwest::Client,
    api_base: String,
    appid: String,
    mchid: String,
    merchant_serial: String,
    merchant_key: MerchantKey,
    api_v3_key: [u8; 32],
    platform_key: PlatformKey,
    public_key_id: String,
    notify_url: String,
}

impl WechatPay {
    /// The provider, or `None` when WeChat Pay is not configured (`mchid` empty). A
    /// configuration that is half there is an error: the mall must not start believing it can
    /// take payments it cannot.
    pub fn from_config(cfg: &WechatPayConfig, appid: &str) -> Result<Option<Arc<Self>>, String> {
        if cfg.mchid.is_empty() {
            return Ok(None);
        }
        let read = |what: &str, path: &str| {
            std::fs::read(path).map_err(|e| format!("payments.wechat.{what} ({path}): {e}"))
        };
        let api_v3_key: [u8; 32] = cfg
            .api_v3_key
            .as_ref()
            .map(|k| k.expose_secret().as_bytes().to_vec())
            .unwrap_or_default()
            .try_into()
            .map_err(|_| "payments.wechat.api_v3_key must be the 32-character APIv3 key")?;
        for (name, value) in [
            ("merchant_serial", &cfg.merchant_serial),
            ("public_key_id", &cfg.public_key_id),
            ("notify_base", &cfg.notify_base),
        ] {
            if value.is_empty() {
                return Err(format!("payments.wechat.{name} is required with mchid"));
            }
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Some(Arc::new(Self {
            http,
            api_base: cfg.api_base.trim_end_matches('/').to_string(),
            appid: appid.to_string(),
            mchid: cfg.mchid.clone(),
            merchant_serial: cfg.merchant_serial.clone(),
            merchant_key: MerchantKey::from_pem(&read(
                "merchant_key_file",
                &cfg.merchant_key_file,
            )?)?,
            api_v3_key,
            platform_key: PlatformKey::from_pem(&read("public_key_file", &cfg.public_key_file)?)?,
            public_key_id: cfg.public_key_id.clone(),
            notify_url: format!(
                "{}/api/pay/notify/{NAME}",
                cfg.notify_base.trim_end_matches('/')
            ),
        })))
    }

    /// A signed POST to the API; the reply's signature is checked before it is read. WeChat
    /// Pay's refusals become messages a shopper can read.
    async fn post(&self, path: &str, body: &Value) -> AppResult<Value> {
        self.call(path, body).await.map_err(|e| {
            AppError::Upstream(match e {
                CallError::Refused(code) if code == "ORDERPAID" => "该订单已支付".into(),
                CallError::Refused(code) if code == "NOTENOUGH" => {
                    "商户可退余额不足，请稍后再试".into()
                }
                _ => "微信支付暂时不可用，请稍后再试".into(),
            })
        })
    }

    /// A signed POST; `Value::Null` for an empty (204) reply.
    async fn call(&self, path: &str, body: &Value) -> Result<Value, CallError> {
        let body = body.to_string();
        let timestamp = wall_ms() / 1000;
        let nonce = random_nonce();
        let signature = self
            .merchant_key
            .sign(crypto::request_message("POST", path, timestamp, &nonce, &body).as_bytes());
        let authorization = format!(
            "WECHATPAY2-SHA256-RSA2048 mchid=\"{}\",nonce_str=\"{nonce}\",signature=\"{signature}\",\
             timestamp=\"{timestamp}\",serial_no=\"{}\"",
            self.mchid, self.merchant_serial
        );
        let reply = self
            .http
            .post(format!("{}{path}", self.api_base))
            .header(http::header::AUTHORIZATION, authorization)
            .header(http::header::ACCEPT, "application/json")
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::USER_AGENT, "jishi")
            .body(body)
            .send()
            .await
            .map_err(|e| {
                tracing::error!(path, "WeChat Pay unreachable: {}", e.without_url());
                CallError::Unavailable
            })?;
        let status = reply.status();
        let headers = reply.headers().clone();
        let bytes = reply.bytes().await.map_err(|e| {
            tracing::error!(path, "WeChat Pay reply unreadable: {}", e.without_url());
            CallError::Unavailable
        })?;
        if !status.is_success() {
            let err: Value = serde_json::from_slice(&bytes).unwrap_or_default();
            tracing::error!(
                path, %status, code = %err["code"], message = %err["message"],
                "WeChat Pay refused a request"
            );
            return Err(CallError::Refused(
                err["code"].as_str().unwrap_or_default().to_string(),
            ));
        }
        if let Err(why) = self.check_signed(&headers, &bytes) {
            tracing::error!(path, "WeChat Pay reply refused: {why}");
            return Err(CallError::Unavailable);
        }
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|e| {
            tracing::error!(path, "WeChat Pay reply is not JSON: {e}");
            CallError::Unavailable
        })
    }

    /// Checks WeChat Pay's signature headers over `body`.
    fn check_signed(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<(), &'static str> {
        let header = |k: &str| headers.get(k).and_then(|v| v.to_str().ok());
        let serial = header("wechatpay-serial").ok_or("no serial")?;
        if serial != self.public_key_id {
            return Err("signed with an unknown key");
        }
        let timestamp = header("wechatpay-timestamp").ok_or("no timestamp")?;
        let nonce = header("wechatpay-nonce").ok_or("no nonce")?;
        let signature = header("wechatpay-signature").ok_or("no signature")?;
        let secs: i64 = timestamp.parse().map_err(|_| "bad timestamp")?;
        if (wall_ms() / 1000 - secs).abs() > MAX_SKEW_SECS {
            return Err("stale timestamp");
        }
        if !self
            .platform_key
            .verify(&crypto::reply_message(timestamp, nonce, body), signature)
        {
            return Err("bad signature");
        }
        Ok(())
    }

    fn open(&self, resource: &Resource) -> Result<Vec<u8>, &'static str> {
        if resource.algorithm != "AEAD_AES_256_GCM" {
            return Err("unknown algorithm");
        }
        crypto::decrypt_resource(
            &self.api_v3_key,
            &resource.nonce,
            &resource.associated_data,
            &resource.ciphertext,
        )
        .ok_or("resource does not decrypt")
    }
}

#[derive(Deserialize)]
struct Envelope {
    id: String,
    event_type: String,
    resource: Resource,
}

#[derive(Deserialize)]
struct Resource {
    algorithm: String,
    ciphertext: String,
    #[serde(default)]
    associated_data: String,
    nonce: String,
}

#[derive(Deserialize)]
struct Transaction {
    mchid: String,
    appid: String,
    out_trade_no: String,
    #[serde(default)]
    transaction_id: String,
    trade_state: String,
    amount: TransactionAmount,
}

#[derive(Deserialize)]
struct TransactionAmount {
    total: i64,
}

#[derive(Deserialize)]
struct RefundResult {
    mchid: String,
    out_refund_no: String,
    refund_id: String,
    refund_status: String,
    amount: RefundAmount,
}

#[derive(Deserialize)]
struct RefundAmount {
    refund: i64,
}

impl PaymentProvider for WechatPay {
    fn name(&self) -> &'static str {
        NAME
    }

    fn prepay<'a>(&'a self, req: &'a PrepayRequest) -> BoxFuture<'a, AppResult<PayAction>> {
        Box::pin(async move {
            let openid = req
                .openid
                .as_deref()
                .ok_or_else(|| AppError::bad_request("请在微信小程序中完成支付"))?;
            let reply = self
                .post(
                    "/v3/pay/transactions/jsapi",
                    &json!({
                        "appid": self.appid,
                        "mchid": self.mchid,
                        "description": req.description,
                        "out_trade_no": req.trade_no,
                        "time_expire": ChinaTime::of_ms(req.expires_at).rfc3339(),
                        "notify_url": self.notify_url,
                        "amount": {"total": req.amount, "currency": "CNY"},
                        "payer": {"openid": openid},
                    }),
                )
                .await?;
            let prepay_id = reply["prepay_id"].as_str().ok_or_else(|| {
                tracing::error!("WeChat Pay prepay reply without prepay_id: {reply}");
                AppError::Upstream("微信支付暂时不可用，请稍后再试".into())
            })?;
            let time_stamp = (wall_ms() / 1000).to_string();
            let nonce_str = random_nonce();
            let package = format!("prepay_id={prepay_id}");
            let pay_sign = self.merchant_key.sign(
                crypto::pay_message(&self.appid, &time_stamp, &nonce_str, &package).as_bytes(),
            );
            Ok(PayAction::WxRequestPayment {
                time_stamp,
                nonce_str,
                package,
                sign_type: "RSA".into(),
                pay_sign,
            })
        })
    }

    fn verify_notification(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> AppResult<Notification> {
        let bad = |why: &str| {
            tracing::warn!("WeChat Pay notification refused: {why}");
            AppError::bad_request("签名验证失败")
        };
        self.check_signed(headers, body).map_err(bad)?;
        let envelope: Envelope = serde_json::from_slice(body).map_err(|_| bad("bad body"))?;
        let plain = self.open(&envelope.resource).map_err(bad)?;
        if envelope.event_type.starts_with("TRANSACTION.") {
            let t: Transaction =
                serde_json::from_slice(&plain).map_err(|_| bad("bad transaction"))?;
            if t.mchid != self.mchid || t.appid != self.appid {
                return Err(bad("for another merchant or app"));
            }
            Ok(Notification {
                notify_id: envelope.id,
                kind: NotificationKind::Payment,
                reference: t.out_trade_no,
                provider_ref: t.transaction_id,
                amount: t.amount.total,
                success: t.trade_state == "SUCCESS",
            })
        } else if envelope.event_type.starts_with("REFUND.") {
            let r: RefundResult = serde_json::from_slice(&plain).map_err(|_| bad("bad refund"))?;
            if r.mchid != self.mchid {
                return Err(bad("for another merchant"));
            }
            Ok(Notification {
                notify_id: envelope.id,
                kind: NotificationKind::Refund,
                reference: r.out_refund_no,
                provider_ref: r.refund_id,
                amount: r.amount.refund,
                success: r.refund_status == "SUCCESS",
            })
        } else {
            Err(bad("unknown event"))
        }
    }

    fn refund<'a>(&'a self, req: &'a RefundRequest) -> BoxFuture<'a, AppResult<RefundOutcome>> {
        Box::pin(async move {
            if req.amount <= 0 || req.amount > req.total {
                return Err(AppError::bad_request("退款金额不正确"));
            }
            let reason: String = req.reason.chars().take(80).collect();
            let reply = self
                .post(
                    "/v3/refund/domestic/refunds",
                    &json!({
                        "transaction_id": req.provider_txn_id,
                        "out_refund_no": req.refund_no,
                        "reason": reason,
                        "notify_url": self.notify_url,
                        "amount": {"refund": req.amount, "total": req.total, "currency": "CNY"},
                    }),
                )
                .await?;
            match reply["status"].as_str() {
                Some("SUCCESS") => Ok(RefundOutcome::Done),
                Some("PROCESSING") => Ok(RefundOutcome::Processing),
                other => {
                    tracing::error!(refund_no = %req.refund_no, status = ?other, "WeChat Pay refund not accepted");
                    Err(AppError::Upstream("退款未能受理，请稍后再试".into()))
                }
            }
        })
    }

    fn close<'a>(&'a self, trade_no: &'a str) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async move {
            // trade numbers are digits (infra::numbers::new_number), safe in a path
            let path = format!("/v3/pay/transactions/out-trade-no/{trade_no}/close");
            match self.call(&path, &json!({"mchid": self.mchid})).await {
                Ok(_) => Ok(()),
                // paid first: the payment notification brings it back as a late payment
                Err(CallError::Refused(code)) if code == "ORDERPAID" => Ok(()),
                Err(CallError::Refused(code)) if code == "ORDER_NOT_EXIST" => Ok(()),
                Err(_) => Err(AppError::Upstream("微信支付暂时不可用，请稍后再试".into())),
            }
        })
    }
}

/// Why a call to WeChat Pay gave nothing usable.
enum CallError {
    /// unreachable, or a reply we cannot trust or read
    Unavailable,
    /// an error answer, with WeChat Pay's error code
    Refused(String),
}

/// 32 random hex characters.
fn random_nonce() -> String {
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}
