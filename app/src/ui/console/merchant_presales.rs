//! 商家后台 › 营销中心 › 预售活动: the shop's presales (and the product to start a new one
//! with), the new-presale form for one product (paid in full or 定金+尾款 with its balance
//! window, deposits and missed-balance policy; the ship promise, presale price and activity
//! stock per SKU), and one presale's page, where the shop ends it early. The product picker,
//! the form's common fields, the SKU rows and the phase badge are the 拼团 pages'
//! (`merchant_group_buys`); the table of presales is shared with the platform's page
//! (`admin_presales`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::merchant_group_buys::{
    LimitFields, PhaseBadge, ProductPicker, SkuInputs, SkuPriceTable, SkuSummary, TitleWindowFields,
};
use super::ConsoleShell;
use crate::api::presales::{
    merchant_presale, merchant_presales, new_presale_form, CreatePresale, EndPresale,
    ForceEndPresale,
};
use crate::domain::account::Realm;
use crate::domain::activity_form::ActivityFormData;
use crate::domain::activity_form::ActivityPhase;
use crate::domain::money::price_text;
use crate::domain::presale::{PresaleView, MAX_SHIP_DAYS};
use crate::domain::presale_deposit::{MissedBalance, MAX_BALANCE_DAYS, MAX_DEPOSIT_PERCENT};
use crate::domain::time::{day_text, minute_text, DAY_MS};
use crate::ui::common::ErrorBanner;
use crate::ui::kit::{form_error, Col, DataTable, FieldError, FormBanner, FormError, Loaded};

/// The shop's presales; a presale's page is `{LIST}/{id}`.
const LIST: &str = "/merchant/marketing/presales";
/// Where a new presale's form is (`?product=` picks its product).
const NEW_PATH: &str = "/merchant/marketing/presales/new";

