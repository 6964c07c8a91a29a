//! 概览 of both consoles: to-dos, today's figures against yesterday's, a period's figures against
//! the period before, daily trends, today by hour against yesterday, category share and top
//! lists; every table also as CSV. The platform sees the whole market and its top shops; a shop
//! its own sales, buyers and to-dos.

use leptos::prelude::*;
use leptos_meta::Title;

use super::finance::text_param;
use super::ConsoleShell;
use crate::api::overview::{admin_overview, merchant_overview};
use crate::domain::account::Realm;
use crate::domain::dashboard::{
    percent_text, Dashboard, Kpi, SalesRow, Unit, PRESETS, TIME_ZONE_NOTE,
};
use crate::ui::common::{datetime_text, href_with};
use crate::ui::kit::{Bar, BarChart, Col, DataTable, LineChart, Loaded, Series};

#[component]
pub fn DashboardPage(realm: Realm) -> impl IntoView {
    let platform = realm == Realm::Admin;
    let base: &'static str = if platform { "/admin" } else { "/merchant" };
    let (days, from, to) = (text_param("days"), text_param("from"), text_param("to"));
    let board = Resource::new(
        move || (days(), from(), to()),
        move |(d, f, t)| async move {
            let (d, f, t) = (Some(d), Some(f), Some(t));
            if platform {
                admin_overview(d, f, t).await
            } else {
                merchant_overview(d, f, t).await
            }
        },
    );
    view! {
        <Title text=if platform { "平台概览" } else { "店铺概览" } />
        <ConsoleShell realm>
            <Loaded resource=board let:d>
                {board_view(d, base, platform, days(), !from().is_empty() || !to().is_empty())}
            </Loaded>
        </ConsoleShell>
    }
}

