//! Stray payments: money a trade cannot keep. A payment that arrives after its trade closed
//! (its stock is back on the shelf, its orders cancelled) is `late`; a second, different payment
//! of a trade already paid (paid twice through two clients, or a provider order that could not
//! be closed) is a `duplicate`. Either goes back in full, the way it came (原路退回): it is
//! recorded in the same transaction as the notification that brought it, asked of the provider,
//! confirmed by the provider's refund notification, and asked again until it is. A trade may
//! have several; each provider transaction is recorded once however often it is delivered.

use sqlx::AnyConnection;

use crate::domain::money::yuan_text;
use crate::domain::order::TradeStatus;
use crate::domain::state_machine::Actor;
use crate::domain::stray_payment::{StrayAction, StrayKind, StrayStatus};
use crate::error::{AppError, AppResult};
use crate::infra::payments::{Notification, RefundOutcome, RefundRequest};
use crate::repo::orders::{self as order_repo};
use crate::repo::payments::{self as repo, NewStrayPayment};
use crate::repo::trades::{self as trade_repo, TradeRow};
use crate::state::AppState;

/// The one move of a stray payment: the provider confirms the money is back.
const CONFIRM_REFUND: (StrayAction, Actor, StrayStatus) = (
    StrayAction::ConfirmRefund,
    Actor::System,
    StrayStatus::Refunded,
);

/// The kind of a successful payment `n` the trade (as it is now) could not take; `None` when it
/// is the trade's own payment delivered again.
pub fn kind_of(trade: &TradeRow, provider: &str, n: &Notification) -> Option<StrayKind> {
    match trade.status {
        TradeStatus::Closed => Some(StrayKind::Late),
        TradeStatus::Paid
            if trade.provider != provider || trade.provider_txn_id != n.provider_ref =>
        {
            Some(StrayKind::Duplicate)
        }
        _ => None,
    }
}

/// Records a stray payment and holds its money as owed back (in the caller's transaction).
/// Returns its id, or `None` when this provider transaction was recorded before.
pub async fn record(
    conn: &mut AnyConnection,
    trade: &TradeRow,
    kind: StrayKind,
    provider: &str,
    n: &Notification,
    now: i64,
) -> AppResult<Option<i64>> {
    let refund_no = crate::infra::numbers::new_number();
    let id = repo::insert_stray_payment(
        conn,
        &NewStrayPayment {
            trade_id: trade.id,
            kind,
            provider,
            provider_txn_id: &n.provider_ref,
            amount: n.amount,
            refund_no: &refund_no,
            now,
        },
    )
    .await?;
    if let Some(id) = id {
        crate::services::ledger::post_stray_payment(conn, id, &trade.trade_no, n.amount, now)
            .await?;
        tracing::warn!(trade_no = %trade.trade_no, kind = kind.as_str(), "a payment the trade cannot keep: refunding it");
    }
    Ok(id)
}

/// Asks the provider to send a stray payment back.
pub async fn refund(st: &AppState, id: i64) -> AppResult<()> {
    let mut conn = st.db.pool.acquire().await?;
    let stray = repo::stray_payment(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::internal("refund of a missing stray payment"))?;
    let trade = trade_repo::trade_by_id(&mut conn, stray.trade_id)
        .await?
        .ok_or_else(|| AppError::internal("stray payment of a missing trade"))?;
    drop(conn);
    if stray.status != StrayStatus::Refunding {
        return Ok(());
    }
    let kind = stray.kind;
    let provider = st.payments.get(&stray.provider)?;
    let outcome = provider
        .refund(&RefundRequest {
            refund_no: stray.refund_no.clone(),
            trade_no: trade.trade_no.clone(),
            provider_txn_id: stray.provider_txn_id.clone(),
            amount: stray.amount,
            total: stray.amount,
            reason: kind.reason().into(),
        })
        .await;
    match outcome {
        Ok(RefundOutcome::Processing) => Ok(()),
        Ok(RefundOutcome::Done) => {
            let n = Notification::refund_confirmed(&stray.refund_no, stray.amount);
            on_refund_notification(st, provider.name(), &n)
                .await
                .map(|_| ())
        }
        Err(e) => {
            // asked again by the timers
            tracing::error!(trade_no = %trade.trade_no, "stray payment refund failed: {e:?}");
            Ok(())
        }
    }
}

/// A refund notification for a stray payment. Ok(false) when `n` is not one (an after-sale's).
pub async fn on_refund_notification(
    st: &AppState,
    provider: &str,
    n: &Notification,
) -> AppResult<bool> {
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let Some(stray) = repo::stray_payment_by_refund_no(&mut tx, &n.reference).await? else {
        tx.rollback().await?;
        return Ok(false);
    };
    let first =
        super::refunds::record_refund_notification(&mut tx, provider, n, stray.amount, now).await?;
    if first && n.success && repo::move_stray(&mut tx, stray.id, CONFIRM_REFUND, now).await? {
        let trade = trade_repo::trade_by_id(&mut tx, stray.trade_id)
            .await?
            .ok_or_else(|| AppError::internal("stray payment of a missing trade"))?;
        crate::services::ledger::post_stray_refund(
            &mut tx,
            stray.id,
            &trade.trade_no,
            stray.amount,
            now,
        )
        .await?;
        let note = format!(
            "{} ¥{} 已原路退回",
            stray.kind.label(),
            yuan_text(stray.amount)
        );
        let ids: Vec<i64> = order_repo::orders_of_trade(&mut tx, trade.id)
            .await?
            .iter()
            .map(|o| o.id)
            .collect();
        order_repo::add_events(&mut tx, &ids, "refunded", &note, "system", now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Asks again for stray refunds the provider has not confirmed within ten minutes.
pub async fn retry_stuck(st: &AppState) -> AppResult<usize> {
    let now = st.clock.now_ms();
    let ids = repo::take_stuck_stray_refunds(&st.db.pool, now - 10 * 60_000, now).await?;
    for id in &ids {
        refund(st, *id).await?;
    }
    Ok(ids.len())
}
