//! 商家后台 › 运费设置: shipping templates (by piece or weight, rules for chosen provinces, and
//! for every other province a rule or 不配送; free from an amount) and the shop's self-pickup
//! address.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::ConsoleShell;
use crate::api::merchant_orders::{
    shipping_settings, DeleteShippingTemplate, SavePickup, SaveShippingTemplate,
};
use crate::domain::account::Realm;
use crate::domain::address::PROVINCES;
use crate::domain::money::price_text;
use crate::domain::shipping::{ChargeBy, RuleForm, ShippingRule, ShippingTemplate, TemplateForm};
use crate::ui::common::ErrorBanner;
use crate::ui::kit::{form_error, FieldError, FormBanner, FormError, Loaded};

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
    let delete = ServerAction::<DeleteShippingTemplate>::new();
    let pickup = ServerAction::<SavePickup>::new();
    let settings = Resource::new(
        move || (delete.version().get(), pickup.version().get()),
        |_| shipping_settings(),
    );
    let other_error = Signal::derive(form_error(move || {
        delete.value().get().or(pickup.value().get())
    }));
    view! {
        <Title text="运费设置" />
        <ConsoleShell realm=Realm::Merchant>
            <h1 class="text-xl font-bold">"运费设置"</h1>
            <p class="mt-1 text-sm text-gray-500">"商品默认使用店铺的默认模板；同一订单中使用同一模板的商品合并计算首件（首重）。未设置任何模板时全店包邮。"</p>
            <div class="mt-3"><ErrorBanner message=move || other_error.get() /></div>
            <Loaded resource=settings let:s>
                {{
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
                                                {(!t.delivers_elsewhere()).then(|| view! { <li class="text-promo">"其他地区：不配送"</li> })}
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
                                <TemplateEditor t=current />
                            </section>
                        </div>
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

/// One rule being edited; `key` keeps rows apart when one is removed.
#[derive(Clone, Copy)]
struct RuleRow {
    key: u32,
    regions: RwSignal<Vec<String>>,
    first: RwSignal<String>,
    first_fee: RwSignal<String>,
    extra: RwSignal<String>,
    extra_fee: RwSignal<String>,
}

impl RuleRow {
    fn new(key: u32, r: &RuleForm) -> Self {
        Self {
            key,
            regions: RwSignal::new(r.regions.clone()),
            first: RwSignal::new(r.first.to_string()),
            first_fee: RwSignal::new(r.first_fee.clone()),
            extra: RwSignal::new(r.extra.to_string()),
            extra_fee: RwSignal::new(r.extra_fee.clone()),
        }
    }

    fn form(&self) -> RuleForm {
        RuleForm {
            regions: self.regions.get_untracked(),
            // a non-number is sent as 0, which the server refuses with its message
            first: self.first.get_untracked().trim().parse().unwrap_or(0),
            first_fee: self.first_fee.get_untracked(),
            extra: self.extra.get_untracked().trim().parse().unwrap_or(0),
            extra_fee: self.extra_fee.get_untracked(),
        }
    }
}

fn default_rule(regions: Vec<String>) -> RuleForm {
    RuleForm {
        regions,
        first: 1,
        first_fee: "8.00".into(),
        extra: 1,
        extra_fee: "2.00".into(),
    }
}

/// The four numbers of a rule.
#[component]
fn RuleFees(row: RuleRow) -> impl IntoView {
    let field = |label: &'static str, name: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field"><span>{label}</span>
                <input name=name class="input h-9" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <div class="grid grid-cols-4 gap-2">
            {field("首件/首重", "first", row.first)}
            {field("首费（元）", "first_fee", row.first_fee)}
            {field("续件/续重", "extra", row.extra)}
            {field("续费（元）", "extra_fee", row.extra_fee)}
        </div>
    }
}

/// 新建/编辑运费模板: rules for chosen provinces (each with its own fees), and for every other
/// province either a rule or 不配送 (the template then delivers only to the chosen provinces).
/// An island: rules are added and provinces moved between them as the merchant clicks. A saved
/// template reloads the page (the list shows it); a refused one keeps the editor as it was.
#[island]
fn TemplateEditor(t: Option<ShippingTemplate>) -> impl IntoView {
    let save = ServerAction::<SaveShippingTemplate>::new();
    let form = FormError::live(move || save.value().get());
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            let _ = window().location().reload();
        }
    });
    let initial = t.as_ref().map(TemplateForm::of);
    let id = initial.as_ref().and_then(|f| f.id);
    let name = RwSignal::new(initial.as_ref().map(|f| f.name.clone()).unwrap_or_default());
    let charge_by = RwSignal::new(initial.as_ref().map_or(ChargeBy::Piece, |f| f.charge_by));
    let free_over = RwSignal::new(
        initial
            .as_ref()
            .map_or_else(|| "0".to_string(), |f| f.free_over.clone()),
    );
    let make_default = RwSignal::new(false);
    let next_key = StoredValue::new(0u32);
    let new_row = move |r: &RuleForm| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        RuleRow::new(key, r)
    };
    let rules = initial
        .as_ref()
        .map(|f| f.rules.clone())
        .unwrap_or_default();
    let chosen = RwSignal::new(
        rules
            .iter()
            .filter(|r| !r.regions.is_empty())
            .map(new_row)
            .collect::<Vec<_>>(),
    );
    let elsewhere_rule = rules.iter().find(|r| r.regions.is_empty()).cloned();
    // a new template delivers everywhere until the merchant says otherwise
    let delivers_elsewhere = RwSignal::new(elsewhere_rule.is_some() || initial.is_none());
    let elsewhere = new_row(&elsewhere_rule.unwrap_or_else(|| default_rule(vec![])));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut rules: Vec<RuleForm> = chosen.get_untracked().iter().map(RuleRow::form).collect();
        if delivers_elsewhere.get_untracked() {
            rules.push(elsewhere.form());
        }
        save.dispatch(SaveShippingTemplate {
            form: TemplateForm {
                id,
                name: name.get_untracked(),
                charge_by: charge_by.get_untracked(),
                rules,
                free_over: free_over.get_untracked(),
                make_default: make_default.get_untracked(),
            },
        });
    };
    let used_elsewhere = move |key: u32, province: &str| {
        chosen.with(|rows| {
            rows.iter()
                .any(|r| r.key != key && r.regions.with(|g| g.iter().any(|p| p == province)))
        })
    };
    view! {
        <form on:submit=submit>
            <div class="flex flex-col gap-3 rounded-lg bg-white p-5 text-sm" data-test="template-form">
                <h2 class="font-bold">{if id.is_some() { "编辑运费模板" } else { "新建运费模板" }}</h2>
                <FormBanner form />
                <label class="field"><span>"模板名称"</span>
                    <input name="name" required maxlength="30" class="input h-9" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    <FieldError form field="name" />
                </label>
                <fieldset class="flex gap-4">
                    <legend class="mb-1 text-gray-600">"计费方式"</legend>
                    {[ChargeBy::Piece, ChargeBy::Weight].into_iter().map(|by| view! {
                        <label class="flex items-center gap-1">
                            <input type="radio" name="charge_by" value=by.as_str() class="accent-promo"
                                prop:checked=move || charge_by.get() == by on:change=move |_| charge_by.set(by) />
                            {if by == ChargeBy::Weight { "按重量（克）" } else { by.label() }}
                        </label>
                    }).collect_view()}
                </fieldset>
                <For each=move || chosen.get() key=|r| r.key let:row>
                    <div class="rounded border border-gray-200 p-3" data-test="region-rule">
                        <div class="flex items-start gap-2">
                            <p class="flex-1 text-gray-700">{move || row.regions.with(|g| if g.is_empty() { "请勾选省份".to_string() } else { g.join("、") })}</p>
                            <button type="button" class="shrink-0 text-gray-500" on:click=move |_| chosen.update(|rows| rows.retain(|r| r.key != row.key))>"删除"</button>
                        </div>
                        <details class="mt-1" open=row.regions.with_untracked(Vec::is_empty)>
                            <summary class="cursor-pointer text-promo">"选择省份"</summary>
                            <div class="mt-2 grid grid-cols-3 gap-1 text-xs">
                                {PROVINCES.iter().map(|p| {
                                    let p = *p;
                                    view! {
                                        <label class="flex items-center gap-1" class:text-gray-300=move || used_elsewhere(row.key, p)>
                                            <input type="checkbox" value=p class="accent-promo"
                                                disabled=move || used_elsewhere(row.key, p)
                                                prop:checked=move || row.regions.with(|g| g.iter().any(|x| x == p))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    row.regions.update(|g| {
                                                        g.retain(|x| x != p);
                                                        if on { g.push(p.to_string()); }
                                                    });
                                                } />
                                            {p}
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                        </details>
                        <div class="mt-2"><RuleFees row /></div>
                    </div>
                </For>
                <button type="button" class="btn-outline h-9 text-sm" data-test="add-region-rule"
                    on:click=move |_| { let row = new_row(&default_rule(vec![])); chosen.update(|rows| rows.push(row)); }>
                    "＋ 为指定地区设置运费"
                </button>
                <FieldError form field="rules" />
                <fieldset class="rounded border border-gray-200 p-3">
                    <legend class="px-1 text-gray-600">"其他地区"</legend>
                    <div class="flex gap-4">
                        <label class="flex items-center gap-1"><input type="radio" name="elsewhere" value="1" class="accent-promo" prop:checked=move || delivers_elsewhere.get() on:change=move |_| delivers_elsewhere.set(true) />"配送"</label>
                        <label class="flex items-center gap-1"><input type="radio" name="elsewhere" value="0" class="accent-promo" prop:checked=move || !delivers_elsewhere.get() on:change=move |_| delivers_elsewhere.set(false) />"不配送（仅配送上面的指定地区）"</label>
                    </div>
                    <Show when=move || delivers_elsewhere.get()>
                        <div class="mt-2"><RuleFees row=elsewhere /></div>
                    </Show>
                </fieldset>
                <label class="field"><span>"满额包邮（元，0 为不包邮）"</span>
                    <input name="free_over" class="input h-9" prop:value=move || free_over.get() on:input=move |ev| free_over.set(event_target_value(&ev)) />
                    <FieldError form field="free_over" />
                </label>
                <label class="flex items-center gap-2"><input type="checkbox" name="make_default" class="accent-promo" on:change=move |ev| make_default.set(event_target_checked(&ev)) />"设为默认模板"</label>
                <div class="flex gap-3">
                    <button type="submit" class="btn-primary h-9 flex-1 text-sm" disabled=move || save.pending().get() data-test="save-template">"保存模板"</button>
                    {id.is_some().then(|| view! { <a href="/merchant/shipping" class="btn-outline h-9 px-4 text-sm">"新建"</a> })}
                </div>
            </div>
        </form>
    }
}