#[component]
pub fn MerchantPresalesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| merchant_presales());
    let form = Resource::new(|| (), |_| new_presale_form(0));
    view! {
        <Title text="预售活动" />
        <ConsoleShell realm=Realm::Merchant>
            <a href="/merchant/marketing" class="text-sm text-gray-500">"‹ 营销中心"</a>
            <h1 class="mt-2 text-xl font-bold">"预售活动"</h1>
            <p class="mt-1 text-sm text-gray-500">"商品还不能发货时（例如应季水果采摘前）先行开卖：为一件商品设置预售价和活动库存，买家全额付款，或先付定金、在尾款时间内付尾款（定金可设膨胀抵扣），并约定发货时间——固定日期前，或付款（尾款）后若干天内。超过约定时间仍未发货的订单，买家可直接全额退款，无需商家同意。预售商品不参加店铺满减和优惠券。"</p>
            <Loaded resource=form let:f>
                {view! { <ProductPicker products=f.products chosen=0 label="发起新预售" path=NEW_PATH test="presale" /> }.into_any()}
            </Loaded>
            <Loaded resource=list let:rows>
                {view! { <PresaleTable rows /> }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}

/// Whether a presale can still be ended: not ended early and not over by its time.
pub fn may_end(p: &PresaleView) -> bool {
    p.phase != ActivityPhase::Over
}

/// Presales with their window, ship promise, SKUs and phase. A shop's rows link to their pages;
/// with `force_end` (the platform's list) they show their shop and, while they can still be
/// ended, a 强制结束 button instead.
#[component]
pub fn PresaleTable(
    rows: Vec<PresaleView>,
    #[prop(optional)] force_end: Option<ServerAction<ForceEndPresale>>,
) -> impl IntoView {
    let platform = force_end.is_some();
    let columns = vec![
        Col::text("活动"),
        Col::text("店铺").only_if(platform),
        Col::text("时间"),
        Col::text("发货"),
        Col::text("预售价 · 已售 / 活动库存"),
        Col::text("状态"),
        Col::text("操作"),
    ];
    view! {
        <DataTable columns rows test="presale-table" empty="还没有预售活动" let:p>
            <tr data-test="presale-row" data-id=p.id>
                <td>
                    <p class="font-medium">{p.title.clone()}</p>
                    <p class="text-xs text-gray-500">{p.product_title.clone()}</p>
                </td>
                {platform.then(|| view! { <td>{p.shop_name.clone()}</td> })}
                <td class="whitespace-nowrap text-gray-600">
                    <p>{p.window.clone()}</p>
                    {p.deposit.as_ref().map(|plan| view! {
                        <p class="text-xs text-promo" data-test="presale-balance-window">{format!("定金预售 · 尾款 {}", plan.balance_window)}</p>
                    })}
                </td>
                <td class="whitespace-nowrap text-gray-600" data-test="presale-ship">{p.ship_text.clone()}</td>
                <td class="text-xs"><SkuSummary skus=p.skus.clone() /></td>
                <td><PhaseBadge phase=p.phase test="presale" /></td>
                <td>
                    {match force_end {
                        None => view! {
                            <a href=format!("{LIST}/{}", p.id) class="text-promo" data-test="presale-open">"查看"</a>
                        }.into_any(),
                        Some(action) => may_end(&p).then(|| view! {
                            <ActionForm action>
                                <input type="hidden" name="id" value=p.id />
                                <button type="submit" class="whitespace-nowrap text-promo" data-test="presale-force-end">"强制结束"</button>
                            </ActionForm>
                        }).into_any(),
                    }}
                </td>
            </tr>
        </DataTable>
    }
}

#[component]
pub fn MerchantPresaleNewPage() -> impl IntoView {
    let query = use_query_map();
    let product = move || {
        query
            .read()
            .get("product")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let data = Resource::new(product, new_presale_form);
    let create = ServerAction::<CreatePresale>::new();
    let form = FormError::new(move || create.value().get());
    view! {
        <Title text="新建预售活动" />
        <ConsoleShell realm=Realm::Merchant>
            <a href=LIST class="text-sm text-gray-500">"‹ 预售活动"</a>
            <h1 class="mt-2 text-xl font-bold">"新建预售活动"</h1>
            <Loaded resource=data let:d>
                {view! {
                    <ProductPicker products=d.products.clone() chosen=d.product_id label="商品" path=NEW_PATH test="presale" />
                    {(d.product_id != 0).then(|| view! { <PresaleFields d=d.clone() create form /> })}
                }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}

/// The new-presale form for the chosen product, named `form[...]` for `PresaleForm`.
#[component]
fn PresaleFields(
    d: ActivityFormData,
    create: ServerAction<CreatePresale>,
    form: FormError,
) -> impl IntoView {
    // the sale window the form starts with ends in a week: promise the next few days after it
    let ship_date = day_text(d.now + 10 * DAY_MS);
    let product_id = d.product_id;
    let settings = view! {
        <section class="grid grid-cols-2 gap-x-6 gap-y-4 rounded-lg bg-white p-5">
            <TitleWindowFields form now=d.now placeholder="例如：赣南脐橙冬季预售" />
            <fieldset class="field col-span-2" data-test="presale-ship-mode">
                <legend class="mb-1.5">"发货时间"</legend>
                // both promises keep their input beside their choice: the chosen one is read,
                // the other ignored
                <div class="flex flex-wrap items-center gap-x-8 gap-y-2 text-sm" role="radiogroup" aria-label="发货时间的约定方式">
                    <div class="flex items-center gap-2">
                        <label class="flex items-center gap-2">
                            <input type="radio" name="form[ship_mode]" value="date" checked=true data-test="presale-ship-date-mode" />
                            "固定日期发货"
                        </label>
                        <input name="form[ship_date]" type="date" class="input h-9 w-44" value=ship_date aria-label="发货日期（当天结束前发货）" data-test="presale-ship-date" />
                        <span class="text-gray-500">"前"</span>
                    </div>
                    <div class="flex items-center gap-2">
                        <label class="flex items-center gap-2">
                            <input type="radio" name="form[ship_mode]" value="days" data-test="presale-ship-days-mode" />
                            "付款后 N 天内发货"
                        </label>
                        <input name="form[ship_days]" class="input h-9 w-20" inputmode="numeric" value="7" aria-label="付款后发货天数" data-test="presale-ship-days" />
                        <span class="text-gray-500">"天"</span>
                    </div>
                </div>
                <p class="mt-1 text-xs text-gray-500">{format!("发货日期须在预售结束当天到其后 {MAX_SHIP_DAYS} 天之间；天数 1–{MAX_SHIP_DAYS}。")}</p>
                <FieldError form field="ship_mode" />
                <FieldError form field="ship_date" />
                <FieldError form field="ship_days" />
            </fieldset>
            <LimitFields form per_order="2" per_user="5" />
        </section>
    }
    .into_any();
    let deposits = view! { <DepositFields d=d.clone() form /> }.into_any();
    view! {
        <ActionForm action=create attr:class="promo-form mt-4 flex max-w-4xl flex-col gap-5">
            <input type="hidden" name="form[product_id]" value=product_id />
            <FormBanner form />
            {settings}
            <SkuInputs d form price_word="预售价" test="presale"
                hint="预售价不能高于原价；活动库存从商品库存中单独划出，不超过现有库存。不填预售价的规格不参加。" />
            {deposits}
            <div class="flex items-center gap-4">
                <button type="submit" class="btn-primary px-8" disabled=move || create.pending().get() data-test="presale-create">"创建预售"</button>
                <a href=LIST class="text-sm text-gray-500">"取消"</a>
            </div>
        </ActionForm>
    }
}

/// 付款方式: in full, or 定金+尾款 with the balance window, what a missed balance does to the
/// deposit, and each SKU's deposit and what it counts for (`form[deposits][i][...]`). The
/// deposit parts are read only when 定金+尾款 is chosen.
#[component]
fn DepositFields(d: ActivityFormData, form: FormError) -> impl IntoView {
    let (starts, ends) = (d.now + 7 * DAY_MS, d.now + 10 * DAY_MS);
    view! {
        <section class="grid grid-cols-2 gap-x-6 gap-y-4 rounded-lg bg-white p-5" data-test="presale-deposit">
            <fieldset class="field col-span-2">
                <legend class="mb-1.5">"付款方式"</legend>
                <div class="flex items-center gap-8 text-sm" role="radiogroup" aria-label="付款方式">
                    <label class="flex items-center gap-2"><input type="radio" name="form[pay_mode]" value="full" checked=true data-test="presale-pay-full" />"全款预售"</label>
                    <label class="flex items-center gap-2"><input type="radio" name="form[pay_mode]" value="deposit" data-test="presale-pay-deposit" />"定金 + 尾款"</label>
                </div>
                <FieldError form field="pay_mode" />
            </fieldset>
            <label class="field">
                <span>"尾款开始时间（定金结束后）"</span>
                <input name="form[balance_starts_at]" type="datetime-local" class="input" value=minute_text(starts) data-test="presale-balance-starts" />
                <FieldError form field="balance_starts_at" />
            </label>
            <label class="field">
                <span>{format!("尾款截止时间（最多 {MAX_BALANCE_DAYS} 天）")}</span>
                <input name="form[balance_ends_at]" type="datetime-local" class="input" value=minute_text(ends) data-test="presale-balance-ends" />
                <FieldError form field="balance_ends_at" />
            </label>
            <fieldset class="field col-span-2">
                <legend class="mb-1.5">"买家未付尾款时"</legend>
                <div class="flex items-center gap-8 text-sm" role="radiogroup" aria-label="买家未付尾款时">
                    {MissedBalance::ALL.iter().map(|m| view! {
                        <label class="flex items-center gap-2">
                            <input type="radio" name="form[missed_balance]" value=m.as_str() checked=*m == MissedBalance::Refund data-test=format!("presale-missed-{}", m.as_str()) />
                            {m.label()}
                        </label>
                    }).collect_view()}
                </div>
                <p class="mt-1 text-xs text-gray-500">"买家下单前可看到这一约定；定金不退时，定金计入店铺收入并按类目扣佣。"</p>
                <FieldError form field="missed_balance" />
            </fieldset>
            <div class="col-span-2">
                <p class="text-sm">"定金（每件）"</p>
                <p class="mt-1 text-xs text-gray-500">{format!("定金不超过预售价的 {MAX_DEPOSIT_PERCENT}%（《民法典》第五百八十六条）；抵扣金额不低于定金、不超过平台规定的倍数，且低于预售价（定金膨胀的差额由店铺承担）。不填抵扣金额即按定金抵扣。")}</p>
                <table class="mt-2 w-full text-sm" data-test="presale-deposits">
                    <thead class="text-left text-gray-500">
                        <tr>
                            <th class="py-1 font-normal">"规格"</th>
                            <th class="font-normal">"原价"</th>
                            <th class="font-normal">"定金（元）"</th>
                            <th class="font-normal">"尾款时抵扣（元）"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d.skus.iter().enumerate().map(|(i, (sku_id, spec, price, _))| {
                            let name = if spec.is_empty() { d.product_title.clone() } else { spec.clone() };
                            view! {
                                <tr data-test="presale-deposit-row">
                                    <td class="py-1.5">
                                        <input type="hidden" name=format!("form[deposits][{i}][sku_id]") value=*sku_id />
                                        {name.clone()}
                                    </td>
                                    <td class="text-gray-600">{price_text(*price)}</td>
                                    <td class="pr-4"><input name=format!("form[deposits][{i}][deposit]") class="input h-9" inputmode="decimal" aria-label=format!("{name} 定金") /></td>
                                    <td class="pr-4"><input name=format!("form[deposits][{i}][deposit_value]") class="input h-9" inputmode="decimal" aria-label=format!("{name} 定金抵扣") /></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <FieldError form field="deposits" />
            </div>
        </section>
    }
}

#[component]
pub fn MerchantPresalePage() -> impl IntoView {
    let params = use_params_map();
    let end = ServerAction::<EndPresale>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let page = Resource::new(id, merchant_presale);
    let error = Signal::derive(form_error(move || end.value().get()));
    view! {
        <Title text="预售活动" />
        <ConsoleShell realm=Realm::Merchant>
            <a href=LIST class="text-sm text-gray-500">"‹ 预售活动"</a>
            <Loaded resource=page not_found=true let:p>
                {{
                    let active = may_end(&p);
                    let presale_id = p.id;
                    view! {
                        <PresaleHead p>
                            {active.then(|| view! {
                                <ActionForm action=end>
                                    <input type="hidden" name="id" value=presale_id />
                                    <button type="submit" class="btn-outline px-5" data-test="presale-end">"结束活动"</button>
                                </ActionForm>
                            })}
                        </PresaleHead>
                        <div class="mt-3"><ErrorBanner message=move || error.get() /></div>
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

/// A presale's title, phase, window, ship promise and limits, its SKUs, and `children` (its end
/// button) beside.
#[component]
fn PresaleHead(p: PresaleView, children: Children) -> impl IntoView {
    let rules = format!(
        "{} · 每单限购 {} 件 · 每人限购 {} 件",
        p.ship_text, p.per_order_limit, p.per_user_limit
    );
    view! {
        <div class="mt-3 flex items-center justify-between">
            <div>
                <div class="flex items-center gap-3">
                    <h1 class="text-xl font-bold">{p.title.clone()}</h1>
                    <PhaseBadge phase=p.phase test="presale" />
                </div>
                <p class="mt-1 text-sm text-gray-500">{format!("{} · {} · {}", p.shop_name, p.product_title, p.window)}</p>
                <p class="mt-1 text-sm text-gray-500" data-test="presale-rules">{rules}</p>
                {p.deposit.as_ref().map(|plan| view! {
                    <p class="mt-1 text-sm text-gray-500" data-test="presale-deposit-plan">
                        {format!("定金 + 尾款 · 尾款 {} · {}", plan.balance_window, plan.missed_label)}
                    </p>
                    <p class="mt-1 text-sm text-gray-500">
                        {plan.skus.iter().map(|d| format!("定金 {} 抵 {}", price_text(d.deposit), price_text(d.deposit_value))).collect::<Vec<_>>().join("；")}
                    </p>
                })}
                <p class="mt-1 text-xs text-gray-400">"预售订单须在约定时间前发货；逾期未发货的订单，买家可直接全额退款。"</p>
            </div>
            {children()}
        </div>
        <SkuPriceTable skus=p.skus.clone() product_title=p.product_title.clone() price_col="预售价 / 原价" test="presale-sku-table" />
    }
}
