//! Builds the Leptos client into `dist/`: the wasm split at its
//! `#[wasm_split]` points (`app/src/on_demand.rs`: the first load, and a module per screen or part loaded when
//! first opened), its JS glue, all in a folder named after their content hash
//! (served immutable), the CSS from `style/`, the public files (manifest,
//! icons), an `index.html` and a service worker whose precache list (the first
//! load only) and cache version are written from the files just built.

use crate::{cargo, status, Result};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";

/// The folder of the split client inside `dist/` starts with this.
pub const APP_FOLDER: &str = "app-";

/// The stylesheet of the on-demand screens, in the app's folder.
pub const SCREENS_CSS: &str = "screens.css";

pub fn build(root: &Path) -> Result {
    let wasm = compile_wasm(root, "chengnuo-app", "chengnuo-app.wasm")?;
    let dist = root.join("dist");
    let staging = root.join("target").join("bindgen");
    split_and_bind(&wasm, &staging)?;
    // The styles of the screens loaded on demand (`style/screens/`): beside
    // their parts, fetched by the first of them opened, never in the first load.
    let screens_css = concatenated_css(&root.join("style").join("screens"))?;
    fs::write(staging.join(SCREENS_CSS), screens_css).map_err(io(&staging))?;

    let _ = fs::remove_dir_all(&dist);
    fs::create_dir_all(&dist).map_err(io(&dist))?;
    // What the browser must have to start the app offline: written into sw.js.
    // The screens loaded on demand are not in it: the service worker keeps
    // each the first time it is opened (a member never downloads the
    // secretaries' screens).
    let mut shell = vec!["/".to_owned()];

    let folder = format!("{APP_FOLDER}{}", tree_hash(&staging)?);
    let mut app_files = Vec::new();
    copy_tree(
        &staging,
        &dist.join(&folder),
        &mut app_files,
        &format!("/{folder}"),
    )?;
    let on_demand = |path: &String| {
        (path.ends_with(".wasm") && !path.ends_with("/chengnuo_bg.wasm"))
            || path.ends_with(&format!("/{SCREENS_CSS}"))
    };
    shell.extend(app_files.iter().filter(|p| !on_demand(p)).cloned());
    let js = format!("/{folder}/chengnuo.js");
    let wasm = format!("/{folder}/chengnuo_bg.wasm");

    let css = concatenated_css(&root.join("style"))?;
    let css_name = write_hashed(&dist, "style", "css", css.as_bytes())?;
    // A module script of our own (not inline) so the CSP can forbid inline scripts.
    let loader = fs::read_to_string(root.join("app").join("loader.js"))
        .map_err(|e| format!("app/loader.js: {e}"))?
        .replace("{{js}}", &js)
        .replace("{{wasm}}", &wasm);
    let loader_name = write_hashed(&dist, "loader", "js", loader.as_bytes())?;
    for name in [&css_name, &loader_name] {
        shell.push(format!("/{name}"));
    }
    copy_tree(&root.join("app").join("public"), &dist, &mut shell, "")?;

    let template = fs::read_to_string(root.join("app").join("index.html"))
        .map_err(|e| format!("app/index.html: {e}"))?;
    let index = template
        .replace("{{css}}", &format!("/{css_name}"))
        .replace("{{loader}}", &format!("/{loader_name}"))
        .replace("{{screens_css}}", &format!("/{folder}/{SCREENS_CSS}"))
        .replace("{{js}}", &js)
        .replace("{{wasm}}", &wasm);
    fs::write(dist.join("index.html"), &index).map_err(io(&dist))?;
    shell.push("/index.html".to_owned());
    shell.sort();

    write_service_worker(root, &dist, &shell, &index)?;
    precompress(&dist)?;
    eprintln!("xtask: client built into {}", dist.display());
    Ok(())
}

