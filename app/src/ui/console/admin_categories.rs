//! 平台管理 › 分类管理: the category tree with commission rates; add, edit, enable/disable.
//! The form is chosen by the query (`?edit=ID`, `?parent=ID`), so it works without scripts too.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::ConsoleShell;
use crate::api::admin_categories::{admin_categories, SaveCategory};
use crate::domain::account::Realm;
use crate::domain::category::CategoryAdminRow;
use crate::domain::category::MAX_CATEGORY_LEVEL;
use crate::ui::kit::{Col, DataTable, FieldError, FormBanner, FormError, Loaded};

const LEVEL_NAMES: [&str; 3] = ["一级", "二级", "三级"];

#[component]
pub fn AdminCategoriesPage() -> impl IntoView {
    let save = ServerAction::<SaveCategory>::new();
    let rows = Resource::new(|| (), |_| admin_categories());
    let query = use_query_map();
    let form = FormError::new(move || save.value().get());
    view! {
        <Title text="分类管理" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"分类管理"</h1>
            <p class="mt-1 text-sm text-gray-500">"最多三级。佣金比例按商品所属分类计算，修改后只影响之后下的订单。"</p>
            <Loaded resource=rows let:rows>
                {{
                    let q = query.read();
                    let id_of = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
                    let editing = id_of("edit").and_then(|id| rows.iter().find(|r| r.id == id).cloned());
                    let parent = id_of("parent").and_then(|id| rows.iter().find(|r| r.id == id).cloned());
                    view! {
                        <div class="mt-6 flex items-start gap-6">
                            <CategoryTable rows=rows />
                            <CategoryForm save=save editing=editing parent=parent form=form />
                        </div>
                    }
                        .into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
fn CategoryTable(rows: Vec<CategoryAdminRow>) -> impl IntoView {
    view! {
        <DataTable columns=vec![Col::text("分类"), Col::text("层级"), Col::num("佣金"), Col::num("排序"), Col::text("状态"), Col::text("操作")] rows test="category-table" class="min-w-0 flex-1" dense=true let:r>
            {
                let indent = format!("padding-left: {}px", 16 + 24 * (r.level - 1));
                view! {
                    <tr class:text-gray-400=!r.enabled>
                        <td class="py-2.5 pr-4" style=indent>
                            <span class="mr-1.5">{r.icon.clone()}</span>
                            {r.name.clone()}
                        </td>
                        <td>{LEVEL_NAMES.get((r.level - 1) as usize).copied().unwrap_or("")}</td>
                        <td class="num tabular-nums">{format!("{}%", r.commission_percent)}</td>
                        <td class="num tabular-nums">{r.sort_order}</td>
                        <td>{if r.enabled { "启用" } else { "停用" }}</td>
                        <td class="space-x-3 whitespace-nowrap">
                            <a class="text-promo" href=format!("/admin/categories?edit={}", r.id)>"编辑"</a>
                            {(r.level < MAX_CATEGORY_LEVEL)
                                .then(|| view! {
                                    <a class="text-gray-500 hover:text-promo" href=format!("/admin/categories?parent={}", r.id)>"添加下级"</a>
                                })}
                        </td>
                    </tr>
                }
            }
        </DataTable>
    }
}

#[component]
fn CategoryForm(
    save: ServerAction<SaveCategory>,
    editing: Option<CategoryAdminRow>,
    parent: Option<CategoryAdminRow>,
    form: FormError,
) -> impl IntoView {
    let title = match (&editing, &parent) {
        (Some(e), _) => format!("编辑「{}」", e.name),
        (None, Some(p)) => format!("在「{}」下新增分类", p.name),
        (None, None) => "新增一级分类".to_string(),
    };
    let e = editing.clone();
    let (name, icon, sort, percent, enabled) = match &e {
        Some(e) => (
            e.name.clone(),
            e.icon.clone(),
            e.sort_order,
            e.commission_percent.clone(),
            e.enabled,
        ),
        // a new child starts with its parent's rate
        None => (
            String::new(),
            String::new(),
            0,
            parent
                .as_ref()
                .map(|p| p.commission_percent.clone())
                .unwrap_or_else(|| "5.00".into()),
            true,
        ),
    };
    view! {
        <section class="w-80 shrink-0 rounded-lg bg-white p-5">
            <h2 class="mb-4 font-bold" data-test="category-form-title">{title}</h2>
            <ActionForm action=save>
                <div class="flex flex-col gap-3">
                    <FormBanner form />
                    {editing.map(|e| view! { <input type="hidden" name="id" value=e.id /> })}
                    {parent.map(|p| view! { <input type="hidden" name="parent_id" value=p.id /> })}
                    <label class="field">
                        <span>"名称"</span>
                        <input name="name" class="input" maxlength="20" required value=name.clone() prop:value=name />
                        <FieldError form field="name" />
                    </label>
                    <label class="field">
                        <span>"图标（表情符号，可留空）"</span>
                        <input name="icon" class="input" value=icon.clone() prop:value=icon />
                        <FieldError form field="icon" />
                    </label>
                    <label class="field">
                        <span>"佣金比例（%）"</span>
                        <input name="commission_percent" class="input" inputmode="decimal" required value=percent.clone() prop:value=percent />
                        <FieldError form field="commission_percent" />
                    </label>
                    <label class="field">
                        <span>"排序（小的在前）"</span>
                        <input name="sort_order" type="number" min="0" max="9999" class="input" required value=sort prop:value=sort.to_string() />
                        <FieldError form field="sort_order" />
                    </label>
                    <label class="flex items-center gap-2 text-sm">
                        <input name="enabled" type="checkbox" checked=enabled prop:checked=enabled />
                        "启用（停用后前台不显示该分类及其下级）"
                    </label>
                    <button type="submit" class="btn-primary" disabled=move || save.pending().get()>"保存"</button>
                    <a href="/admin/categories" class="text-center text-sm text-gray-500">"取消"</a>
                </div>
            </ActionForm>
        </section>
    }
}
