//! Short names for what the main wasm imports from its JS glue.
//!
//! wasm-bindgen names each import after the function and a 16-digit hash
//! (`__wbg_addEventListener_847fd86b8c33ec43`); every name is written twice,
//! in the wasm's import section and in the glue's import object, and the
//! hashes do not compress: ~5 KB brotli of the first load (BENCHMARKS.md,
//! "First load"). After wasm-bindgen, each import of the glue module is
//! renamed `w0`, `w1`, … in both files. Only the import section's names
//! change (every other byte of the wasm is copied), and in the JS only
//! whole identifiers equal to an old name.

use crate::Result;
use std::collections::HashMap;

/// Renames the imports of `module` (the glue's own name, such as
/// `./chengnuo_bg.js`) in `wasm` and in `js`.
pub fn shorten(wasm: &[u8], js: &str, module: &str) -> Result<(Vec<u8>, String)> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("import names: not a wasm module".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut renamed = HashMap::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (size, body_at) = read_leb(wasm, at + 1)?;
        let body = wasm
            .get(body_at..body_at + size)
            .ok_or("import names: a section runs past the end")?;
        let body = if id == IMPORT_SECTION {
            rename_imports(body, module, &mut renamed)?
        } else {
            body.to_vec()
        };
        out.push(id);
        write_leb(&mut out, body.len());
        out.extend(body);
        at = body_at + size;
    }
    Ok((out, rename_identifiers(js, &renamed)))
}

const IMPORT_SECTION: u8 = 2;

fn rename_imports(
    body: &[u8],
    module: &str,
    renamed: &mut HashMap<String, String>,
) -> Result<Vec<u8>> {
    let (count, mut at) = read_leb(body, 0)?;
    let mut out = Vec::new();
    write_leb(&mut out, count);
    for _ in 0..count {
        let (from, next) = read_name(body, at)?;
        let (name, next) = read_name(body, next)?;
        let description = next;
        at = skip_description(body, description)?;
        let name = if from == module {
            let short = format!("w{:x}", renamed.len());
            renamed.insert(name.to_owned(), short.clone());
            short
        } else {
            name.to_owned()
        };
        write_name(&mut out, from);
        write_name(&mut out, &name);
        out.extend(&body[description..at]);
    }
    Ok(out)
}

/// The end of an import's description (function, table, memory, global, tag).
fn skip_description(body: &[u8], at: usize) -> Result<usize> {
    let kind = *body.get(at).ok_or("import names: truncated import")?;
    let at = at + 1;
    let limits = |at: usize| -> Result<usize> {
        let flags = *body.get(at).ok_or("import names: truncated limits")?;
        let (_, mut at) = read_leb(body, at + 1)?;
        if flags & 1 == 1 {
            at = read_leb(body, at)?.1;
        }
        Ok(at)
    };
    Ok(match kind {
        0 => read_leb(body, at)?.1,
        1 => limits(at + 1)?,
        2 => limits(at)?,
        3 => at + 2,
        4 => read_leb(body, at + 1)?.1,
        other => return Err(format!("import names: unknown import kind {other}")),
    })
}

/// Replaces every whole JS identifier that is an old name.
fn rename_identifiers(js: &str, renamed: &HashMap<String, String>) -> String {
    let is_part = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(js.len());
    let mut rest = js;
    while let Some(start) = rest.find(is_part) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c: char| !is_part(c)).unwrap_or(rest.len());
        let word = &rest[..end];
        out.push_str(renamed.get(word).map_or(word, String::as_str));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn read_leb(bytes: &[u8], mut at: usize) -> Result<(usize, usize)> {
    let mut value = 0usize;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(at).ok_or("import names: truncated number")?;
        at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, at));
        }
        shift += 7;
        if shift > 35 {
            return Err("import names: number too long".into());
        }
    }
}

fn write_leb(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_name(bytes: &[u8], at: usize) -> Result<(&str, usize)> {
    let (length, at) = read_leb(bytes, at)?;
    let name = bytes
        .get(at..at + length)
        .ok_or("import names: truncated name")?;
    let name = std::str::from_utf8(name).map_err(|_| "import names: a name is not UTF-8")?;
    Ok((name, at + length))
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len());
    out.extend(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions from the glue and one from
    /// elsewhere, with a code section after the imports.
    fn module(names: [&str; 3]) -> Vec<u8> {
        let mut imports = Vec::new();
        write_leb(&mut imports, 3);
        for (from, name) in [
            ("./g.js", names[0]),
            ("./other.js", names[1]),
            ("./g.js", names[2]),
        ] {
            write_name(&mut imports, from);
            write_name(&mut imports, name);
            imports.extend([0, 0]); // a function of type 0
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend([1, 4, 1, 0x60, 0, 0]); // type section: () -> ()
        wasm.push(IMPORT_SECTION);
        write_leb(&mut wasm, imports.len());
        wasm.extend(imports);
        wasm.extend([10, 4, 1, 2, 0, 0x0b]); // code section, copied as is
        wasm
    }

    #[test]
    fn renames_the_glue_imports_in_both_files_and_nothing_else() {
        let wasm = module([
            "__wbg_a_0123456789abcdef",
            "keep_me",
            "__wbg_ab_fedcba9876543210",
        ]);
        let js =
            "const i = { __wbg_a_0123456789abcdef: function() {}, __wbg_ab_fedcba9876543210: f, \
                  x__wbg_a_0123456789abcdef: 1 }; keep_me();";
        let (out, js) = shorten(&wasm, js, "./g.js").unwrap();
        assert_eq!(out, module(["w0", "keep_me", "w1"]));
        assert_eq!(
            js,
            "const i = { w0: function() {}, w1: f, x__wbg_a_0123456789abcdef: 1 }; keep_me();"
        );
    }

    #[test]
    fn refuses_what_is_not_wasm() {
        assert!(shorten(b"not wasm at all", "", "./g.js").is_err());
        let mut cut = module(["a", "b", "c"]);
        cut.truncate(20);
        assert!(shorten(&cut, "", "./g.js").is_err());
    }
}
