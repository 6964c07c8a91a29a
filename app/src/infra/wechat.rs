//! WeChat server API client: `jscode2session` for mini-program sign-in, the stable access
//! token (cached, refreshed before it ends) and subscribe-send for subscription messages.
//! The base URL comes from configuration so tests talk to a local fake.

use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::infra::config::WechatConfig;

#[derive(Debug, Clone)]
pub struct WechatClient {
    http: reqwest::Client,
    api_base: String,
    appid: String,
    secret: SecretString,
    /// the access token and when it ends (epoch ms), shared by every clone
    token: Arc<tokio::sync::Mutex<Option<(SecretString, i64)>>>,
}

/// One subscription message to send.
#[derive(Debug, serde::Serialize)]
pub struct SubscribeMessage {
    pub touser: String,
    pub template_id: String,
    /// the page a tap on the message opens, with its query
    pub page: String,
    /// keyword → `{"value": …}`
    pub data: serde_json::Map<String, serde_json::Value>,
    pub miniprogram_state: String,
    pub lang: &'static str,
}

/// What WeChat did with a subscription message. Transport failures and WeChat being busy are
/// the `Err` of [`WechatClient::subscribe_send`]: worth another try later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    Sent,
    /// 43101: the shopper has no subscription left (refused, or spent)
    NoSubscription,
    /// 47003 and other refusals of this message: sending it again fails the same way
    Refused(i64, String),
}

/// What WeChat tells us about a mini-program user. `session_key` must never leave the server.
#[derive(Debug)]
pub struct WxSession {
    pub openid: String,
    pub unionid: Option<String>,
    pub session_key: SecretString,
}

#[derive(Deserialize)]
struct Code2SessionReply {
    openid: Option<String>,
    session_key: Option<String>,
    unionid: Option<String>,
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

impl WechatClient {
    pub fn new(cfg: &WechatConfig) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("HTTP client builds with static settings");
        Self {
            http,
            api_base: cfg.api_base.trim_end_matches('/').to_string(),
            appid: cfg.appid.clone(),
            secret: cfg
                .secret
                .clone()
                .unwrap_or_else(|| SecretString::from(String::new())),
            token: Arc::new(tokio::sync::Mutex::new(None)),
        }
    }

    /// The stable access token (`/cgi-bin/stable_token`), cached until five minutes before it
    /// ends; `force` asks WeChat for a new one (after it called ours invalid).
    async fn access_token(&self, force: bool) -> AppResult<SecretString> {
        let mut cached = self.token.lock().await;
        let now = crate::infra::clock::wall_ms();
        if let Some((token, until)) = cached.as_ref() {
            if !force && *until > now {
                return Ok(token.clone());
            }
        }
        #[derive(Deserialize)]
        struct Reply {
            access_token: Option<String>,
            expires_in: Option<i64>,
            #[serde(default)]
            errcode: i64,
            #[serde(default)]
            errmsg: String,
        }
        let reply: Reply = self
            .http
            .post(format!("{}/cgi-bin/stable_token", self.api_base))
            .json(&serde_json::json!({
                "grant_type": "client_credential",
                "appid": self.appid,
                "secret": self.secret.expose_secret(),
                "force_refresh": force,
            }))
            .send()
            .await
            .map_err(|e| unavailable(format!("stable_token request: {}", e.without_url())))?
            .json()
            .await
            .map_err(|e| unavailable(format!("stable_token body: {}", e.without_url())))?;
        match (reply.errcode, reply.access_token) {
            (0, Some(token)) if !token.is_empty() => {
                let lifetime = reply.expires_in.unwrap_or(7200).max(600);
                let token = SecretString::from(token);
                *cached = Some((token.clone(), now + (lifetime - 300) * 1000));
                Ok(token)
            }
            (code, _) => Err(unavailable(format!(
                "stable_token errcode {code}: {}",
                reply.errmsg
            ))),
        }
    }

    /// Sends one subscription message (`/cgi-bin/message/subscribe/send`). A token WeChat
    /// calls invalid or expired (40001, 42001) is replaced once and the send tried again.
    pub async fn subscribe_send(&self, msg: &SubscribeMessage) -> AppResult<SendOutcome> {
        let mut force = false;
        loop {
            let token = self.access_token(force).await?;
            #[derive(Deserialize)]
            struct Reply {
                #[serde(default)]
                errcode: i64,
                #[serde(default)]
                errmsg: String,
            }
            let reply = self
                .http
                .post(format!("{}/cgi-bin/message/subscribe/send", self.api_base))
                .query(&[("access_token", token.expose_secret())])
                .json(msg)
                .send()
                .await
                // the URL carries the token: never let it reach a log line
                .map_err(|e| unavailable(format!("subscribe send: {}", e.without_url())))?;
            if !reply.status().is_success() {
                return Err(unavailable(format!(
                    "subscribe send HTTP {}",
                    reply.status()
                )));
            }
            let reply: Reply = reply
                .json()
                .await
                .map_err(|e| unavailable(format!("subscribe send body: {}", e.without_url())))?;
            return Ok(match reply.errcode {
                0 => SendOutcome::Sent,
                40001 | 42001 if !force => {
                    force = true;
                    continue;
                }
                43101 => SendOutcome::NoSubscription,
                // WeChat is busy: another time
                -1 => {
                    return Err(unavailable(format!(
                        "subscribe send busy: {}",
                        reply.errmsg
                    )))
                }
                code => SendOutcome::Refused(code, reply.errmsg),
            });
        }
    }

    /// Exchanges a `wx.login()` code for the user's openid and session key.
    pub async fn code_to_session(&self, code: &str) -> AppResult<WxSession> {
        let url = format!("{}/sns/jscode2session", self.api_base);
        let reply = self
            .http
            .get(&url)
            .query(&[
                ("appid", self.appid.as_str()),
                ("secret", self.secret.expose_secret()),
                ("js_code", code),
                ("grant_type", "authorization_code"),
            ])
            .send()
            .await
            // the URL carries the app secret: never let it reach a log line
            .map_err(|e| unavailable(format!("jscode2session request: {}", e.without_url())))?;
        if !reply.status().is_success() {
            return Err(unavailable(format!(
                "jscode2session HTTP {}",
                reply.status()
            )));
        }
        let body: Code2SessionReply = reply
            .json()
            .await
            .map_err(|e| unavailable(format!("jscode2session body: {}", e.without_url())))?;
        match (body.errcode, body.openid, body.session_key) {
            (0, Some(openid), Some(session_key)) if !openid.is_empty() => Ok(WxSession {
                openid,
                unionid: body.unionid.filter(|u| !u.is_empty()),
                session_key: SecretString::from(session_key),
            }),
            (40029 | 40163, ..) => Err(AppError::bad_request("登录凭证无效或已使用，请重新登录")),
            (45011, ..) => Err(AppError::TooManyRequests(
                "微信登录过于频繁，请稍后再试".into(),
            )),
            (40226, ..) => Err(AppError::Forbidden(
                "该微信账号存在安全风险，暂时无法登录".into(),
            )),
            (code, ..) => Err(unavailable(format!(
                "jscode2session errcode {code}: {}",
                body.errmsg
            ))),
        }
    }
}

/// WeChat failed in a way the user cannot fix: log the cause, show a calm message.
fn unavailable(cause: String) -> AppError {
    tracing::warn!("wechat: {cause}");
    AppError::Upstream("微信服务暂时不可用，请稍后再试".into())
}