/// Splits the wasm at its lazy points (Leptos's splitter, the one
/// cargo-leptos runs) and generates the JS glue of the main part, into
/// `out`: `chengnuo.js`, `chengnuo_bg.wasm`, `__wasm_split.js` (which loads
/// the other parts, relative to itself) and a `.wasm` per part.
fn split_and_bind(wasm: &Path, out: &Path) -> Result {
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out).map_err(io(out))?;
    let bytes = fs::read(wasm).map_err(io(wasm))?;
    let main = out.join("main.wasm");
    let mut options = wasm_split_cli_support::Options::new(&bytes);
    options.output_dir = out;
    options.main_out_path = &main;
    options.link_name = "./__wasm_split.js";
    options.main_module = "./chengnuo.js";
    wasm_split_cli_support::transform(options).map_err(|e| format!("wasm-split: {e:?}"))?;
    let loader = out.join("__wasm_split.js");
    let compact = crate::split_loader::compact(&fs::read_to_string(&loader).map_err(io(&loader))?)?;
    fs::write(&loader, compact).map_err(io(&loader))?;
    bindgen(&main, out, "chengnuo", Flavour::Web)?;
    let (wasm_file, js_file) = (out.join("chengnuo_bg.wasm"), out.join("chengnuo.js"));
    let (wasm, js) = crate::import_names::shorten(
        &fs::read(&wasm_file).map_err(io(&wasm_file))?,
        &fs::read_to_string(&js_file).map_err(io(&js_file))?,
        "./chengnuo_bg.js",
    )?;
    fs::write(&wasm_file, wasm).map_err(io(&wasm_file))?;
    fs::write(&js_file, js).map_err(io(&js_file))?;
    // The main part with its function names, for `twiggy top` (what the
    // first load is made of); the served one has none.
    let named = crate::workspace_root()
        .join("target")
        .join("client-main-named.wasm");
    fs::copy(&main, &named).map_err(io(&named))?;
    fs::remove_file(&main).map_err(io(&main))
}

/// One hash of every file under `dir`, names included.
fn tree_hash(dir: &Path) -> Result<String> {
    fn collect(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result {
        for entry in fs::read_dir(dir).map_err(io(dir))? {
            let path = entry.map_err(io(dir))?.path();
            if path.is_dir() {
                collect(&path, out)?;
            } else {
                out.push((
                    path.display().to_string(),
                    fs::read(&path).map_err(io(&path))?,
                ));
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    let mut all = Vec::new();
    for (name, bytes) in files {
        all.extend(name.into_bytes());
        all.extend(bytes);
    }
    Ok(short_hash(&all))
}

/// Compiles a package of the workspace for the browser; returns the path of
/// `artifact` (a binary keeps its dashes, a library's become underscores).
fn compile_wasm(root: &Path, package: &str, artifact: &str) -> Result<PathBuf> {
    ensure_wasm_target()?;
    let mut command = Command::new(cargo());
    command
        .args([
            "build",
            "--package",
            package,
            "--target",
            TARGET,
            "--profile",
            PROFILE,
            // Leptos erases component types into `AnyView`: the client's
            // wasm is about an eighth smaller (see BENCHMARKS.md).
            // Relocations let the splitter cut the wasm into parts (both the
            // client and the agreement runner build with the same flags, so
            // they share their compiled dependencies).
            // `-Zlocation-detail=none`: a panic in the browser names no file,
            // line or column (the ~2,000 places that could panic keep no
            // location record); `-Zfmt-debug=shallow`: `{:?}` of a derived
            // type writes its name or variant only (the client writes `{:?}`
            // only into the console and into ids made of unit variants, which
            // read the same). Together 5.4 KB brotli of the first load
            // (BENCHMARKS.md). Both are compiler options not yet stable:
            // the stable toolchain is allowed
            // them by RUSTC_BOOTSTRAP for this build only. Should a toolchain
            // drop them, the build says so; without both flags the client
            // works the same, 5.4 KB larger.
            "--config",
            "target.wasm32-unknown-unknown.rustflags=[\"--cfg\", \"erase_components\", \"-C\", \"link-arg=--emit-relocs\", \"-Zlocation-detail=none\", \"-Zfmt-debug=shallow\"]",
        ])
        .env("RUSTC_BOOTSTRAP", "1")
        .current_dir(root);
    status(&mut command)?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target_dir.join(TARGET).join(PROFILE).join(artifact))
}

enum Flavour {
    Web,
    Node,
}

fn bindgen(wasm: &Path, out: &Path, name: &str, flavour: Flavour) -> Result {
    fs::create_dir_all(out).map_err(io(out))?;
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen.input_path(wasm).out_name(name);
    match flavour {
        Flavour::Web => bindgen.web(true),
        Flavour::Node => bindgen.nodejs(true),
    }
    .map_err(|e| e.to_string())?
    .typescript(false)
    .debug(false)
    .keep_debug(false)
    // The split parts call into the main part through these.
    .keep_lld_exports(true)
    // `CHENGNUO_WASM_NAMES=1`: function names kept, for a browser profile.
    .remove_name_section(std::env::var_os("CHENGNUO_WASM_NAMES").is_none())
    .remove_producers_section(true)
    .generate(out)
    .map_err(|e| format!("wasm-bindgen: {e}"))
}

/// The domain's agreement corpus runner for wasm32 and Node, used by
/// `tests/tests/wasm_agreement.rs`, into `target/agreement-wasm/`.
pub fn build_agreement(root: &Path) -> Result {
    let wasm = compile_wasm(root, "chengnuo-agreement", "chengnuo_agreement.wasm")?;
    let out = root.join("target").join("agreement-wasm");
    let _ = fs::remove_dir_all(&out);
    bindgen(&wasm, &out, "chengnuo_agreement", Flavour::Node)
}

fn ensure_wasm_target() -> Result {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("rustc: {e}"))?;
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_owned();
    if Path::new(&sysroot)
        .join("lib/rustlib")
        .join(TARGET)
        .exists()
    {
        return Ok(());
    }
    status(Command::new("rustup").args(["target", "add", TARGET]))
}

fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn write_hashed(dist: &Path, stem: &str, extension: &str, bytes: &[u8]) -> Result<String> {
    let name = format!("{stem}-{}.{extension}", short_hash(bytes));
    fs::write(dist.join(&name), bytes).map_err(io(dist))?;
    Ok(name)
}

/// Every `.css` file of `style/`, in name order, as one stylesheet,
/// minified (comments and spaces only the reader needs go).
fn concatenated_css(style: &Path) -> Result<String> {
    let css = joined_css(style)?;
    let minified = minifier::css::minify(&css)
        .map_err(|e| format!("{}: the stylesheet does not read: {e}", style.display()))?;
    Ok(minified.to_string())
}

fn joined_css(style: &Path) -> Result<String> {
    let mut files: Vec<PathBuf> = fs::read_dir(style)
        .map_err(io(style))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "css"))
        .collect();
    files.sort();
    let mut css = String::new();
    for file in files {
        css.push_str(&fs::read_to_string(&file).map_err(io(&file))?);
        css.push('\n');
    }
    Ok(css)
}

