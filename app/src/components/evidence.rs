//! 佐证材料 on the phone: a photo or a PDF chosen in a ledger form is made
//! ready here (photos scaled to 1,600 px on their longest side and saved as
//! JPEG, which also drops their location and other metadata), checked by
//! the domain's rules, named by its hash and kept in IndexedDB until the
//! server has it; and the files of an entry are shown, from the device
//! while they wait, from the server after.

use crate::api::evidence_url;
use crate::evidence_files;
use crate::i18n::use_i18n;
use chengnuo_domain::evidence::{
    content_hash, scaled_size, Evidence, EvidenceKind, MAX_FILE_BYTES, PHOTO_QUALITY,
};
use chengnuo_domain::ids::CommitmentId;
use chengnuo_domain::ids::PersonId;
use chengnuo_domain::messages::Message;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a chosen file was not added.
pub enum NotAdded {
    /// The domain's rule (kind, size), in the person's language.
    Rule(Message),
    /// This device could not keep it (storage full or refused).
    Storage,
}

/// A chosen file, ready: scaled if a photo, checked, kept on the device.
pub async fn prepare(person: PersonId, file: web_sys::File) -> Result<Evidence, NotAdded> {
    let name = file.name();
    let blob: web_sys::Blob = if file.type_().starts_with("image/") {
        scale(&file)
            .await
            .ok_or(NotAdded::Rule(Message::FileKindNotTaken))?
    } else {
        file.into()
    };
    let bytes = evidence_files::bytes(&blob)
        .await
        .map_err(|_| NotAdded::Storage)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(NotAdded::Rule(Message::FileTooLarge {
            max: (MAX_FILE_BYTES / (1024 * 1024)) as usize,
        }));
    }
    let kind = EvidenceKind::sniff(&bytes).ok_or(NotAdded::Rule(Message::FileKindNotTaken))?;
    let hash = content_hash(&bytes);
    evidence_files::put(person, &hash, &bytes)
        .await
        .map_err(|_| NotAdded::Storage)?;
    Ok(Evidence {
        hash,
        kind,
        size: bytes.len() as u64,
        name,
    })
}

