//! The browser entry point: the wasm starts here (built by `cargo xtask build-client`).

fn main() {
    console_error_panic_hook::set_once();
    // The device's store is read before the app is drawn (a few
    // milliseconds): the first screen is the person's, offline too.
    wasm_bindgen_futures::spawn_local(async {
        let booted = chengnuo_app::boot().await;
        leptos::mount::mount_to_body(move || leptos::view! { <chengnuo_app::App booted=booted/> });
    });
}
