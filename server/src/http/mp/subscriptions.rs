//! Subscription messages (订阅消息): which templates the client asks the shopper to accept, and
//! the acceptances it reports (one message each).

use app::error::AppError;
use app::services::subscriptions::{self, SubscribeTemplates};
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::{ApiJson, MpShopper};
use super::{ok, Envelope};

#[utoipa::path(get, path = "/subscriptions/templates", tag = "subscriptions",
    responses((status = 200, description = "Template ids to pass to `wx.requestSubscribeMessage`: on the pay tap (发货通知, 退款结果) and on submitting an after-sale (售后结果); empty when the platform configured none", body = Envelope<SubscribeTemplates>)))]
pub async fn templates(State(st): State<AppState>) -> Json<Envelope<SubscribeTemplates>> {
    ok(subscriptions::templates(&st))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Accepted {
    /// the template ids `wx.requestSubscribeMessage` answered `accept` for (at most 3)
    #[schema(max_items = 3)]
    pub accepted: Vec<String>,
}

#[utoipa::path(post, path = "/subscriptions", tag = "subscriptions", security(("bearer" = [])), request_body = Accepted,
    responses((status = 200, description = "Recorded: one message of each template may now be sent to the shopper", body = Envelope<bool>),
        (status = 422, description = "Not a configured template, or more than three")))]
pub async fn accept(
    State(st): State<AppState>,
    me: MpShopper,
    ApiJson(body): ApiJson<Accepted>,
) -> Result<Json<Envelope<bool>>, AppError> {
    subscriptions::accept(&st, me.identity.account_id, &body.accepted).await?;
    Ok(ok(true))
}
