//! 申请售后 (choose refund only or return and refund, the units, a reason and photos) and
//! 售后详情 (progress, the return's tracking number, withdrawing, asking the platform).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::TopBar;
use crate::api::orders::{fetch_my_after_sale, fetch_my_order, ActOnAfterSale, RequestAfterSale};
use crate::domain::after_sale::{AfterSaleAction, AfterSaleKind, AfterSaleStatus};
use crate::domain::money::price_text;
use crate::domain::order::OrderStatus;
use crate::domain::order_view::OrderSummary;
use crate::domain::order_view::CARRIERS;
use crate::domain::storefront::image_url;
use crate::ui::common::{datetime_text, ErrorBanner};
use crate::ui::kit::{form_error, Loaded, Place};
use crate::ui::upload::ImageField;

const REASONS: [&str; 6] = [
    "不想要了",
    "拍错了/多拍了",
    "商品破损",
    "商品与描述不符",
    "质量问题",
    "未按约定时间发货",
];

#[component]
pub fn AfterSaleRequestPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, fetch_my_order);
    let submit = ServerAction::<RequestAfterSale>::new();
    let error = Signal::derive(form_error(move || submit.value().get()));
    view! {
        <Title text="申请售后" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-24">
            <TopBar title="申请售后" />
            <Loaded resource=data place=Place::Shop sign_in_to="申请售后" not_found=true let:d>
                {{
                    view! { <AfterSaleForm s=d.order.summary submit error /> }.into_any()
                }}
            </Loaded>
        </div>
    }
}

