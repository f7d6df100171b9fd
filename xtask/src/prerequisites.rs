//! What the tests need beyond the Rust toolchain, installed only when missing:
//! Debian's Chromium (the browser tests drive it, it downloads nothing), a CJK
//! font (so screenshots show Chinese, not boxes), poppler-utils (the print test
//! reads the PDF Chromium printed with pdfinfo and pdftotext), and from npm
//! playwright-core (the driver; it uses /usr/bin/chromium and fetches no browser
//! of its own) and axe-core (the accessibility rules run on every screen), and
//! schemathesis from PyPI in a virtual environment (the API fuzzing test).

use crate::{status, Result};
use std::path::Path;
use std::process::Command;

const DEBIAN_PACKAGES: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    (
        "fonts-wqy-microhei",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    ),
    ("poppler-utils", "/usr/bin/pdftotext"),
    // the API tests' second pass runs on a private PostgreSQL cluster
    ("postgresql", "/usr/lib/postgresql/15/bin/initdb"),
];

pub fn install_for_tests(root: &Path) -> Result {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .filter(|(_, file)| !Path::new(file).exists())
        .map(|(package, _)| *package)
        .collect();
    if !missing.is_empty() {
        let root_user = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| o.stdout.starts_with(b"0"))
            .unwrap_or(false);
        let apt = |args: &[&str]| {
            let mut command = if root_user {
                Command::new("apt-get")
            } else {
                let mut sudo = Command::new("sudo");
                sudo.arg("apt-get");
                sudo
            };
            command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            status(&mut command)
        };
        apt(&["update", "-qq"])?;
        let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
        install.extend(&missing);
        apt(&install)?;
    }
    let browser = root.join("tests").join("browser");
    let modules = browser.join("node_modules");
    if !["playwright-core", "axe-core"]
        .iter()
        .all(|package| modules.join(package).exists())
    {
        status(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&browser),
        )?;
    }
    install_schemathesis(root)
}

/// The benchmarks' yardstick from npm: PouchDB and pouchdb-server
/// (`tests/pouchdb`), installed when missing. Only `cargo xtask bench` needs it.
pub fn install_pouchdb(root: &Path) -> Result {
    let folder = root.join("tests").join("pouchdb");
    let modules = folder.join("node_modules");
    if ["pouchdb-server", "pouchdb-node", "pouchdb-adapter-memory"]
        .iter()
        .all(|package| modules.join(package).exists())
    {
        return Ok(());
    }
    status(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&folder),
    )
}

/// The version of schemathesis the fuzzing test was written against.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// Schemathesis from PyPI in a virtual environment of its own
/// (`target/schemathesis`), made when missing.
fn install_schemathesis(root: &Path) -> Result {
    let venv = root.join("target").join("schemathesis");
    let marker = venv.join(SCHEMATHESIS);
    if marker.exists() {
        return Ok(());
    }
    status(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    status(Command::new(venv.join("bin").join("pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        SCHEMATHESIS,
    ]))?;
    std::fs::write(&marker, "installed\n").map_err(|e| format!("{}: {e}", marker.display()))
}
