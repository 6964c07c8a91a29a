//! 平台管理 › 商家管理 (suspend / reopen shops) and 商品管理 (商品审核 of first listings, take
//! products down).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::ConsoleShell;
use crate::api::admin_merchants::{
    admin_merchants, admin_products, ReviewProduct, SetMerchantCommission, SetMerchantOpen,
    TakedownProduct,
};
use crate::domain::account::Realm;
use crate::domain::merchant::{MerchantAction, MerchantStatus};
use crate::domain::money::price_range_text;
use crate::domain::product::ProductStatus;
use crate::domain::storefront::image_url;
use crate::ui::common::{datetime_text, ErrorBanner};
use crate::ui::kit::{form_error, Col, DataTable, Loaded, Pager, Tabs};

#[component]
pub fn MerchantsPage() -> impl IntoView {
    let set_open = ServerAction::<SetMerchantOpen>::new();
    let set_commission = ServerAction::<SetMerchantCommission>::new();
    let rows = Resource::new(
        move || (set_open.version().get(), set_commission.version().get()),
        |_| admin_merchants(),
    );
    let open_error = form_error(move || set_open.value().get());
    let commission_error = form_error(move || set_commission.value().get());
    let error = move || open_error().or_else(&commission_error);
    view! {
        <Title text="商家管理" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"商家管理"</h1>
            <p class="mt-1 text-sm text-gray-500">"暂停营业后店铺和商品立即从商城下线，数据保留；恢复后重新上线。店铺佣金比例留空则按商品类目的佣金比例；修改只影响之后的订单。"</p>
            <div class="mt-3"><ErrorBanner message=error /></div>
            <Loaded resource=rows let:rows>
                {view! {
                    <DataTable columns=vec![Col::text("ID"), Col::text("店铺"), Col::text("主体"), Col::text("地区"), Col::text("入驻时间"), Col::text("佣金比例"), Col::text("状态"), Col::text("操作")] rows test="merchant-table" let:m>
                        {
                            let active = m.status == MerchantStatus::Active;
                            let id = m.id.to_string();
                            let commission_id = id.clone();
                            let commission_label = format!("{} 佣金比例", m.name);
                            let percent = m.commission_percent.clone().unwrap_or_default();
                            view! {
                                <tr>
                                    <td>{m.id}</td>
                                    <td><a href=format!("/shop/{}", m.id) target="_blank" class="hover:text-promo">{m.name.clone()}</a></td>
                                    <td>{m.kind_label.clone()}</td>
                                    <td>{m.region.clone()}</td>
                                    <td class="text-gray-500">{datetime_text(m.created_at)}</td>
                                    <td>
                                        <ActionForm action=set_commission>
                                            <input type="hidden" name="id" value=commission_id />
                                            <div class="flex items-center gap-1">
                                                <input name="percent" value=percent placeholder="按类目" inputmode="decimal" aria-label=commission_label class="input h-8 w-20 text-sm" data-test="commission-input" />
                                                <span class="text-gray-500">"%"</span>
                                                <button type="submit" class="text-promo">"保存"</button>
                                            </div>
                                        </ActionForm>
                                    </td>
                                    <td>
                                        {if active { m.status.label().to_string() } else { format!("{}：{}", m.status.label(), m.status_reason) }}
                                    </td>
                                    <td>
                                        <ActionForm action=set_open>
                                            <input type="hidden" name="id" value=id />
                                            {if m.actions.contains(&MerchantAction::Suspend) {
                                                view! {
                                                    <div class="flex items-center gap-2">
                                                        <input type="hidden" name="open" value="0" />
                                                        <input name="reason" required placeholder="暂停原因" aria-label=format!("{} 暂停原因", m.name) class="input h-8 w-40 text-sm" />
                                                        <button type="submit" class="text-promo">{MerchantAction::Suspend.label()}</button>
                                                    </div>
                                                }.into_any()
                                            } else {
                                                view! {
                                                    <input type="hidden" name="open" value="1" />
                                                    <button type="submit" class="text-green-700">{MerchantAction::Reopen.label()}</button>
                                                }.into_any()
                                            }}
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }
                    </DataTable>
                }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn AdminProductsPage() -> impl IntoView {
    let query = use_query_map();
    let takedown = ServerAction::<TakedownProduct>::new();
    let review = ServerAction::<ReviewProduct>::new();
    let key = move || {
        let q = query.read();
        (
            q.get("status").unwrap_or_default(),
            q.get("page").and_then(|p| p.parse::<i64>().ok()),
            takedown.version().get() + review.version().get(),
        )
    };
    let list = Resource::new(key, |(status, page, _)| admin_products(Some(status), page));
    let error = form_error(move || takedown.value().get().or_else(|| review.value().get()));
    let status = move || query.read().get("status").unwrap_or_default();
    view! {
        <Title text="商品管理" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"商品管理"</h1>
            <Tabs
                base="/admin/products"
                param="status"
                items=[("", "全部"), ("pending_review", "待审核"), ("on_sale", "在售"), ("rejected", "审核驳回"), ("taken_down", "平台下架")]
                    .map(|(v, l)| (v.to_string(), l.to_string()))
                    .to_vec()
                current=Signal::derive(status)
                label="商品状态"
            />
            <div class="mt-3"><ErrorBanner message=error /></div>
            <Loaded resource=list let:list>
                {{
                    let page = list.page;
                    let pages = (list.total + list.page_size - 1) / list.page_size;
                    view! {
                        <DataTable columns=vec![Col::text("商品"), Col::text("店铺"), Col::num("价格"), Col::num("库存"), Col::text("状态"), Col::text("操作")] rows=list.items test="admin-product-table" let:p>
                            {
                                let down = p.status == ProductStatus::TakenDown;
                                let pending = p.status == ProductStatus::PendingReview;
                                let with_reason = matches!(p.status, ProductStatus::TakenDown | ProductStatus::Rejected);
                                let id = p.id.to_string();
                                let (approve_id, reject_id, reject_label) = (id.clone(), id.clone(), format!("{} 驳回原因", p.title));
                                let takedown_label = format!("{} 下架原因", p.title);
                                let review_forms = pending.then(move || view! {
                                    <div class="mb-2 flex items-center gap-2" data-test="product-review">
                                        <ActionForm action=review>
                                            <input type="hidden" name="id" value=approve_id />
                                            <input type="hidden" name="approve" value="1" />
                                            <button type="submit" class="text-green-700" data-test="approve-product">"审核通过"</button>
                                        </ActionForm>
                                        <ActionForm action=review>
                                            <div class="flex items-center gap-2">
                                                <input type="hidden" name="id" value=reject_id />
                                                <input type="hidden" name="approve" value="0" />
                                                <input name="reason" required placeholder="驳回原因" aria-label=reject_label class="input h-8 w-32 text-sm" />
                                                <button type="submit" class="text-promo" data-test="reject-product">"驳回"</button>
                                            </div>
                                        </ActionForm>
                                    </div>
                                });
                                view! {
                                    <tr>
                                        <td>
                                            <div class="flex items-center gap-3">
                                                <img src=image_url(&p.image, 240) alt="" class="h-10 w-10 rounded object-cover" />
                                                <a href=format!("/product/{}", p.id) target="_blank" class="line-clamp-1 hover:text-promo">{p.title.clone()}</a>
                                            </div>
                                        </td>
                                        <td>{p.shop_name.clone()}</td>
                                        <td class="num">{price_range_text(p.min_price, p.max_price)}</td>
                                        <td class="num">{p.total_stock}</td>
                                        <td>
                                            {p.status.label()}
                                            {with_reason.then(|| view! { <p class="text-xs text-promo">{p.status_reason.clone()}</p> })}
                                        </td>
                                        <td>
                                            {review_forms}
                                            // a product in review is refused (驳回), not taken down
                                            {(!pending).then(move || view! {
                                            <ActionForm action=takedown>
                                                <input type="hidden" name="id" value=id />
                                                {if down {
                                                    view! { <input type="hidden" name="down" value="0" /><button type="submit" class="text-green-700">"解除下架"</button> }.into_any()
                                                } else {
                                                    view! {
                                                        <div class="flex items-center gap-2">
                                                            <input type="hidden" name="down" value="1" />
                                                            <input name="reason" required placeholder="下架原因" aria-label=takedown_label class="input h-8 w-36 text-sm" />
                                                            <button type="submit" class="text-promo">"下架"</button>
                                                        </div>
                                                    }.into_any()
                                                }}
                                            </ActionForm>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }
                        </DataTable>
                        <Pager
                            base="/admin/products"
                            params=vec![("status", status())]
                            page=u32::try_from(page).unwrap_or(1)
                            has_more=page < pages
                            caption=format!("第 {page} / {} 页 · 共 {} 个", pages.max(1), list.total)
                        />
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}