/// The request form; its sections are built apart (type-erased) to keep the view types shallow.
#[component]
fn AfterSaleForm(
    s: OrderSummary,
    submit: ServerAction<RequestAfterSale>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let shipped = s.status != OrderStatus::ToShip;
    let single = s.items.len() == 1;
    let kind = view! {
        <section class="rounded-xl bg-white p-4 text-sm">
            <h2 class="mb-2 font-bold">"售后类型"</h2>
            <label class="flex items-center gap-2 py-1"><input type="radio" name="kind" value="refund_only" checked=true class="accent-promo" />{AfterSaleKind::RefundOnly.label()}
                <span class="text-xs text-gray-400">{if shipped { "（未收到货，或与商家协商不退货）" } else { "（商家尚未发货）" }}</span></label>
            {shipped.then(|| view! {
                <label class="flex items-center gap-2 py-1"><input type="radio" name="kind" value="return_refund" class="accent-promo" />{AfterSaleKind::ReturnRefund.label()}</label>
            })}
        </section>
    }
    .into_any();
    let items = s
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let left = i.qty - i.refund_qty;
            view! {
                <div class="flex items-center gap-3 py-2" data-test="after-sale-item">
                    <img src=image_url(&i.image, 240) alt="" width="56" height="56" loading="lazy" class="h-14 w-14 rounded-lg bg-page object-cover" />
                    <div class="min-w-0 flex-1">
                        <p class="truncate text-sm">{i.title.clone()}</p>
                        <p class="text-xs text-gray-400">{format!("{} · 实付 {}", i.spec_label, price_text(i.pay_amount))}</p>
                    </div>
                    <input type="hidden" name=format!("lines[{n}][order_item_id]") value=i.id.to_string() />
                    <select name=format!("lines[{n}][qty]") aria-label="退货数量" class="h-9 rounded border border-gray-200 bg-white px-2 text-sm" disabled={left == 0}>
                        {(0..=left).map(|q| view! { <option value=q.to_string() selected={q == left && single}>{if q == 0 { "不退".to_string() } else { format!("退 {q} 件") }}</option> }).collect_view()}
                    </select>
                </div>
            }
            .into_any()
        })
        .collect_view();
    let reason = view! {
        <section class="rounded-xl bg-white p-4">
            <label class="field">
                <span>"退款原因"</span>
                <select name="reason" class="input" required>
                    {REASONS.map(|r| view! { <option value=r>{r}</option> }).collect_view()}
                </select>
            </label>
            <div class="field mt-3"><span>"上传凭证（选填，最多6张）"</span><ImageField name="photos" max=6 label="添加图片" /></div>
        </section>
    }
    .into_any();
    view! {
        <ActionForm action=submit>
            <input type="hidden" name="order_id" value=s.id.to_string() />
            <div class="flex flex-col gap-3 p-3">
                <ErrorBanner message=move || error.get() />
                {kind}
                <section class="rounded-xl bg-white p-4">
                    <h2 class="mb-2 text-sm font-bold">"选择商品和数量"</h2>
                    {items}
                    <p class="mt-1 text-xs text-gray-400">"退款按实付金额计算；整单未发货全部退款时，运费一并退回。"</p>
                </section>
                {reason}
            </div>
            <div class="fixed inset-x-0 bottom-0 z-10 mx-auto max-w-[480px] border-t border-gray-100 bg-white p-3">
                <button type="submit" class="btn-primary w-full" data-test="submit-after-sale">"提交申请"</button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn AfterSaleDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let act = ServerAction::<ActOnAfterSale>::new();
    let data = Resource::new(
        move || (id(), act.version().get()),
        |(id, _)| fetch_my_after_sale(id),
    );
    let error = Signal::derive(form_error(move || act.value().get()));
    view! {
        <Title text="售后详情" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-6">
            <TopBar title="售后详情" />
            <Loaded resource=data place=Place::Shop sign_in_to="查看售后" not_found=true let:a>
                {{
                    let hint = match a.status {
                        AfterSaleStatus::Pending => "商家将尽快处理你的申请",
                        AfterSaleStatus::AwaitingReturn => "商家已同意，请将商品寄回并填写快递单号",
                        AfterSaleStatus::Returned => "等待商家确认收货后退款",
                        AfterSaleStatus::Refunding => "退款处理中，将原路退回",
                        AfterSaleStatus::Refunded => "钱款已原路退回",
                        AfterSaleStatus::Rejected => "商家拒绝了申请，你可以申请平台介入",
                        AfterSaleStatus::Arbitrating => "平台客服正在处理",
                        AfterSaleStatus::Closed => "售后已关闭",
                    };
                    view! {
                        <section class="bg-promo px-5 py-6 text-white">
                            <p class="text-lg font-bold" data-test="after-sale-status">{a.status.label()}</p>
                            <p class="mt-1 text-sm opacity-90">{hint}</p>
                        </section>
                        <div class="flex flex-col gap-3 p-3">
                            <ErrorBanner message=move || error.get() />
                            {(!a.reject_reason.is_empty()).then(|| view! {
                                <p class="rounded-xl bg-white p-4 text-sm"><span class="text-gray-500">"处理说明："</span>{a.reject_reason.clone()}</p>
                            })}
                            <section class="rounded-xl bg-white p-4 text-sm">
                                {a.items.iter().map(|i| view! {
                                    <div class="flex gap-3 py-1.5">
                                        <img src=image_url(&i.image, 240) alt="" width="56" height="56" loading="lazy" class="h-14 w-14 rounded-lg bg-page object-cover" />
                                        <div class="min-w-0 flex-1"><p class="truncate">{i.title.clone()}</p><p class="text-xs text-gray-400">{format!("{} ×{}", i.spec_label, i.qty)}</p></div>
                                        <span>{price_text(i.amount)}</span>
                                    </div>
                                }).collect_view()}
                                <div class="mt-2 flex flex-col gap-1 border-t border-gray-100 pt-2 text-gray-600">
                                    <p>{format!("售后类型：{}", a.kind.label())}</p>
                                    <p>"退款金额：" <b class="text-promo" data-test="after-sale-amount">{price_text(a.amount)}</b>
                                        {(a.shipping_amount > 0).then(|| format!("（含运费 {}）", price_text(a.shipping_amount)))}</p>
                                    <p>{format!("申请原因：{}", a.reason)}</p>
                                    {(!a.coupon_note.is_empty()).then(|| view! { <p data-test="coupon-note">{format!("优惠券：{}", a.coupon_note)}</p> })}
                                    <p>{format!("售后单号：{}", a.after_sale_no)}</p>
                                    <p>{format!("申请时间：{}", datetime_text(a.created_at))}</p>
                                    {(!a.return_tracking.is_empty()).then(|| view! { <p>{format!("退货快递：{} {}", a.return_carrier, a.return_tracking)}</p> })}
                                </div>
                            </section>
                            {a.actions.contains(&AfterSaleAction::SendBack).then(|| view! {
                                <ActionForm action=act>
                                    <input type="hidden" name="id" value=a.id.to_string() />
                                    <input type="hidden" name="action" value="return" />
                                    <section class="flex flex-col gap-3 rounded-xl bg-white p-4">
                                        <h2 class="text-sm font-bold">{AfterSaleAction::SendBack.label()}</h2>
                                        <select name="carrier" class="input">{CARRIERS.map(|c| view! { <option value=c>{c}</option> }).collect_view()}</select>
                                        <input name="tracking_no" required placeholder="快递单号" class="input" />
                                        <button type="submit" class="btn-primary">"提交"</button>
                                    </section>
                                </ActionForm>
                            })}
                            {a.actions.contains(&AfterSaleAction::Appeal).then(|| view! {
                                <ActionForm action=act>
                                    <input type="hidden" name="id" value=a.id.to_string() />
                                    <input type="hidden" name="action" value="appeal" />
                                    <button type="submit" class="btn-primary w-full">{AfterSaleAction::Appeal.label()}</button>
                                </ActionForm>
                            })}
                            {a.actions.contains(&AfterSaleAction::Withdraw).then(|| view! {
                                <ActionForm action=act>
                                    <input type="hidden" name="id" value=a.id.to_string() />
                                    <input type="hidden" name="action" value="withdraw" />
                                    <button type="submit" class="btn-outline w-full">{AfterSaleAction::Withdraw.label()}</button>
                                </ActionForm>
                            })}
                            <a href=format!("/orders/{}", a.order_id) class="py-2 text-center text-sm text-gray-500">"查看订单"</a>
                        </div>
                    }.into_any()
                }}
            </Loaded>
        </div>
    }
}
