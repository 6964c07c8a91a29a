//! A local stand-in for the WeChat Pay API v3: it checks the merchant's request signatures,
//! answers JSAPI prepay and refund requests with signed replies, and makes the signed,
//! encrypted notifications WeChat Pay would send. Keys are test fixtures (never real ones).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use app::infra::clock::wall_ms;
use app::infra::config::Config;
use app::infra::payments::wechat_pay::crypto::{self, MerchantKey, PlatformKey};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

pub const MCHID: &str = "1900000109";
pub const MERCHANT_SERIAL: &str = "3775B6A45ACD588826D15E583A95F5DD00000001";
pub const PUBLIC_KEY_ID: &str = "PUB_KEY_ID_0119000001092026112300000000000001";
pub const API_V3_KEY: &str = "0123456789abcdef0123456789ABCDEF";

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/integration/fixtures/wechat_pay")
        .join(name)
}

/// A JSAPI order as the fake received it.
#[derive(Debug, Clone)]
pub struct PrepaidOrder {
    pub body: Value,
    pub prepay_id: String,
}

#[derive(Default)]
struct Books {
    orders: HashMap<String, PrepaidOrder>,
    refunds: HashMap<String, Value>,
    /// out_trade_no of orders closed, as often as asked
    closes: Vec<String>,
}

struct Inner {
    /// WeChat Pay's own key: signs replies and notifications
    platform: MerchantKey,
    /// the merchant's public key: checks our requests
    merchant: PlatformKey,
    books: Mutex<Books>,
    /// change a reply after signing it
    tamper_replies: AtomicBool,
    bad_requests: AtomicUsize,
    refund_requests: AtomicUsize,
    /// answer close requests with a system error
    fail_closes: AtomicBool,
    /// close requests answered with that error
    failed_closes: AtomicUsize,
}

#[derive(Clone)]
pub struct FakeWechatPay {
    pub base_url: String,
    inner: Arc<Inner>,
}

impl FakeWechatPay {
    pub async fn start() -> FakeWechatPay {
        let read = |n: &str| std::fs::read(fixture(n)).unwrap();
        let inner = Arc::new(Inner {
            platform: MerchantKey::from_pem(&read("platform_key.pem")).unwrap(),
            merchant: PlatformKey::from_pem(&read("merchant_pub.pem")).unwrap(),
            books: Mutex::default(),
            tamper_replies: AtomicBool::new(false),
            bad_requests: AtomicUsize::new(0),
            refund_requests: AtomicUsize::new(0),
            fail_closes: AtomicBool::new(false),
            failed_closes: AtomicUsize::new(0),
        });
        let app = Router::new()
            .route("/v3/pay/transactions/jsapi", post(jsapi))
            .route("/v3/refund/domestic/refunds", post(refunds))
            .route("/v3/pay/transactions/out-trade-no/{no}/close", post(close))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeWechatPay {
            base_url: format!("http://{addr}"),
            inner,
        }
    }

    /// Points a configuration at this fake, with the simulated provider still on.
    pub fn configure(&self, c: &mut Config) {
        let w = &mut c.payments.wechat;
        w.mchid = MCHID.into();
        w.merchant_serial = MERCHANT_SERIAL.into();
        w.merchant_key_file = fixture("merchant_key.pem").to_string_lossy().into_owned();
        w.api_v3_key = Some(API_V3_KEY.to_string().into());
        w.public_key_file = fixture("platform_pub.pem").to_string_lossy().into_owned();
        w.public_key_id = PUBLIC_KEY_ID.into();
        w.api_base = self.base_url.clone();
        w.notify_base = "https://jishi.test".into();
    }

    pub fn tamper_replies(&self, on: bool) {
        self.inner.tamper_replies.store(on, Ordering::SeqCst);
    }

    pub fn fail_closes(&self, on: bool) {
        self.inner.fail_closes.store(on, Ordering::SeqCst);
    }

    /// Close requests refused while `fail_closes` was on.
    pub fn failed_closes(&self) -> usize {
        self.inner.failed_closes.load(Ordering::SeqCst)
    }

    /// The orders closed, once per close request.
    pub fn closes(&self) -> Vec<String> {
        self.inner.books.lock().unwrap().closes.clone()
    }

