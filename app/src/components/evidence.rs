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
pub async fn prepare(file: web_sys::File) -> Result<Evidence, NotAdded> {
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
    evidence_files::put(&hash, &bytes)
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
                                let blob = evidence_files::blob(&hash, file.kind.content_type()).await?;
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
                                        {move || i18n.text(Words::EvidenceRemove)}
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

crate::i18n::texts! {
    Words;
    EvidenceRemove => "移除", "Remove";
}
