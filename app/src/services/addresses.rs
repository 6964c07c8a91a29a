//! The shopper's address book. Phone and street are encrypted at rest and decrypted only for
//! their owner (and, on an order, for the merchant who ships it).

use crate::domain::account::mask_phone;
use crate::domain::address::{AddressInput, AddressView};
use crate::error::{AppError, AppResult};
use crate::repo::addresses::{self as repo, AddressFields, AddressRow};
use crate::state::AppState;
use sqlx::AnyConnection;

/// Most addresses one shopper keeps.
pub const MAX_ADDRESSES: i64 = 20;

pub async fn list(st: &AppState, shopper_id: i64) -> AppResult<Vec<AddressView>> {
    repo::list(&st.db.pool, shopper_id)
        .await?
        .into_iter()
        .map(|r| view(st, r))
        .collect()
}

/// The address a checkout ships to, read on the checkout's connection: `id` (the shopper's
/// own; someone else's is 404 收货地址不存在), else the default one, else the newest; `None`
/// with an empty book.
pub async fn for_checkout(
    st: &AppState,
    conn: &mut AnyConnection,
    shopper_id: i64,
    id: Option<i64>,
) -> AppResult<Option<AddressView>> {
    let row = match id {
        Some(id) => Some(
            repo::get(conn, shopper_id, id)
                .await?
                .ok_or_else(|| AppError::not_found("收货地址不存在"))?,
        ),
        None => repo::preferred(conn, shopper_id).await?,
    };
    row.map(|r| view(st, r)).transpose()
}

/// Adds (`id` None) or changes an address. The first address becomes the default.
pub async fn save(
    st: &AppState,
    shopper_id: i64,
    id: Option<i64>,
    input: &AddressInput,
) -> AppResult<i64> {
    let a = input.checked()?;
    let phone_enc = st.cipher.encrypt(&a.phone)?;
    let detail_enc = st.cipher.encrypt(&a.detail)?;
    let phone_masked = mask_phone(&a.phone);
    let mut tx = st.db.begin_write().await?;
    let existing = repo::count(&mut tx, shopper_id).await?;
    let fields = AddressFields {
        receiver: &a.receiver,
        phone_enc: &phone_enc,
        phone_masked: &phone_masked,
        province: &a.province,
        city: &a.city,
        district: &a.district,
        detail_enc: &detail_enc,
        is_default: a.is_default || existing == 0,
    };
    let id = match id {
        Some(id) => {
            if !repo::update(&mut tx, shopper_id, id, &fields).await? {
                return Err(AppError::not_found("收货地址不存在"));
            }
            id
        }
        None => {
            if existing >= MAX_ADDRESSES {
                return Err(AppError::bad_request(format!(
                    "最多保存 {MAX_ADDRESSES} 个收货地址"
                )));
            }
            repo::insert(&mut tx, shopper_id, &fields).await?
        }
    };
    if fields.is_default {
        repo::make_default(&mut tx, shopper_id, id).await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn delete(st: &AppState, shopper_id: i64, id: i64) -> AppResult<()> {
    if !repo::delete(&st.db.pool, shopper_id, id).await? {
        return Err(AppError::not_found("收货地址不存在"));
    }
    Ok(())
}

fn view(st: &AppState, r: AddressRow) -> AppResult<AddressView> {
    Ok(AddressView {
        id: r.id,
        receiver: r.receiver,
        phone: st.cipher.decrypt(&r.phone_enc)?,
        phone_masked: r.phone_masked,
        province: r.province,
        city: r.city,
        district: r.district,
        detail: st.cipher.decrypt(&r.detail_enc)?,
        is_default: r.is_default != 0,
    })
}