    /// Requests whose signature did not check out.
    pub fn bad_requests(&self) -> usize {
        self.inner.bad_requests.load(Ordering::SeqCst)
    }

    /// Refund requests received (retries included).
    pub fn refund_requests(&self) -> usize {
        self.inner.refund_requests.load(Ordering::SeqCst)
    }

    pub fn order(&self, out_trade_no: &str) -> Option<PrepaidOrder> {
        self.inner
            .books
            .lock()
            .unwrap()
            .orders
            .get(out_trade_no)
            .cloned()
    }

    pub fn refund(&self, out_refund_no: &str) -> Option<Value> {
        self.inner
            .books
            .lock()
            .unwrap()
            .refunds
            .get(out_refund_no)
            .cloned()
    }

    /// The decrypted `resource` of a successful payment of a prepaid order.
    pub fn transaction(&self, out_trade_no: &str) -> Value {
        let order = self.order(out_trade_no).expect("prepaid first");
        json!({
            "mchid": order.body["mchid"], "appid": order.body["appid"],
            "out_trade_no": out_trade_no, "transaction_id": format!("42000{out_trade_no}"),
            "trade_type": "JSAPI", "trade_state": "SUCCESS", "trade_state_desc": "支付成功",
            "bank_type": "OTHERS", "success_time": "2026-11-23T10:00:00+08:00",
            "payer": order.body["payer"],
            "amount": {"total": order.body["amount"]["total"], "payer_total": order.body["amount"]["total"],
                       "currency": "CNY", "payer_currency": "CNY"},
        })
    }

    /// The decrypted `resource` of a successful refund.
    pub fn refund_result(&self, out_refund_no: &str) -> Value {
        let r = self.refund(out_refund_no).expect("refund requested first");
        json!({
            "mchid": MCHID, "transaction_id": r["transaction_id"], "out_trade_no": "",
            "refund_id": format!("50300{out_refund_no}"), "out_refund_no": out_refund_no,
            "refund_status": "SUCCESS", "success_time": "2026-11-23T11:00:00+08:00",
            "amount": {"total": r["amount"]["total"], "refund": r["amount"]["refund"],
                       "payer_total": r["amount"]["total"], "payer_refund": r["amount"]["refund"]},
        })
    }

    /// A notification as WeChat Pay POSTs it: `resource` sealed with the API v3 key, the body
    /// signed with WeChat Pay's key.
    pub fn notification(
        &self,
        id: &str,
        event_type: &str,
        resource: &Value,
    ) -> (HeaderMap, Vec<u8>) {
        let nonce = "r7Kc1Q9xZp3A";
        let associated_data = if event_type.starts_with("REFUND.") {
            "refund"
        } else {
            "transaction"
        };
        let sealed = Aes256Gcm::new(API_V3_KEY.as_bytes().into())
            .encrypt(
                Nonce::from_slice(nonce.as_bytes()),
                Payload {
                    msg: resource.to_string().as_bytes(),
                    aad: associated_data.as_bytes(),
                },
            )
            .unwrap();
        let body = json!({
            "id": id, "create_time": "2026-11-23T10:00:00+08:00", "resource_type": "encrypt-resource",
            "event_type": event_type, "summary": "支付成功",
            "resource": {"original_type": associated_data, "algorithm": "AEAD_AES_256_GCM",
                         "ciphertext": STANDARD.encode(sealed), "associated_data": associated_data,
                         "nonce": nonce},
        })
        .to_string()
        .into_bytes();
        (self.signed_headers(&body), body)
    }

    /// WeChat Pay's signature headers over `body`, made now.
    pub fn signed_headers(&self, body: &[u8]) -> HeaderMap {
        signed_headers(&self.inner.platform, body)
    }
}

fn signed_headers(key: &MerchantKey, body: &[u8]) -> HeaderMap {
    let timestamp = (wall_ms() / 1000).to_string();
    let nonce = format!("n{}", wall_ms());
    let signature = key.sign(&crypto::reply_message(&timestamp, &nonce, body));
    let mut h = HeaderMap::new();
    h.insert("wechatpay-serial", PUBLIC_KEY_ID.parse().unwrap());
    h.insert("wechatpay-timestamp", timestamp.parse().unwrap());
    h.insert("wechatpay-nonce", nonce.parse().unwrap());
    h.insert("wechatpay-signature", signature.parse().unwrap());
    h.insert("content-type", "application/json".parse().unwrap());
    h
}

