//! 商家后台 › 运费设置: shipping templates (by piece or weight, a rule for everywhere and one
//! for chosen far provinces, free from an amount) and the shop's self-pickup address.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::merchant::MerchantShell;
use crate::api::merchant_orders::{
    shipping_settings, DeleteShippingTemplate, SavePickup, SaveShippingTemplate,
};
use crate::domain::address::PROVINCES;
use crate::domain::money::{price_text, yuan_text};
use crate::domain::shipping::{ChargeBy, ShippingRule, ShippingTemplate};
use crate::ui::common::{form_error, ErrorBanner};

fn rule_text(charge_by: ChargeBy, r: &ShippingRule) -> String {
    let unit = match charge_by {
        ChargeBy::Piece => "件",
        ChargeBy::Weight => "克",
    };
    let to = if r.regions.is_empty() {
        "其他地区".to_string()
    } else {
        r.regions.join("、")
    };
    format!(
        "{to}：首{}{unit} {}，每续{}{unit} {}",
        r.first,
        price_text(r.first_fee),
        r.extra,
        price_text(r.extra_fee)
    )
}

#[component]
pub fn ShippingPage() -> impl IntoView {
    let query = use_query_map();
    let editing = move || query.read().get("edit").and_then(|v| v.parse::<i64>().ok());
    let save = ServerAction::<SaveShippingTemplate>::new();
    let delete = ServerAction::<DeleteShippingTemplate>::new();
    let pickup = ServerAction::<SavePickup>::new();
    let settings = Resource::new(
        move || {
            (
                save.version().get(),
                delete.version().get(),
                pickup.version().get(),
            )
        },
        |_| shipping_settings(),
    );
    let save_error = Signal::derive(form_error(move || save.value().get()));
    let other_error = Signal::derive(form_error(move || {
        delete.value().get().or(pickup.value().get())
    }));
    view! {
        <Title text="运费设置" />
        <MerchantShell>
            <h1 class="text-xl font-bold">"运费设置"</h1>
            <p class="mt-1 text-sm text-gray-500">"商品默认使用店铺的默认模板；同一订单中使用同一模板的商品合并计算首件（首重）。未设置任何模板时全店包邮。"</p>
            <div class="mt-3"><ErrorBanner message=move || other_error.get() /></div>
            <Suspense fallback=|| view! { <p class="mt-6 text-gray-400">"加载中…"</p> }>
                {move || Suspend::new(async move {
                    let s = match settings.await {
                        Ok(s) => s,
                        Err(e) => return view! { <p class="mt-6 text-promo">{e.to_string()}</p> }.into_any(),
                    };
                    let current = editing().and_then(|id| s.templates.iter().find(|t| t.id == id).cloned());
                    view! {
                        <div class="mt-4 grid grid-cols-5 gap-6">
                            <section class="col-span-3 flex flex-col gap-3">
                                {s.templates.clone().into_iter().map(|t| {
                                    let is_default = t.id == s.default_id;
                                    view! {
                                        <article class="rounded-lg bg-white p-4 text-sm" data-test="shipping-template">
                                            <div class="flex items-center gap-2">
                                                <h2 class="font-bold">{t.name.clone()}</h2>
                                                <span class="text-gray-500">{t.charge_by.label()}</span>
                                                {is_default.then(|| view! { <span class="rounded bg-red-50 px-1.5 text-xs text-promo">"默认"</span> })}
                                                <a href=format!("/merchant/shipping?edit={}", t.id) class="ml-auto text-promo">"编辑"</a>
                                                {(!is_default).then(|| view! {
                                                    <ActionForm action=delete>
                                                        <input type="hidden" name="id" value=t.id.to_string() />
                                                        <button type="submit" class="text-gray-500">"删除"</button>
                                                    </ActionForm>
                                                })}
                                            </div>
                                            <ul class="mt-2 text-gray-600">
                                                {t.rules.iter().map(|r| view! { <li>{rule_text(t.charge_by, r)}</li> }).collect_view()}
                                                {(t.free_over > 0).then(|| view! { <li>{format!("满 {} 包邮", price_text(t.free_over))}</li> })}
                                            </ul>
                                        </article>
                                    }
                                }).collect_view()}
                                <ActionForm action=pickup>
                                    <div class="flex flex-col gap-2 rounded-lg bg-white p-4 text-sm">
                                        <h2 class="font-bold">"到店自提"</h2>
                                        <p class="text-gray-500">"填写门店地址后，买家可选择到店自提（免运费）；清空则不提供自提。"</p>
                                        <div class="flex gap-2">
                                            <input name="address" value=s.pickup_address.clone() placeholder="门店地址和营业时间" class="input h-9 flex-1 text-sm" />
                                            <button type="submit" class="btn-primary h-9 px-5 text-sm">"保存"</button>
                                        </div>
                                    </div>
                                </ActionForm>
                            </section>
                            <section class="col-span-2">
                                <TemplateForm t=current save error=save_error />
                            </section>
                        </div>
                    }.into_any()
                })}
            </Suspense>
        </MerchantShell>
    }
}

