//! 平台管理 › 秒杀活动: the events (each with its applications to review), the new-event form,
//! and one event's page where applications are approved or rejected with a reason.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::ConsoleShell;
use crate::api::flash_sales::{
    admin_flash_sale, admin_flash_sales, CreateFlashSale, EndFlashSale, ReviewFlashSaleItem,
};
use crate::domain::account::Realm;
use crate::domain::flash_sale::{EventForm, EventStatus, ItemStatus, ItemView};
use crate::domain::money::price_text;
use crate::ui::common::{datetime_text, ErrorBanner};
use crate::ui::kit::{
    form_error, Col, DataTable, FieldError, FormBanner, FormError, Loaded, StatusBadge,
};

#[component]
pub fn AdminFlashSalesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| admin_flash_sales());
    view! {
        <Title text="秒杀活动" />
        <ConsoleShell realm=Realm::Admin>
            <div class="flex items-center justify-between">
                <div>
                    <h1 class="text-xl font-bold">"秒杀活动"</h1>
                    <p class="mt-1 text-sm text-gray-500">"平台设置活动日期与场次，商家报名商品（秒杀价须低于原价，活动库存单独扣减），审核通过后按场次开抢。"</p>
                </div>
                <a href="/admin/flash-sales/new" class="btn-primary px-5" data-test="new-flash-sale">"新建秒杀活动"</a>
            </div>
            <Loaded resource=list let:rows>
                {view! {
                    <DataTable columns=vec![Col::text("活动"), Col::text("时间安排"), Col::text("报名截止"), Col::num("待审核"), Col::num("已通过"), Col::text("状态"), Col::text("操作")] rows test="flash-sale-table" empty="还没有秒杀活动" let:e>
                        <tr data-test="flash-sale-row">
                            <td class="font-medium">{e.title.clone()}</td>
                            <td class="text-gray-600">{e.schedule.clone()}</td>
                            <td class="text-gray-500 whitespace-nowrap">{e.apply_until.clone()}</td>
                            <td class="num">{e.pending}</td>
                            <td class="num">{e.approved}</td>
                            <td>{EventStatus::parse(&e.status).map(|s| view! { <StatusBadge status=s /> })}</td>
                            <td><a href=format!("/admin/flash-sales/{}", e.id) class="text-promo" data-test="flash-sale-open">{if e.pending > 0 { "审核报名" } else { "查看" }}</a></td>
                        </tr>
                    </DataTable>
                }}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn AdminFlashSaleNewPage() -> impl IntoView {
    let create = ServerAction::<CreateFlashSale>::new();
    let form = FormError::new(move || create.value().get());
    view! {
        <Title text="新建秒杀活动" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"新建秒杀活动"</h1>
            <ActionForm action=create attr:class="mt-4 max-w-3xl">
                <EventFields form />
                <div class="mt-5 flex items-center gap-4">
                    <button type="submit" class="btn-primary px-8" disabled=move || create.pending().get() data-test="create-flash-sale">"创建"</button>
                    <a href="/admin/flash-sales" class="text-sm text-gray-500">"取消"</a>
                </div>
            </ActionForm>
        </ConsoleShell>
    }
}

/// The event form's fields, named `form[...]` for [`EventForm`].
#[component]
fn EventFields(form: FormError) -> impl IntoView {
    let f = EventForm::default();
    view! {
        <div class="flex flex-col gap-4 rounded-lg bg-white p-5">
            <FormBanner form />
            <label class="field">
                <span>"活动名称"</span>
                <input name="form[title]" class="input" maxlength="30" required placeholder="例如：周末限时秒杀" value=f.title />
                <FieldError form field="title" />
            </label>
            <div class="grid grid-cols-2 gap-x-6 gap-y-4">
                <label class="field">
                    <span>"开始日期"</span>
                    <input name="form[first_day]" type="date" class="input" required />
                    <FieldError form field="first_day" />
                </label>
                <label class="field">
                    <span>"结束日期（最多 31 天）"</span>
                    <input name="form[last_day]" type="date" class="input" required />
                    <FieldError form field="last_day" />
                </label>
                <label class="field">
                    <span>"每天的场次（开始整点，空格分隔）"</span>
                    <input name="form[slot_hours]" class="input" required placeholder="10 14 20" value="10 14 20" />
                    <FieldError form field="slot_hours" />
                </label>
                <label class="field">
                    <span>"每场时长（分钟，不超过到下一场的时间）"</span>
                    <input name="form[slot_minutes]" class="input" inputmode="numeric" required value="120" />
                    <FieldError form field="slot_minutes" />
                </label>
                <label class="field">
                    <span>"报名截止（北京时间）"</span>
                    <input name="form[apply_until]" type="datetime-local" class="input" required />
                    <FieldError form field="apply_until" />
                </label>
                <label class="flex items-center gap-2 self-end pb-3 text-sm">
                    <input type="checkbox" name="form[allow_platform_coupon]" />
                    "秒杀商品可叠加平台优惠券"
                </label>
            </div>
        </div>
    }
}

#[component]
pub fn AdminFlashSalePage() -> impl IntoView {
    let params = use_params_map();
    let review = ServerAction::<ReviewFlashSaleItem>::new();
    let end = ServerAction::<EndFlashSale>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let page = Resource::new(id, admin_flash_sale);
    let error = Signal::derive(form_error(move || review.value().get()));
    let end_error = Signal::derive(form_error(move || end.value().get()));
    view! {
        <Title text="秒杀活动" />
        <ConsoleShell realm=Realm::Admin>
            <a href="/admin/flash-sales" class="text-sm text-gray-500">"‹ 返回列表"</a>
            <Loaded resource=page let:p>
                {{
                    let e = p.event.clone();
                    let active = e.status == EventStatus::Active.as_str();
                    let event_id = e.id;
                    view! {
                        <div class="mt-3 flex items-center justify-between">
                            <div>
                                <div class="flex items-center gap-3">
                                    <h1 class="text-xl font-bold">{e.title.clone()}</h1>
                                    {EventStatus::parse(&e.status).map(|s| view! { <StatusBadge status=s /> })}
                                </div>
                                <p class="mt-1 text-sm text-gray-500">{e.schedule.clone()} " · 报名截止 " {e.apply_until.clone()}
                                    {e.allow_platform_coupon.then_some(" · 可叠加平台券")}</p>
                            </div>
                            {active.then(|| view! {
                                <ActionForm action=end>
                                    <input type="hidden" name="id" value=event_id />
                                    <button type="submit" class="btn-outline px-5" data-test="end-flash-sale">"结束活动"</button>
                                </ActionForm>
                            })}
                        </div>
                        <div class="mt-3"><ErrorBanner message=move || error.get().or_else(|| end_error.get()) /></div>
                        <ItemTable rows=p.items.clone() actions=move |i: &ItemView| review_actions(i, event_id, review) />
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

fn review_actions(
    i: &ItemView,
    event_id: i64,
    review: ServerAction<ReviewFlashSaleItem>,
) -> impl IntoView {
    let pending = i.status == ItemStatus::Pending.as_str();
    let id = i.id;
    pending.then(|| view! {
        <div class="flex flex-col gap-2">
            <ActionForm action=review>
                <input type="hidden" name="event_id" value=event_id />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="action" value="approve" />
                <button type="submit" class="text-promo" data-test="flash-item-approve">"审核通过"</button>
            </ActionForm>
            <ActionForm action=review>
                <input type="hidden" name="event_id" value=event_id />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="action" value="reject" />
                <div class="flex items-center gap-1">
                    <input name="reason" required placeholder="驳回原因" aria-label="驳回原因" class="input h-8 w-32 text-xs" />
                    <button type="submit" class="text-gray-600 hover:text-promo" data-test="flash-item-reject">"驳回"</button>
                </div>
            </ActionForm>
        </div>
    })
}

/// Applications with their slot, prices, stock sold and state; `actions` draws each row's
/// buttons (the platform reviews, a shop withdraws).
#[component]
pub fn ItemTable<A, V>(rows: Vec<ItemView>, actions: A) -> impl IntoView
where
    A: Fn(&ItemView) -> V + 'static,
    V: IntoView + 'static,
{
    let columns = vec![
        Col::text("商品"),
        Col::text("店铺"),
        Col::text("场次"),
        Col::num("秒杀价 / 原价"),
        Col::num("已售 / 活动库存"),
        Col::num("限购（人 / 单）"),
        Col::text("状态"),
        Col::text("操作"),
    ];
    view! {
        <DataTable columns rows test="flash-item-table" empty="还没有商家报名" let:i>
            <tr data-test="flash-item-row" data-id=i.id>
                <td>
                    <p class="font-medium">{i.title.clone()}</p>
                    <p class="text-xs text-gray-500">{i.spec_label.clone()}</p>
                </td>
                <td>{i.shop_name.clone()}</td>
                <td class="whitespace-nowrap text-gray-600">{datetime_text(i.slot.starts_at)}</td>
                <td class="num"><b class="text-promo">{price_text(i.price)}</b> " / " <s class="text-gray-400">{price_text(i.normal_price)}</s></td>
                <td class="num">{format!("{} / {}", i.sold, i.quantity)}</td>
                <td class="num">{format!("{} / {}", i.per_user_limit, i.per_order_limit)}</td>
                <td>
                    {ItemStatus::parse(&i.status).map(|s| view! { <StatusBadge status=s /> })}
                    {(!i.reason.is_empty()).then(|| view! { <p class="mt-1 text-xs text-gray-500">{i.reason.clone()}</p> })}
                </td>
                <td>{actions(&i)}</td>
            </tr>
        </DataTable>
    }
}