/// Checks the merchant's `Authorization` over the request, as WeChat Pay does.
fn authorised(inner: &Inner, path: &str, headers: &HeaderMap, body: &[u8]) -> bool {
    let Some(auth) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(params) = auth.strip_prefix("WECHATPAY2-SHA256-RSA2048 ") else {
        return false;
    };
    let field = |k: &str| {
        params.split(',').find_map(|kv| {
            let (key, v) = kv.split_once('=')?;
            (key.trim() == k).then(|| v.trim_matches('"').to_string())
        })
    };
    let (Some(mchid), Some(nonce), Some(sig), Some(ts), Some(serial)) = (
        field("mchid"),
        field("nonce_str"),
        field("signature"),
        field("timestamp"),
        field("serial_no"),
    ) else {
        return false;
    };
    let body = std::str::from_utf8(body).unwrap_or_default();
    let ts: i64 = ts.parse().unwrap_or_default();
    mchid == MCHID
        && serial == MERCHANT_SERIAL
        && inner.merchant.verify(
            crypto::request_message("POST", path, ts, &nonce, body).as_bytes(),
            &sig,
        )
}

fn reply(inner: &Inner, status: StatusCode, body: Value) -> Response {
    let bytes = body.to_string().into_bytes();
    let headers = signed_headers(&inner.platform, &bytes);
    let bytes = if inner.tamper_replies.load(Ordering::SeqCst) {
        body.to_string().replace("wx", "xw").into_bytes()
    } else {
        bytes
    };
    (status, headers, bytes).into_response()
}

fn sign_error(inner: &Inner) -> Response {
    inner.bad_requests.fetch_add(1, Ordering::SeqCst);
    reply(
        inner,
        StatusCode::UNAUTHORIZED,
        json!({"code": "SIGN_ERROR", "message": "签名错误"}),
    )
}

async fn jsapi(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorised(&inner, "/v3/pay/transactions/jsapi", &headers, &body) {
        return sign_error(&inner);
    }
    let order: Value = serde_json::from_slice(&body).unwrap();
    let no = order["out_trade_no"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let prepay_id = format!("wx{}", no);
    inner.books.lock().unwrap().orders.insert(
        no,
        PrepaidOrder {
            body: order,
            prepay_id: prepay_id.clone(),
        },
    );
    reply(&inner, StatusCode::OK, json!({"prepay_id": prepay_id}))
}

async fn close(
    State(inner): State<Arc<Inner>>,
    axum::extract::Path(no): axum::extract::Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = format!("/v3/pay/transactions/out-trade-no/{no}/close");
    if !authorised(&inner, &path, &headers, &body) {
        return sign_error(&inner);
    }
    if inner.fail_closes.load(Ordering::SeqCst) {
        inner.failed_closes.fetch_add(1, Ordering::SeqCst);
        return reply(
            &inner,
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"code": "SYSTEM_ERROR", "message": "系统错误"}),
        );
    }
    let r: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(r["mchid"], MCHID);
    inner.books.lock().unwrap().closes.push(no);
    // an empty, signed 204, as WeChat Pay answers a close
    let headers = signed_headers(&inner.platform, b"");
    (StatusCode::NO_CONTENT, headers).into_response()
}

async fn refunds(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorised(&inner, "/v3/refund/domestic/refunds", &headers, &body) {
        return sign_error(&inner);
    }
    inner.refund_requests.fetch_add(1, Ordering::SeqCst);
    let r: Value = serde_json::from_slice(&body).unwrap();
    let no = r["out_refund_no"].as_str().unwrap_or_default().to_string();
    let answer = json!({
        "refund_id": format!("50300{no}"), "out_refund_no": no, "transaction_id": r["transaction_id"],
        "channel": "ORIGINAL", "status": "PROCESSING",
        "amount": {"total": r["amount"]["total"], "refund": r["amount"]["refund"], "currency": "CNY"},
    });
    inner.books.lock().unwrap().refunds.insert(no, r);
    reply(&inner, StatusCode::OK, answer)
}