/// Generated JavaScript without what only a reader needs: documentation
/// blocks (`/** … */`) and whole-line `//` comments go, and each line's
/// indentation. Lines stay lines (no statement is joined to another), so
/// the code means what it meant. Only for the generated glue, whose
/// strings never span lines (checked: a backtick left open at the end of a
/// line stops the compaction and the text is kept as it is).
fn compact_js(text: &str) -> String {
    let spans_lines = text.lines().any(|line| line.matches('`').count() % 2 == 1);
    if spans_lines {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_doc = false;
    for line in text.lines() {
        let line = line.trim();
        if in_doc {
            in_doc = !line.contains("*/");
            continue;
        }
        if line.starts_with("/**") {
            in_doc = !line.contains("*/");
            continue;
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn copy_tree(from: &Path, to: &Path, shell: &mut Vec<String>, prefix: &str) -> Result {
    fs::create_dir_all(to).map_err(io(to))?;
    for entry in fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name), shell, &format!("{prefix}/{name}"))?;
        } else if name.ends_with(".js") {
            // The generated glue (wasm-bindgen's, the splitter's), compacted.
            let text = fs::read_to_string(&path).map_err(io(&path))?;
            fs::write(to.join(&name), compact_js(&text)).map_err(io(to))?;
            shell.push(format!("{prefix}/{name}"));
        } else {
            fs::copy(&path, to.join(&name)).map_err(io(&path))?;
            shell.push(format!("{prefix}/{name}"));
        }
    }
    Ok(())
}

/// The cache version is the hash of everything precached, so a new build makes
/// a new service worker, which the app offers to activate ("update available").
fn write_service_worker(root: &Path, dist: &Path, shell: &[String], index: &str) -> Result {
    let template = fs::read_to_string(root.join("app").join("sw.js"))
        .map_err(|e| format!("app/sw.js: {e}"))?;
    let version = short_hash(format!("{shell:?}{index}").as_bytes());
    let list = shell
        .iter()
        .map(|path| format!("  {path:?},"))
        .collect::<Vec<_>>()
        .join("\n");
    let worker = template
        .replace("__VERSION__", &version)
        .replace("/* __SHELL__ */", &list);
    fs::write(dist.join("sw.js"), worker).map_err(io(dist))
}

/// `.br` and `.gz` beside each text or wasm file, served by the server when the
/// browser accepts them: best compression once, at build time.
fn precompress(dir: &Path) -> Result {
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "wasm" | "js" | "css" | "html" | "webmanifest" | "svg"));
        if !compressible {
            continue;
        }
        let bytes = fs::read(&path).map_err(io(&path))?;
        let mut brotli = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 11, 22);
            writer.write_all(&bytes).map_err(io(&path))?;
        }
        fs::write(with_suffix(&path, "br"), brotli).map_err(io(&path))?;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&bytes).map_err(io(&path))?;
        let gzip = gzip.finish().map_err(io(&path))?;
        fs::write(with_suffix(&path, "gz"), gzip).map_err(io(&path))?;
    }
    Ok(())
}

pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}
