//! The browser entry point: the wasm starts here (built by `cargo xtask build-client`).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(chengnuo_app::App);
}
