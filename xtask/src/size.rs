//! The first-load budget (issue: 350 KB brotli, goal 250 KB) as a number anyone
//! can reproduce: `cargo xtask build-client && cargo xtask size`.

use crate::Result;
use std::fs;
use std::path::Path;

pub fn print(dist: &Path) -> Result {
    let mut total_raw = 0u64;
    let mut total_brotli = 0u64;
    let mut rows = Vec::new();
    let entries = fs::read_dir(dist)
        .map_err(|e| format!("{}: {e} (build the client first)", dist.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let first_load = name.ends_with(".wasm") || name.ends_with(".js") || name.ends_with(".css");
        if !first_load || name == "sw.js" {
            continue;
        }
        let raw = fs::metadata(&path).map_err(|e| e.to_string())?.len();
        let brotli = fs::metadata(crate::client::with_suffix(&path, "br"))
            .map_err(|e| e.to_string())?
            .len();
        total_raw += raw;
        total_brotli += brotli;
        rows.push(format!("{name:<40} {raw:>10} {brotli:>10}"));
    }
    rows.sort();
    println!("{:<40} {:>10} {:>10}", "file", "bytes", "brotli");
    for row in rows {
        println!("{row}");
    }
    println!(
        "{:<40} {total_raw:>10} {total_brotli:>10}",
        "first load (wasm + JS + CSS)"
    );
    Ok(())
}
