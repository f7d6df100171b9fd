//! The first load and each part loaded on demand, in bytes and brotli, as
//! numbers anyone can reproduce: `cargo xtask build-client && cargo xtask size`.
//! The budget (the member's first load: hard bar 270 KB brotli since issue 29)
//! is what a member drafting on a phone downloads: the main wasm, its JS glue,
//! the split loader, the CSS and the page's loader; the on-demand screens'
//! stylesheet and every other `.wasm` of the
//! app's folder is a screen loaded the first time it is opened.

use crate::Result;
use std::fs;
use std::path::Path;

struct Part {
    name: String,
    raw: u64,
    brotli: u64,
    first_load: bool,
}

fn collect(dir: &Path, prefix: &str, out: &mut Vec<Part>) -> Result {
    let entries = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e} (build the client first)", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let name = format!("{prefix}{file}");
        if path.is_dir() {
            collect(&path, &format!("{name}/"), out)?;
            continue;
        }
        let counted = file.ends_with(".wasm") || file.ends_with(".js") || file.ends_with(".css");
        if !counted || name == "sw.js" {
            continue;
        }
        let raw = fs::metadata(&path).map_err(|e| e.to_string())?.len();
        let brotli = fs::metadata(crate::client::with_suffix(&path, "br"))
            .map_err(|e| e.to_string())?
            .len();
        let on_demand = (file.ends_with(".wasm") && file != "chengnuo_bg.wasm")
            || file == crate::client::SCREENS_CSS;
        out.push(Part {
            name,
            raw,
            brotli,
            first_load: !on_demand,
        });
    }
    Ok(())
}

pub fn print(dist: &Path) -> Result {
    let mut parts = Vec::new();
    collect(dist, "", &mut parts)?;
    parts.sort_by(|a, b| (!a.first_load, &a.name).cmp(&(!b.first_load, &b.name)));
    println!("{:<64} {:>10} {:>10}", "file", "bytes", "brotli");
    let (mut raw, mut brotli) = (0, 0);
    for part in parts.iter().filter(|p| p.first_load) {
        println!("{:<64} {:>10} {:>10}", part.name, part.raw, part.brotli);
        raw += part.raw;
        brotli += part.brotli;
    }
    println!(
        "{:<64} {raw:>10} {brotli:>10}",
        "first load (what a member's phone downloads)"
    );
    let (mut later_raw, mut later_brotli) = (0, 0);
    for part in parts.iter().filter(|p| !p.first_load) {
        println!("{:<64} {:>10} {:>10}", part.name, part.raw, part.brotli);
        later_raw += part.raw;
        later_brotli += part.brotli;
    }
    println!(
        "{:<64} {later_raw:>10} {later_brotli:>10}",
        "on demand (each screen's part, the first time it is opened)"
    );
    Ok(())
}
