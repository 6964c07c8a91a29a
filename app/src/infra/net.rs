//! The client's address, for rate limits and the audit log.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::HeaderMap;

use crate::infra::config::Config;

/// The peer address, or the first `X-Forwarded-For` hop when configured to trust a proxy.
pub fn client_ip(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_forwarded_for: bool,
) -> String {
    if trust_forwarded_for {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let Some(ip) = forwarded {
            return ip.to_string();
        }
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// [`client_ip`] of the current server-function call.
pub async fn client_ip_of_call(config: &Config) -> String {
    let headers = leptos::prelude::use_context::<http::request::Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    let peer = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()
        .map(|c| c.0);
    client_ip(&headers, peer, config.trust_forwarded_for)
}
