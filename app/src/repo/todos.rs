//! How many things wait for someone, for the dashboards' to-do panels (SQL only; which counts a
//! console shows and where they link is `services::dashboards`).

use sqlx::AnyConnection;

use crate::domain::after_sale::AfterSaleStatus;
use crate::domain::merchant::ApplicationStatus;
use crate::domain::order::OrderStatus;
use crate::domain::product::ProductStatus;
use crate::domain::settlement::{BillStatus, WithdrawalStatus};
use crate::error::AppResult;

async fn count(
    conn: &mut AnyConnection,
    sql: &str,
    binds: &[&str],
    merchant: Option<i64>,
) -> AppResult<i64> {
    let mut q = sqlx::query_as::<_, (i64,)>(sql);
    for b in binds {
        q = q.bind(*b);
    }
    if let Some(m) = merchant {
        q = q.bind(m);
    }
    Ok(q.fetch_one(&mut *conn).await?.0)
}

/// What waits for the platform.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlatformTodos {
    pub applications: i64,
    /// products waiting for 商品审核
    pub products: i64,
    pub arbitration: i64,
    pub withdrawals: i64,
    pub disputed_bills: i64,
}

pub async fn platform(conn: &mut AnyConnection) -> AppResult<PlatformTodos> {
    let n = "CAST(COUNT(*) AS BIGINT)";
    let mut by_status = async |table: &str, status: &str| {
        let sql = format!("SELECT {n} FROM {table} WHERE status = $1");
        count(conn, &sql, &[status], None).await
    };
    Ok(PlatformTodos {
        applications: by_status("merchant_applications", ApplicationStatus::Pending.as_str())
            .await?,
        products: by_status("products", ProductStatus::PendingReview.as_str()).await?,
        arbitration: by_status("after_sales", AfterSaleStatus::Arbitrating.as_str()).await?,
        withdrawals: by_status("withdrawals", WithdrawalStatus::Pending.as_str()).await?,
        disputed_bills: by_status("settlement_bills", BillStatus::Disputed.as_str()).await?,
    })
}

/// A shop's to-dos.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShopTodos {
    pub to_ship: i64,
    /// Waiting for the shop: new requests and returned goods to check.
    pub after_sales: i64,
    /// On-sale SKUs with at most `low` units.
    pub low_stock: i64,
    pub bills_to_confirm: i64,
}

pub async fn shop(conn: &mut AnyConnection, merchant_id: i64, low: i64) -> AppResult<ShopTodos> {
    let n = "CAST(COUNT(*) AS BIGINT)";
    let m = Some(merchant_id);
    Ok(ShopTodos {
        to_ship: count(
            conn,
            &format!("SELECT {n} FROM orders WHERE status = $1 AND merchant_id = $2"),
            &[OrderStatus::ToShip.as_str()],
            m,
        )
        .await?,
        after_sales: count(
            conn,
            &format!("SELECT {n} FROM after_sales WHERE status IN ($1, $2) AND merchant_id = $3"),
            &[
                AfterSaleStatus::Pending.as_str(),
                AfterSaleStatus::Returned.as_str(),
            ],
            m,
        )
        .await?,
        low_stock: count(
            conn,
            &format!(
                "SELECT {n} FROM skus s JOIN products p ON p.id = s.product_id \
            WHERE p.status = $1 AND s.active = 1 AND s.stock <= {low} AND s.merchant_id = $2"
            ),
            &[ProductStatus::OnSale.as_str()],
            m,
        )
        .await?,
        bills_to_confirm: count(
            conn,
            &format!("SELECT {n} FROM settlement_bills WHERE status = $1 AND merchant_id = $2"),
            &[BillStatus::Pending.as_str()],
            m,
        )
        .await?,
    })
}
