//! 商家后台 › 营销中心 › 秒杀报名: the platform's events open for applications, and one event's
//! page with the shop's applications (withdraw a pending one) and the form to apply a SKU to a
//! slot.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::admin_flash_sales::ItemTable;
use super::ConsoleShell;
use crate::api::flash_sales::{
    merchant_flash_sale, merchant_flash_sales, ApplyFlashSale, WithdrawFlashSaleItem,
};
use crate::domain::account::Realm;
use crate::domain::flash_sale::{EventStatus, ItemStatus, ItemView};
use crate::domain::money::price_text;
use crate::ui::common::{datetime_text, ErrorBanner};
use crate::ui::kit::{
    form_error, Col, DataTable, FieldError, FormBanner, FormError, Loaded, StatusBadge,
};

#[component]
pub fn MerchantFlashSalesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| merchant_flash_sales());
    view! {
        <Title text="秒杀报名" />
        <ConsoleShell realm=Realm::Merchant>
            <a href="/merchant/marketing" class="text-sm text-gray-500">"‹ 营销中心"</a>
            <h1 class="mt-2 text-xl font-bold">"秒杀报名"</h1>
            <p class="mt-1 text-sm text-gray-500">"报名平台的秒杀活动：选择场次和商品规格，秒杀价须低于原价；活动库存从商品库存中单独划出，平台审核通过后按场次开抢。秒杀商品不参加店铺满减和店铺优惠券。"</p>
            <Loaded resource=list let:rows>
                {view! {
                    <DataTable columns=vec![Col::text("活动"), Col::text("时间安排"), Col::text("报名截止"), Col::num("我的报名（待审 / 通过）"), Col::text("状态"), Col::text("操作")] rows test="flash-sale-table" empty="平台暂无秒杀活动" let:e>
                        <tr data-test="flash-sale-row">
                            <td class="font-medium">{e.title.clone()}</td>
                            <td class="text-gray-600">{e.schedule.clone()}</td>
                            <td class="whitespace-nowrap text-gray-500">{e.apply_until.clone()}</td>
                            <td class="num">{format!("{} / {}", e.pending, e.approved)}</td>
                            <td>{EventStatus::parse(&e.status).map(|s| view! { <StatusBadge status=s /> })}</td>
                            <td><a href=format!("/merchant/marketing/flash-sales/{}", e.id) class="text-promo" data-test="flash-sale-open">{if e.accepting { "报名" } else { "查看" }}</a></td>
                        </tr>
                    </DataTable>
                }}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn MerchantFlashSalePage() -> impl IntoView {
    let params = use_params_map();
    let apply = ServerAction::<ApplyFlashSale>::new();
    let withdraw = ServerAction::<WithdrawFlashSaleItem>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let page = Resource::new(id, merchant_flash_sale);
    let form = FormError::new(move || apply.value().get());
    let error = Signal::derive(form_error(move || withdraw.value().get()));
    view! {
        <Title text="秒杀报名" />
        <ConsoleShell realm=Realm::Merchant>
            <a href="/merchant/marketing/flash-sales" class="text-sm text-gray-500">"‹ 秒杀报名"</a>
            <Loaded resource=page let:p>
                {{
                    let e = p.event.clone();
                    let event_id = e.id;
                    view! {
                        <h1 class="mt-2 text-xl font-bold">{e.title.clone()}</h1>
                        <p class="mt-1 text-sm text-gray-500">{e.schedule.clone()} " · 报名截止 " {e.apply_until.clone()}</p>
                        <div class="mt-3"><ErrorBanner message=move || error.get() /></div>
                        <ItemTable rows=p.items.clone() actions=move |i: &ItemView| withdraw_action(i, event_id, withdraw) />
                        {e.accepting.then(|| view! {
                            <ActionForm action=apply attr:class="mt-5 max-w-3xl">
                                <input type="hidden" name="form[event_id]" value=event_id />
                                <div class="flex flex-col gap-4 rounded-lg bg-white p-5">
                                    <h2 class="font-bold">"报名商品"</h2>
                                    <FormBanner form />
                                    <div class="grid grid-cols-2 gap-x-6 gap-y-4">
                                        <label class="field">
                                            <span>"场次"</span>
                                            <select name="form[starts_at]" class="input" required data-test="flash-slot">
                                                {e.slots.iter().filter(|s| s.starts_at > p.now).map(|s| view! { <option value=s.starts_at>{datetime_text(s.starts_at)}</option> }).collect_view()}
                                            </select>
                                            <FieldError form field="starts_at" />
                                        </label>
                                        <label class="field">
                                            <span>"商品规格（在售）"</span>
                                            <select name="form[sku_id]" class="input" required data-test="flash-sku">
                                                {p.skus.iter().map(|s| view! {
                                                    <option value=s.sku_id>{format!("{}（{}，库存 {}）", s.name, price_text(s.price), s.stock)}</option>
                                                }).collect_view()}
                                            </select>
                                            <FieldError form field="sku_id" />
                                        </label>
                                        <label class="field">
                                            <span>"秒杀价（元，低于原价）"</span>
                                            <input name="form[price]" class="input" inputmode="decimal" required placeholder="例如 9.9" />
                                            <FieldError form field="price" />
                                        </label>
                                        <label class="field">
                                            <span>"活动库存（件，不超过现有库存）"</span>
                                            <input name="form[quantity]" class="input" inputmode="numeric" required placeholder="例如 100" />
                                            <FieldError form field="quantity" />
                                        </label>
                                        <label class="field">
                                            <span>"每人限购（件）"</span>
                                            <input name="form[per_user_limit]" class="input" inputmode="numeric" required value="2" />
                                            <FieldError form field="per_user_limit" />
                                        </label>
                                        <label class="field">
                                            <span>"每单限购（件）"</span>
                                            <input name="form[per_order_limit]" class="input" inputmode="numeric" required value="1" />
                                            <FieldError form field="per_order_limit" />
                                        </label>
                                    </div>
                                    <div><button type="submit" class="btn-primary px-8" disabled=move || apply.pending().get() data-test="apply-flash-sale">"提交报名"</button></div>
                                </div>
                            </ActionForm>
                        })}
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

fn withdraw_action(
    i: &ItemView,
    event_id: i64,
    withdraw: ServerAction<WithdrawFlashSaleItem>,
) -> impl IntoView {
    let id = i.id;
    (i.status == ItemStatus::Pending.as_str()).then(|| view! {
        <ActionForm action=withdraw>
            <input type="hidden" name="event_id" value=event_id />
            <input type="hidden" name="id" value=id />
            <button type="submit" class="text-gray-600 hover:text-promo" data-test="flash-item-withdraw">"撤回"</button>
        </ActionForm>
    })
}