/// The photo drawn at most 1,600 px on its longest side, as a JPEG (on
/// white: a transparent PNG has no black background). `None`: the browser
/// cannot read it as an image.
async fn scale(file: &web_sys::File) -> Option<web_sys::Blob> {
    let window = web_sys::window()?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(file).ok()?)
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    let (width, height) = scaled_size(bitmap.width(), bitmap.height());
    let canvas = web_sys::OffscreenCanvas::new(width, height).ok()?;
    let context: web_sys::OffscreenCanvasRenderingContext2d =
        canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context.set_fill_style_str("#fff");
    context.fill_rect(0.0, 0.0, width as f64, height as f64);
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, width as f64, height as f64)
        .ok()?;
    bitmap.close();
    let options = web_sys::ImageEncodeOptions::new();
    options.set_type("image/jpeg");
    options.set_quality(PHOTO_QUALITY);
    JsFuture::from(canvas.convert_to_blob_with_options(&options).ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// An entry's files: photos as thumbnails, PDFs as links. `on_device`: the
/// entry waits to be sent, its files are read from this device.
#[component]
pub fn EvidenceList(
    commitment: CommitmentId,
    files: Vec<Evidence>,
    on_device: bool,
    #[prop(optional)] remove: Option<Callback<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let person = crate::state::use_state()
        .workspace
        .with_untracked(|w| w.as_ref().map(|w| w.me.id()));
    (!files.is_empty()).then(|| {
        view! {
            <ul class="evidence" data-testid="evidence">
                {files.into_iter().map(|file| {
                    let hash = file.hash.clone();
                    let name = if file.name.is_empty() { format!("{}.{}", &file.hash[..8], file.kind.extension()) } else { file.name.clone() };
                    let source = LocalResource::new({
                        let hash = hash.clone();
                        move || {
                            let hash = hash.clone();
                            async move {
                                if !on_device {
                                    return Some(evidence_url(commitment, &hash));
                                }
                                let blob = evidence_files::blob(person?, &hash, file.kind.content_type()).await?;
                                web_sys::Url::create_object_url_with_blob(&blob).ok()
                            }
                        }
                    });
                    // A photo read from the device is shown through an object
                    // URL, given back when the list is drawn again.
                    on_cleanup(move || {
                        if let Some(Some(url)) = source.get_untracked() {
                            if url.starts_with("blob:") {
                                let _ = web_sys::Url::revoke_object_url(&url);
                            }
                        }
                    });
                    let label = name.clone();
                    let size = format!("{} KB", file.size.div_ceil(1024));
                    view! {
                        <li data-testid="evidence-file">
                            {move || source.get().flatten().map(|url| if file.kind.is_image() {
                                {
                                let link = url.clone();
                                view! { <a href=link target="_blank" rel="noopener"><img src=url alt=label.clone() loading="lazy" width="96" height="96"/></a> }.into_any()
                            }
                            } else {
                                view! { <a href=url download=label.clone()>"PDF · "{label.clone()}</a> }.into_any()
                            })}
                            <span class="hint">{size.clone()}</span>
                            {remove.map(|remove| {
                                let hash = hash.clone();
                                let named = name.clone();
                                view! {
                                    <button type="button" class="link" on:click=move |_| remove.run(hash.clone())>
                                        {move || i18n.text(Words::Remove)}
                                        <span class="visually-hidden">" "{named.clone()}</span>
                                    </button>
                                }
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

/// The files chosen in a form, as the form keeps them (JSON in the
/// workspace's typing, under a key ending in `CHOSEN_FILES`, so they stay on
/// the device with the typed text).
pub fn chosen_files(json: &str) -> Vec<Evidence> {
    crate::json::from_str(json).unwrap_or_default()
}

/// Choosing files for a form (a ledger entry, a rectification report):
/// camera, gallery or PDF, several at once, each made ready ([`prepare`])
/// one after the other and kept on the device before it is listed; one
/// that cannot be is named with the reason (in `errors`, field
/// `evidence:NAME`), the rest stay; each listed with a remove button.
#[component]
pub fn EvidencePicker(
    commitment: CommitmentId,
    /// Where the form keeps the chosen files in the workspace's typing.
    key: String,
    /// The file input's id (its label names it).
    input_id: String,
    errors: ReadSignal<chengnuo_domain::messages::ValidationErrors>,
    set_errors: WriteSignal<chengnuo_domain::messages::ValidationErrors>,
) -> impl IntoView {
    use chengnuo_domain::evidence::MAX_FILES_PER_ENTRY;
    let i18n = use_i18n();
    let state = crate::state::use_state();
    let read = {
        let key = key.clone();
        move || {
            state.workspace.with(|w| {
                chosen_files(
                    &w.as_ref()
                        .and_then(|w| w.typing.get(&key).cloned())
                        .unwrap_or_default(),
                )
            })
        }
    };
    let write = {
        let key = key.clone();
        move |files: Vec<Evidence>| {
            let key = key.clone();
            let json = crate::json::to_string(&files).unwrap_or_default();
            state.update(move |w| {
                if files.is_empty() {
                    w.typing.remove(&key);
                } else {
                    w.typing.insert(key, json);
                }
            });
            state.save_now();
        }
    };
    let (adding, set_adding) = signal(false);
    let choose = {
        let (read, write) = (read.clone(), write.clone());
        move |event: leptos::ev::Event| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(list) = input.files() else {
                return;
            };
            let picked: Vec<web_sys::File> =
                (0..list.length()).filter_map(|n| list.get(n)).collect();
            input.set_value("");
            set_adding.set(true);
            let (read, write) = (read.clone(), write.clone());
            leptos::task::spawn_local(async move {
                let mut problems = chengnuo_domain::messages::ValidationErrors::default();
                for file in picked {
                    let name = file.name();
                    let Some(person) = state
                        .workspace
                        .with_untracked(|w| w.as_ref().map(|w| w.me.id()))
                    else {
                        break;
                    };
                    match prepare(person, file).await {
                        Ok(ready) => {
                            let mut files = untrack(&read);
                            if files.len() >= MAX_FILES_PER_ENTRY {
                                problems.push(
                                    "evidence",
                                    Message::TooManyFiles {
                                        max: MAX_FILES_PER_ENTRY,
                                    },
                                );
                                break;
                            }
                            if !files.iter().any(|f| f.hash == ready.hash) {
                                files.push(ready);
                            }
                            write(files);
                        }
                        Err(NotAdded::Rule(message)) => {
                            problems.push(format!("evidence:{name}"), message)
                        }
                        Err(NotAdded::Storage) => {
                            problems.push(format!("evidence:{name}"), Message::StorageRefused)
                        }
                    }
                }
                set_adding.set(false);
                set_errors.set(problems);
            });
        }
    };
    let remove = {
        let (read, write) = (read.clone(), write.clone());
        Callback::new(move |hash: String| {
            let files: Vec<Evidence> = untrack(&read)
                .into_iter()
                .filter(|f| f.hash != hash)
                .collect();
            write(files);
        })
    };
    let files = Memo::new(move |_| read());
    view! {
        <label for=input_id.clone()>{move || i18n.text(Words::AddFiles)}</label>
        <input id=input_id type="file" accept="image/*,application/pdf" multiple on:change=choose/>
        {move || adding.get().then(|| view! { <p class="hint" role="status">{i18n.text(Words::Preparing)}</p> })}
        {move || {
            let problems: Vec<String> = errors.with(|e| e.0.iter()
                .filter(|f| f.field.starts_with("evidence"))
                .map(|f| {
                    let name = f.field.strip_prefix("evidence:").unwrap_or_default();
                    let text = f.message.text(i18n.locale());
                    if name.is_empty() { text } else { format!("{name}: {text}") }
                })
                .collect());
            problems.into_iter().map(|p| view! { <p class="field-error" role="alert">{p}</p> }).collect_view()
        }}
        {move || view! { <EvidenceList commitment=commitment files=files.get() on_device=true remove=remove/> }}
    }
}

crate::i18n::texts! {
    Words;
    Remove => "移除", "Remove";
    AddFiles => "佐证材料（拍照、相册或 PDF，可多选）", "Evidence (camera, gallery or PDF; several at once)";
    Preparing => "正在处理照片…", "Preparing the photos…";
}
