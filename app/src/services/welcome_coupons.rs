//! 新人券: the coupons every new shopper gets on sign-up (templates given by
//! `Distribution::SignUp`). Apart from `services::coupons` so that signing up (in
//! `services::accounts` and `services::mp_auth`) depends on nothing above the coupon repository.

use crate::domain::time::china_day;
use crate::error::AppResult;
use crate::repo::coupons as repo;
use crate::state::AppState;

/// Gives a new shopper one copy of each running sign-up template, right after the account is
/// created. A template whose copies ran out is skipped.
pub async fn give(st: &AppState, shopper_id: i64) -> AppResult<()> {
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    for t in repo::sign_up_templates(&mut tx, now).await? {
        // a refusal (no copies left) leaves nothing behind: the guarded updates wrote nothing
        let _ = repo::claim(&mut tx, &t, shopper_id, now, china_day(now)).await?;
    }
    tx.commit().await?;
    Ok(())
}