fn board_view(
    d: Dashboard,
    base: &'static str,
    platform: bool,
    days: String,
    custom: bool,
) -> AnyView {
    let csv = move |table: &str, d: &Dashboard| {
        href_with(
            &format!("{base}/overview/{table}.csv"),
            &[("from", d.range.from.clone()), ("to", d.range.to.clone())],
        )
    };
    let freshness = format!(
        "数据截至 {}（{TIME_ZONE_NOTE}）；{}",
        datetime_text(d.as_of),
        match &d.aggregated_through {
            Some(day) => format!("{day} 及以前按日汇总，之后实时统计"),
            None => "全部实时统计".into(),
        }
    );
    let head = view! {
        <div class="flex flex-wrap items-end justify-between gap-2">
            {match d.shop_name.clone() {
                Some(name) => view! { <h1 class="text-xl font-bold" data-test="shop-name">{name}</h1> }.into_any(),
                None => view! { <h1 class="text-xl font-bold">"市场概览"</h1> }.into_any(),
            }}
            <p class="text-xs text-gray-500" data-test="freshness">{freshness}</p>
        </div>
    };
    let todos = view! {
        <section class="mt-4 grid grid-cols-5 gap-3" aria-label="待办" data-test="todos">
            {d.todos.iter().map(|t| view! {
                <a href=t.href.clone() class="rounded-lg bg-white p-4 hover:ring-1 hover:ring-promo">
                    <p class="text-xs text-gray-500">{t.label.clone()}</p>
                    <p class="mt-1 text-2xl font-bold" class:text-promo={t.count > 0}>{t.count}</p>
                </a>
            }).collect_view()}
        </section>
    };
    let today = view! {
        <h2 class="mt-6 font-bold">"今日实时" <span class="ml-2 text-xs font-normal text-gray-500">"较昨日"</span></h2>
        <KpiCards kpis=d.today.clone() test="kpis-today" before="昨日" />
    };
    let picker = range_picker(base, &d, days, custom);
    let period = view! {
        <div class="mt-3 flex items-center justify-between">
            <h2 class="font-bold">{format!("{} 至 {}（{} 天）", d.range.from, d.range.to, d.range.days)}
                <span class="ml-2 text-xs font-normal text-gray-500">"较上一周期"</span></h2>
            <a href=csv("kpis", &d) class="text-sm text-promo" data-test="export-kpis">"导出 CSV"</a>
        </div>
        <KpiCards kpis=d.period.clone() test="kpis-period" before="上期" />
    };
    let labels: Vec<String> = d.trend.iter().map(|p| p.day[5..].to_string()).collect();
    let trends = view! {
        <div class="mt-6 grid grid-cols-2 gap-4">
            <LineChart title="成交额与退款（元/天）" labels=labels.clone() unit=Unit::Fen test="trend-money"
                series=vec![
                    Series { name: "成交额".into(), tone: "a", values: d.trend.iter().map(|p| Some(p.gmv)).collect() },
                    Series { name: "退款".into(), tone: "b", values: d.trend.iter().map(|p| Some(p.refunds)).collect() },
                ] />
            <LineChart title="支付订单与人数（每天）" labels=labels unit=Unit::Count test="trend-orders"
                series=vec![
                    Series { name: "支付订单".into(), tone: "a", values: d.trend.iter().map(|p| Some(p.paid_orders)).collect() },
                    Series { name: "支付人数".into(), tone: "b", values: d.trend.iter().map(|p| Some(p.payers)).collect() },
                ] />
        </div>
        <p class="mt-1 text-right text-xs"><a href=csv("trend", &d) class="text-promo" data-test="export-trend">"导出每日数据 CSV"</a></p>
    };
    let traffic = traffic(&d, csv);
    let hours: Vec<String> = (0..24).map(|h| format!("{h}时")).collect();
    // running totals: where today stands against yesterday at the same hour
    let running = |values: Vec<Option<i64>>| {
        let mut sum = 0;
        values
            .into_iter()
            .map(|v| {
                v.map(|v| {
                    sum += v;
                    sum
                })
            })
            .collect::<Vec<_>>()
    };
    let hourly = view! {
        <div class="mt-4">
            <LineChart title="今日与昨日累计成交额（截至各整点，元）" labels=hours unit=Unit::Fen test="hourly" width=960.0 height=260.0
                series=vec![
                    Series { name: "今日".into(), tone: "a", values: running(d.hourly.iter().map(|h| h.today).collect()) },
                    Series { name: "昨日".into(), tone: "b", values: running(d.hourly.iter().map(|h| Some(h.yesterday)).collect()) },
                ] />
            <p class="mt-1 text-right text-xs"><a href=csv("hourly", &d) class="text-promo">"导出分时数据 CSV"</a></p>
        </div>
    };
    // Both consoles show the category share; beside it the platform ranks shops, a shop its buyers.
    let share_bars = bars(&d.categories);
    let share = view! {
        <div>
            <BarChart title="类目成交占比" bars=share_bars unit=Unit::Fen test="category-share" />
            <p class="mt-1 text-right text-xs"><a href=csv("categories", &d) class="text-promo">"导出 CSV"</a></p>
        </div>
    };
    let tops = if platform {
        view! {
            <div class="mt-4 grid grid-cols-2 gap-4">
                {share}
                <div>
                    <BarChart title="店铺成交排行" bars=bars(&d.top_shops) unit=Unit::Fen test="top-shops" />
                    <p class="mt-1 text-right text-xs"><a href=csv("shops", &d) class="text-promo">"导出 CSV"</a></p>
                </div>
            </div>
        }
        .into_any()
    } else {
        let payers = d
            .period
            .iter()
            .find(|k| k.key == "payers")
            .map_or(0, |k| k.value);
        let new = (payers - d.returning_buyers).max(0);
        view! {
            <div class="mt-4 grid grid-cols-2 gap-4">
                {share}
                <section class="rounded-lg bg-white p-4 text-sm" data-test="buyers">
                    <h3 class="font-medium">"买家构成"</h3>
                    <dl class="mt-3 grid grid-cols-[8rem_1fr] gap-y-2">
                        <dt class="text-gray-500">"支付人数"</dt><dd>{payers}</dd>
                        <dt class="text-gray-500">"新买家"</dt><dd data-test="new-buyers">{new}</dd>
                        <dt class="text-gray-500">"老买家"</dt><dd data-test="returning-buyers">{d.returning_buyers}</dd>
                        <dt class="text-gray-500">"复购率"</dt><dd data-test="repurchase">{format!("{}（周期内支付 2 次及以上 {} 人）", percent_text(d.repurchase_bps()), d.repeat_buyers)}</dd>
                    </dl>
                    <p class="mt-3 text-xs text-gray-400">"老买家：周期前在本店支付过的买家。"</p>
                </section>
            </div>
        }
        .into_any()
    };
    let scores = (!platform).then(|| {
        let labels: Vec<String> = d.scores.iter().map(|p| p.day[5..].to_string()).collect();
        let line = |name: &str, tone: &'static str, values: Vec<Option<i64>>| Series {
            name: name.into(),
            tone,
            values,
        };
        let reviews: i64 = d.scores.iter().map(|p| p.reviews).sum();
        view! {
            <div class="mt-4">
                <LineChart title=format!("评分趋势（买家当天评价的平均星级，共 {reviews} 条，不含默认好评）") labels unit=Unit::Stars test="score-trend" width=960.0 height=220.0
                    series=vec![
                        line("商品", "a", d.scores.iter().map(|p| p.goods).collect()),
                        line("服务", "b", d.scores.iter().map(|p| p.service).collect()),
                        line("物流", "c", d.scores.iter().map(|p| p.logistics).collect()),
                    ] />
                <p class="mt-1 text-right text-xs"><a href=csv("scores", &d) class="text-promo" data-test="export-scores">"导出评分 CSV"</a></p>
            </div>
        }
    });
    let products_csv = csv("products", &d);
    let ranked: Vec<(usize, SalesRow)> = d.top_products.iter().cloned().enumerate().collect();
    let products = view! {
        <div class="mt-4 flex items-center justify-between">
            <h2 class="font-bold">"热销商品"</h2>
            <a href=products_csv class="text-sm text-promo">"导出 CSV"</a>
        </div>
        <DataTable columns=vec![Col::text("排名"), Col::text("商品"), Col::num("销量"), Col::num("成交额"), Col::num("占比")]
            rows=ranked test="top-products" empty="所选时间内没有成交" class="mt-2" let:r>
            <tr>
                <td>{r.0 + 1}</td>
                <td><a href=format!("/product/{}", r.1.id) class="hover:text-promo">{r.1.name.clone()}</a></td>
                <td class="num">{r.1.units}</td>
                <td class="num">{Unit::Fen.text(r.1.gmv)}</td>
                <td class="num">{percent_text(r.1.share_bps)}</td>
            </tr>
        </DataTable>
    };
    view! { {head} {todos} {today} {picker} {period} {trends} {traffic} {hourly} {tops} {scores} {products} }
        .into_any()
}