#[component]
fn TemplateForm(
    t: Option<ShippingTemplate>,
    save: ServerAction<SaveShippingTemplate>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let fallback = t
        .as_ref()
        .and_then(|t| t.rules.iter().find(|r| r.regions.is_empty()).cloned())
        .unwrap_or(ShippingRule {
            regions: vec![],
            first: 1,
            first_fee: 800,
            extra: 1,
            extra_fee: 200,
        });
    let far = t
        .as_ref()
        .and_then(|t| t.rules.iter().find(|r| !r.regions.is_empty()).cloned());
    let by_weight = t.as_ref().is_some_and(|t| t.charge_by == ChargeBy::Weight);
    let yuan = |fen: i64| yuan_text(fen);
    view! {
        <ActionForm action=save>
            {t.as_ref().map(|t| view! { <input type="hidden" name="id" value=t.id.to_string() /> })}
            <div class="flex flex-col gap-3 rounded-lg bg-white p-5 text-sm" data-test="template-form">
                <h2 class="font-bold">{if t.is_some() { "编辑运费模板" } else { "新建运费模板" }}</h2>
                <ErrorBanner message=move || error.get() />
                <label class="field"><span>"模板名称"</span><input name="name" required maxlength="30" class="input h-9" value=t.as_ref().map(|t| t.name.clone()).unwrap_or_default() /></label>
                <fieldset class="flex gap-4">
                    <legend class="mb-1 text-gray-600">"计费方式"</legend>
                    <label class="flex items-center gap-1"><input type="radio" name="charge_by" value="piece" checked=!by_weight class="accent-promo" />"按件数"</label>
                    <label class="flex items-center gap-1"><input type="radio" name="charge_by" value="weight" checked=by_weight class="accent-promo" />"按重量（克）"</label>
                </fieldset>
                <div class="grid grid-cols-2 gap-2">
                    <label class="field"><span>"首件/首重"</span><input name="first" type="number" min="1" required class="input h-9" value=fallback.first.to_string() /></label>
                    <label class="field"><span>"首费（元）"</span><input name="first_fee" required class="input h-9" value=yuan(fallback.first_fee) /></label>
                    <label class="field"><span>"续件/续重"</span><input name="extra" type="number" min="1" required class="input h-9" value=fallback.extra.to_string() /></label>
                    <label class="field"><span>"续费（元）"</span><input name="extra_fee" required class="input h-9" value=yuan(fallback.extra_fee) /></label>
                </div>
                <details open=far.is_some()>
                    <summary class="cursor-pointer text-gray-600">"偏远地区单独计费"</summary>
                    <div class="mt-2 grid grid-cols-3 gap-1 text-xs">
                        {PROVINCES.iter().enumerate().map(|(i, p)| {
                            let on = far.as_ref().is_some_and(|f| f.regions.iter().any(|r| r == p));
                            view! { <label class="flex items-center gap-1"><input type="checkbox" name=format!("far[{i}]") value=*p checked=on class="accent-promo" />{*p}</label> }
                        }).collect_view()}
                    </div>
                    <div class="mt-2 grid grid-cols-2 gap-2">
                        <label class="field"><span>"偏远首费（元）"</span><input name="far_first_fee" class="input h-9" value=far.as_ref().map(|f| yuan(f.first_fee)).unwrap_or_default() /></label>
                        <label class="field"><span>"偏远续费（元）"</span><input name="far_extra_fee" class="input h-9" value=far.as_ref().map(|f| yuan(f.extra_fee)).unwrap_or_default() /></label>
                    </div>
                </details>
                <label class="field"><span>"满额包邮（元，0 为不包邮）"</span><input name="free_over" class="input h-9" value=t.as_ref().map(|t| yuan(t.free_over)).unwrap_or_else(|| "0".into()) /></label>
                <label class="flex items-center gap-2"><input type="checkbox" name="make_default" value="1" class="accent-promo" />"设为默认模板"</label>
                <div class="flex gap-3">
                    <button type="submit" class="btn-primary h-9 flex-1 text-sm">"保存模板"</button>
                    {t.is_some().then(|| view! { <a href="/merchant/shipping" class="btn-outline h-9 px-4 text-sm">"新建"</a> })}
                </div>
            </div>
        </ActionForm>
    }
}
