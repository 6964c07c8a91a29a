//! Shopper sign-in and sign-up.

use leptos::prelude::*;
use leptos_meta::Title;

use super::TopBar;
use crate::api::auth::{Register, SignIn};
use crate::domain::account::Realm;
use crate::ui::common::{ErrorBanner, PasswordInput};
use crate::ui::kit::{form_error, FieldError, FormBanner, FormError};

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let error = form_error(move || action.value().get());
    view! {
        <Title text="登录" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-white">
            <TopBar title="手机号登录" />
            <div class="px-6 pt-8">
                <h1 class="text-2xl font-bold">"欢迎回来"</h1>
                <p class="mt-1 text-sm text-gray-500">"登录集市，买遍本地好物"</p>
                <ActionForm action=action>
                    <input type="hidden" name="realm" value=Realm::Shopper.as_str() />
                    <div class="mt-6 flex flex-col gap-4">
                        <ErrorBanner message=error />
                        <label class="field">
                            <span>"手机号"</span>
                            <input name="login" type="tel" inputmode="numeric" autocomplete="tel" placeholder="请输入手机号" required class="input" />
                        </label>
                        <label class="field">
                            <span>"密码"</span>
                            <PasswordInput name="password" placeholder="请输入密码" />
                        </label>
                        <button type="submit" class="btn-primary w-full" disabled=move || action.pending().get()>
                            {move || if action.pending().get() { "登录中…" } else { "登录" }}
                        </button>
                    </div>
                </ActionForm>
                <p class="mt-6 text-center text-sm text-gray-500">
                    "还没有账号？" <a href="/register" class="text-promo">"立即注册"</a>
                </p>
                <p class="mt-2 text-center text-sm"><a href="/" class="text-gray-400">"先随便逛逛"</a></p>
            </div>
        </div>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let form = FormError::new(move || action.value().get());
    view! {
        <Title text="注册" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-white">
            <TopBar title="注册" />
            <div class="px-6 pt-8">
                <h1 class="text-2xl font-bold">"注册集市账号"</h1>
                <ActionForm action=action>
                    <div class="mt-6 flex flex-col gap-4">
                        <FormBanner form />
                        <label class="field">
                            <span>"手机号"</span>
                            <input name="phone" type="tel" inputmode="numeric" autocomplete="tel" placeholder="11位手机号" required class="input" />
                            <FieldError form field="phone" />
                        </label>
                        <label class="field">
                            <span>"昵称（选填）"</span>
                            <input name="nickname" type="text" maxlength="20" placeholder="不填则用手机尾号" class="input" />
                            <FieldError form field="nickname" />
                        </label>
                        <label class="field">
                            <span>"密码"</span>
                            <PasswordInput name="password" placeholder="8-64位，含字母和数字" autocomplete="new-password" />
                            <FieldError form field="password" />
                        </label>
                        <button type="submit" class="btn-primary w-full" disabled=move || action.pending().get()>
                            {move || if action.pending().get() { "注册中…" } else { "注册并登录" }}
                        </button>
                    </div>
                </ActionForm>
                <p class="mt-6 text-center text-sm text-gray-500">
                    "已有账号？" <a href="/login" class="text-promo">"去登录"</a>
                </p>
            </div>
        </div>
    }
}
