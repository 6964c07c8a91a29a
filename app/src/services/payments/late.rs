//! Payments that arrive after their trade closed. The trade's stock is back on the shelf and its
//! orders are cancelled, so the money goes back in full, the way it came (原路退回): the refund is
//! recorded in the same transaction as the payment, asked of the provider, confirmed by the
//! provider's refund notification, and asked again until it is.

use super::{Notification, RefundOutcome, RefundRequest};
use crate::domain::money::yuan_text;
use crate::error::{AppError, AppResult};
use crate::infra::clock::now_ms;
use crate::infra::state::AppState;
use crate::repo::orders as order_repo;

const REASON: &str = "订单超时已关闭，款项原路退回";

/// Asks the trade's provider to send its late payment back.
pub async fn refund(st: &AppState, trade_id: i64) -> AppResult<()> {
    let mut conn = st.db.pool.acquire().await?;
    let trade = order_repo::trade_by_id(&mut conn, trade_id)
        .await?
        .ok_or_else(|| AppError::internal("late refund of a missing trade"))?;
    drop(conn);
    let Some(refund_no) = trade.late_refund_no.clone() else {
        return Ok(());
    };
    let provider = st.payments.get(&trade.provider)?;
    let outcome = provider
        .refund(&RefundRequest {
            refund_no: refund_no.clone(),
            trade_no: trade.trade_no.clone(),
            provider_txn_id: trade.provider_txn_id.clone(),
            amount: trade.amount,
            total: trade.amount,
            reason: REASON.into(),
        })
        .await;
    match outcome {
        Ok(RefundOutcome::Processing) => Ok(()),
        Ok(RefundOutcome::Done) => {
            let n = Notification::refund_confirmed(&refund_no, trade.amount);
            on_refund_notification(st, provider.name(), &n)
                .await
                .map(|_| ())
        }
        Err(e) => {
            // asked again by the timers
            tracing::error!(trade_no = %trade.trade_no, "late payment refund failed: {e:?}");
            Ok(())
        }
    }
}

/// A refund notification for a late payment. Ok(false) when `n` is not one (an after-sale's).
pub async fn on_refund_notification(
    st: &AppState,
    provider: &str,
    n: &Notification,
) -> AppResult<bool> {
    let now = now_ms();
    let mut tx = st.db.begin_write().await?;
    let Some(trade) = order_repo::trade_by_late_refund_no(&mut tx, &n.reference).await? else {
        tx.rollback().await?;
        return Ok(false);
    };
    let first = super::record_refund_notification(&mut tx, provider, n, trade.amount, now).await?;
    if first && n.success && order_repo::mark_late_refunded(&mut tx, trade.id, now).await? {
        crate::services::ledger::post_late_refund(
            &mut tx,
            trade.id,
            &trade.trade_no,
            trade.amount,
            now,
        )
        .await?;
        let note = format!("超时付款 ¥{} 已原路退回", yuan_text(trade.amount));
        for o in order_repo::orders_of_trade(&mut tx, trade.id).await? {
            order_repo::add_event(&mut tx, o.id, "refunded", &note, "system", now).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// Asks again for late refunds the provider has not confirmed within ten minutes.
pub async fn retry_stuck(st: &AppState) -> AppResult<usize> {
    let now = now_ms();
    let ids = order_repo::take_stuck_late_refunds(&st.db.pool, now - 10 * 60_000, now).await?;
    for id in &ids {
        refund(st, *id).await?;
    }
    Ok(ids.len())
}