/// Visitors per day, where the period's views came from, and the buying funnel.
fn traffic(d: &Dashboard, csv: impl Fn(&str, &Dashboard) -> String) -> AnyView {
    let labels: Vec<String> = d.trend.iter().map(|p| p.day[5..].to_string()).collect();
    let visitors = d.trend.iter().map(|p| Some(p.visitors)).collect();
    let sources: Vec<Bar> = d
        .sources
        .iter()
        .map(|s| Bar {
            label: s.source.label().to_string(),
            value: s.views,
            note: format!("{}（访客 {}）", percent_text(s.share_bps), s.visitors),
        })
        .collect();
    let first = d.funnel.first().map_or(0, |s| s.count).max(1);
    let steps = d.funnel.clone();
    view! {
        <h2 class="mt-6 font-bold">"流量与转化"</h2>
        <div class="mt-3 grid grid-cols-2 gap-4">
            <LineChart title="访客数（每天）" labels unit=Unit::Count test="trend-visitors"
                series=vec![Series { name: "访客数".into(), tone: "a", values: visitors }] />
            <div>
                <BarChart title="流量来源（浏览量）" bars=sources unit=Unit::Count test="sources" empty="所选时间内没有访问" />
                <p class="mt-1 text-right text-xs"><a href=csv("sources", d) class="text-promo">"导出 CSV"</a></p>
            </div>
        </div>
        <section class="mt-4 rounded-lg bg-white p-4 text-sm" data-test="funnel">
            <div class="flex items-center justify-between">
                <h3 class="font-medium">"转化漏斗" <span class="ml-2 text-xs font-normal text-gray-500">"访客按浏览器或小程序计，下单、支付按买家计"</span></h3>
                <a href=csv("funnel", d) class="text-xs text-promo">"导出 CSV"</a>
            </div>
            <ol class="mt-3 flex flex-col gap-2">
                {steps.into_iter().map(|s| {
                    let width = format!("width: {}%", (s.count * 100 / first).clamp(1, 100));
                    view! {
                        <li class="grid grid-cols-[6rem_1fr_9rem] items-center gap-3" data-step=s.key.clone()>
                            <span class="text-gray-600">{s.label.clone()}</span>
                            <span class="h-6 rounded bg-promo/10"><span class="block h-6 rounded bg-promo/70" style=width></span></span>
                            <span class="num" data-test="funnel-count">{s.count}
                                <span class="ml-2 text-xs text-gray-500">{format!("转化 {}", percent_text(s.rate_bps))}</span>
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

fn bars(rows: &[SalesRow]) -> Vec<Bar> {
    rows.iter()
        .map(|r| Bar {
            label: r.name.clone(),
            value: r.gmv,
            note: percent_text(r.share_bps),
        })
        .collect()
}

fn range_picker(base: &'static str, d: &Dashboard, days: String, custom: bool) -> AnyView {
    view! {
        <form method="get" action=base class="mt-6 flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 text-sm" data-test="range">
            <nav class="flex gap-1" aria-label="时间范围">
                {PRESETS.iter().map(|n| {
                    let on = days == n.to_string() || (days.is_empty() && !custom && *n == 7);
                    view! {
                        <a href=format!("{base}?days={n}") class="rounded-full px-4 py-1.5"
                            class:bg-promo=on class:text-white=on class:bg-gray-100={!on}
                            aria-current=on.then_some("page")>{format!("近 {n} 天")}</a>
                    }
                }).collect_view()}
            </nav>
            <label class="field"><span>"开始日期"</span><input type="date" name="from" value=d.range.from.clone() class="input h-9 w-40 text-sm" /></label>
            <label class="field"><span>"结束日期"</span><input type="date" name="to" value=d.range.to.clone() class="input h-9 w-40 text-sm" /></label>
            <button type="submit" class="btn-primary h-9 px-6 text-sm">"查询"</button>
            <span class="text-xs text-gray-400">"自定义范围最长一年"</span>
        </form>
    }
    .into_any()
}

#[component]
fn KpiCards(
    kpis: Vec<Kpi>,
    test: &'static str,
    /// what the comparison is: 昨日 or 上期
    before: &'static str,
) -> impl IntoView {
    view! {
        <section class="mt-2 grid grid-cols-5 gap-3" data-test=test>
            {kpis.into_iter().map(|k| {
                let change = k.change_text();
                let up = k.value >= k.previous;
                view! {
                    <div class="rounded-lg bg-white p-4" data-kpi=k.key.clone()>
                        <p class="text-xs text-gray-500">{k.label.clone()}</p>
                        <p class="mt-1 text-xl font-bold tabular-nums" data-test="kpi-value">{k.value_text()}</p>
                        <p class="mt-1 text-xs text-gray-400">
                            {match change {
                                Some(c) => view! { <span class:text-promo=up class:text-green-600={!up}>{c}</span> }.into_any(),
                                None => view! { <span>"—"</span> }.into_any(),
                            }}
                            {format!(" {before} {}", k.unit.text(k.previous))}
                        </p>
                    </div>
                }
            }).collect_view()}
        </section>
    }
}
