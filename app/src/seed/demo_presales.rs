//! The demo's 预售, so a new user sees both kinds at once: 昭通苹果园 presells 云南褚橙 paid in
//! full for a week at about 90 % of its price, promising to ship by the tenth day, and its 蒙自
//! 石榴 with a deposit (定金 a tenth of the price, worth three times as much at balance time), the
//! deposit window a week, the balance the three days after, shipping within three days of the
//! balance. Each on every SKU of it not in another activity; each made again
//! whenever it is not selling.

use crate::domain::presale::{PresaleInput, ShipPromise};
use crate::domain::presale_deposit::{DepositPlan, MissedBalance};
use crate::domain::time::{china_day, day_start, DAY_MS};
use crate::error::AppResult;
use crate::repo::accounts as account_repo;
use crate::repo::presales as repo;
use crate::state::AppState;

/// (shop, product, title)
const FULL: (&str, &str, &str) = (
    "zhaotong_apple",
    "云南褚橙 冰糖橙",
    "褚橙预售 · 树上现摘 10 天内发货",
);
const DEPOSIT: (&str, &str, &str) = (
    "zhaotong_apple",
    "云南蒙自石榴 甜石榴",
    "蒙自石榴定金预售 · 定金翻三倍",
);

pub async fn seed(st: &AppState) -> AppResult<()> {
    let now = st.clock.now_ms();
    if let Some((merchant_id, product_id, skus)) = skus_of(st, FULL, now).await? {
        let input = PresaleInput {
            title: FULL.2.into(),
            starts_at: now - 60_000,
            ends_at: now + 7 * DAY_MS,
            ship: ShipPromise::Date {
                before: day_start(china_day(now) + 11),
            },
            per_order_limit: 3,
            per_user_limit: 5,
            // about 90 % of the price, ending in 9 jiao: ¥61.9
            skus: skus
                .iter()
                .map(|&(sku, price, stock)| {
                    (sku, (price * 9 / 10 / 100).max(1) * 100 - 10, stock.min(50))
                })
                .collect(),
            deposit: None,
        };
        insert(st, merchant_id, product_id, &input, now).await?;
    }
    if let Some((merchant_id, product_id, skus)) = skus_of(st, DEPOSIT, now).await? {
        let ends_at = now + 7 * DAY_MS;
        let input = PresaleInput {
            title: DEPOSIT.2.into(),
            starts_at: now - 60_000,
            ends_at,
            ship: ShipPromise::Days { days: 3 },
            per_order_limit: 2,
            per_user_limit: 4,
            skus: skus
                .iter()
                .map(|&(sku, price, stock)| (sku, price, stock.min(50)))
                .collect(),
            deposit: Some(DepositPlan {
                balance_starts_at: ends_at,
                balance_ends_at: ends_at + 3 * DAY_MS,
                missed: MissedBalance::Refund,
                // a tenth of the price in whole yuan, worth three times as much
                skus: skus
                    .iter()
                    .map(|&(sku, price, _)| {
                        let deposit = (price / 10 / 100).max(1) * 100;
                        (sku, deposit, (deposit * 3).min(price - 1))
                    })
                    .collect(),
            }),
        };
        insert(st, merchant_id, product_id, &input, now).await?;
    }
    Ok(())
}

/// The shop, the product and its SKUs with stock in no other activity, `(SKU, price, stock)`,
/// unless a presale of this title is selling already (or the shop or product is missing).
async fn skus_of(
    st: &AppState,
    (shop, product, title): (&str, &str, &str),
    now: i64,
) -> AppResult<Option<(i64, i64, Vec<(i64, i64, i64)>)>> {
    let mut conn = st.db.pool.acquire().await?;
    if repo::selling(&mut conn, now, 50)
        .await?
        .iter()
        .any(|p| p.title == title)
    {
        return Ok(None);
    }
    let Some(staff) = account_repo::staff_by_username(&st.db.pool, shop).await? else {
        return Ok(None);
    };
    // one activity per SKU at a time (a presale's SKUs overlapping another's: see `insert`)
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT s.product_id, s.id, s.price, s.stock FROM skus s \
         JOIN products p ON p.id = s.product_id WHERE s.merchant_id = $1 AND p.title = $2 \
         AND p.status = 'on_sale' AND s.active = 1 AND s.stock >= 20 \
         AND s.id NOT IN (SELECT sku_id FROM flash_sale_items) \
         AND s.id NOT IN (SELECT sku_id FROM group_buy_skus) ORDER BY s.id",
    )
    .bind(staff.merchant_id)
    .bind(product)
    .fetch_all(&mut *conn)
    .await?;
    let Some(&(product_id, ..)) = rows.first() else {
        return Ok(None);
    };
    let skus = rows
        .iter()
        .map(|&(_, sku, price, stock)| (sku, price, stock))
        .collect();
    Ok(Some((staff.merchant_id, product_id, skus)))
}

async fn insert(
    st: &AppState,
    merchant_id: i64,
    product_id: i64,
    input: &PresaleInput,
    now: i64,
) -> AppResult<()> {
    let mut tx = st.db.begin_write().await?;
    repo::insert(&mut tx, merchant_id, product_id, input, now).await?;
    tx.commit().await?;
    Ok(())
}
