//! The image picker every form uses: uploads as soon as files are chosen (decoded, checked and
//! re-encoded on the server), shows thumbnails, and keeps the keys in a hidden input so the
//! surrounding form submits them. A server-rendered form takes the island [`ImageField`]; an
//! island's own form (the console editors) puts [`ImageUpload`] on its signal.

use leptos::prelude::*;

use crate::api::uploads::upload_image;
use crate::domain::storefront::image_url;

/// The picker as an island, for a form rendered on the server.
#[island]
pub fn ImageField(
    /// name of the hidden input carrying the keys (space-separated)
    #[prop(into)]
    name: String,
    /// the stored pictures' keys, where it starts
    #[prop(optional)]
    initial: Option<Vec<String>>,
    /// at most this many pictures (default 1)
    #[prop(optional)]
    max: Option<usize>,
    #[prop(into)] label: String,
) -> impl IntoView {
    let keys = RwSignal::new(initial.unwrap_or_default());
    let max = max.unwrap_or(1);
    view! { <ImageUpload name keys max label /> }
}

/// The picker on a signal the surrounding island reads.
#[component]
pub fn ImageUpload(
    /// name of the hidden input carrying the keys (space-separated)
    #[prop(into)]
    name: String,
    keys: RwSignal<Vec<String>>,
    #[prop(default = 1)] max: usize,
    #[prop(into)] label: String,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let test_id = name.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(list) = input.files() else {
            return;
        };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        input.set_value("");
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            for file in files {
                if keys.with_untracked(|k| k.len()) >= max {
                    break;
                }
                let Ok(form) = web_sys::FormData::new() else {
                    break;
                };
                if form.append_with_blob("file", &file).is_err() {
                    break;
                }
                match upload_image(form.into()).await {
                    Ok(img) => keys.update(|k| {
                        if k.len() < max && !k.contains(&img.key) {
                            k.push(img.key)
                        }
                    }),
                    Err(e) => {
                        error.set(Some(e.to_string()));
                        break;
                    }
                }
            }
            busy.set(false);
        });
    };
    view! {
        <div class="flex flex-col gap-1">
            <div class="flex flex-wrap gap-2">
                <input type="hidden" name=name value=move || keys.get().join(" ") prop:value=move || keys.get().join(" ") />
                {move || {
                    keys.get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, k)| {
                            view! {
                                <div class="relative h-20 w-20">
                                    <img src=image_url(&k, 240) alt="" class="h-20 w-20 rounded-md object-cover" />
                                    <button
                                        type="button"
                                        aria-label="删除这张图片"
                                        class="absolute -right-1.5 -top-1.5 h-5 w-5 rounded-full bg-black/60 text-xs leading-5 text-white"
                                        on:click=move |_| keys.update(|v| { v.remove(i); })
                                    >
                                        "×"
                                    </button>
                                </div>
                            }
                        })
                        .collect_view()
                }}
                <Show when=move || keys.with(|k| k.len() < max)>
                    <label class="flex h-20 w-20 cursor-pointer flex-col items-center justify-center rounded-md border border-dashed border-gray-300 bg-white text-xs text-gray-400">
                        <span class="text-2xl leading-none">{move || if busy.get() { "…" } else { "+" }}</span>
                        {label.clone()}
                        <input
                            type="file"
                            accept="image/jpeg,image/png,image/webp"
                            class="sr-only"
                            multiple={max > 1}
                            data-test=format!("upload-{test_id}")
                            on:change=on_change
                        />
                    </label>
                </Show>
            </div>
            {move || error.get().map(|e| view! { <p role="alert" class="text-xs text-promo">{e}</p> })}
        </div>
    }
}
