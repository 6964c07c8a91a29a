//! Background work of a serving instance: the order timers and the simulated payment
//! provider's notifications. The timers keep their state in the database (deadlines on trades
//! and orders), so stopping the server loses nothing; the first pass after a start catches up.

use std::time::Duration;

use crate::services::{after_sales, orders, payments, settlement};
use crate::state::AppState;

/// Starts the jobs (once per state; a second call finds the outbox taken and starts only timers).
pub fn start(st: &AppState) {
    let outbox = st.simulated_outbox.lock().expect("outbox lock").take();
    if let Some(mut rx) = outbox {
        let st = st.clone();
        tokio::spawn(async move {
            while let Some((headers, body)) = rx.recv().await {
                let name = crate::infra::payments::simulated::NAME;
                if let Err(e) = payments::handle_notification(&st, name, &headers, &body).await {
                    tracing::error!("simulated notification not accepted: {e:?}");
                }
            }
        });
    }
    st.db.checkpoint_in_background();
    let st = st.clone();
    tokio::spawn(async move {
        let every = Duration::from_secs(st.config.orders.sweep_secs.max(1));
        loop {
            run_once(&st).await;
            tokio::time::sleep(every).await;
        }
    });
}

/// One pass of every timer (tests call this directly).
pub async fn run_once(st: &AppState) {
    match orders::run_timers(st).await {
        Ok((0, 0)) => {}
        Ok((closed, confirmed)) => {
            tracing::info!(
                closed,
                confirmed,
                "order timers: trades closed, orders confirmed"
            )
        }
        Err(e) => tracing::error!("order timers failed: {e:?}"),
    }
    match crate::services::group_buys::run_timers(st).await {
        Ok((0, 0)) => {}
        Ok((ended, refunds)) => tracing::info!(
            ended,
            refunds,
            "group timers: groups ended, refunds started"
        ),
        Err(e) => tracing::error!("group timers failed: {e:?}"),
    }
    match crate::services::presale_balances::run_timers(st).await {
        Ok(0) => {}
        Ok(ended) => tracing::info!(ended, "presale timers: balances missed"),
        Err(e) => tracing::error!("presale timers failed: {e:?}"),
    }
    match crate::services::presale_balances::remind_open(st).await {
        Ok(0) => {}
        Ok(told) => tracing::info!(told, "presale balances: shoppers told their window opened"),
        Err(e) => tracing::error!("balance reminders failed: {e:?}"),
    }
    if let Err(e) = crate::services::coupons::expire_due(st).await {
        tracing::error!("coupon expiry failed: {e:?}");
    }
    if let Err(e) = after_sales::retry_stuck_refunds(st).await {
        tracing::error!("refund retry failed: {e:?}");
    }
    if let Err(e) = payments::stray::retry_stuck(st).await {
        tracing::error!("stray payment refund retry failed: {e:?}");
    }
    payments::close_at_providers(st).await;
    match crate::services::subscriptions::send_due(st).await {
        Ok(0) => {}
        Ok(sent) => tracing::info!(sent, "subscription messages sent"),
        Err(e) => tracing::error!("subscription messages failed: {e:?}"),
    }
    match crate::services::reviews::write_automatic(st, 200).await {
        Ok(0) => {}
        Ok(written) => tracing::info!(written, "automatic positive reviews written"),
        Err(e) => tracing::error!("automatic reviews failed: {e:?}"),
    }
    if let Err(e) = crate::services::visits::flush(st).await {
        tracing::error!("writing visits failed: {e:?}");
    }
    match crate::services::dashboards::close_days(st).await {
        Ok(0) => {}
        Ok(days) => {
            tracing::info!(days, "dashboard days closed");
            if let Err(e) = crate::services::visits::forget_old_visitors(st).await {
                tracing::error!("forgetting old visitor ids failed: {e:?}");
            }
        }
        Err(e) => tracing::error!("closing dashboard days failed: {e:?}"),
    }
    if let Err(e) = settlement::run(st).await {
        tracing::error!("settlement run failed: {e:?}");
    }
}
