//! A shorter `__wasm_split.js`, the first load's script that fetches the
//! parts.
//!
//! The splitter writes, for each of its ~180 modules, a comment naming every
//! part that needs it and the same five-line fetch function; the file is
//! 61 KB (2.9 KB brotli), most of it those comments (the parts' names in a
//! different order each time, which brotli cannot shorten). After the split,
//! the comments are dropped and each fetch function is written once, as
//! `fetchPart("chunk_23.wasm")`: 1.1 KB brotli less, the same behaviour (every
//! load function, its dependencies and its memoizing stay as written).

use crate::Result;

/// The fetch function the splitter writes for each module, around its file name.
const FETCH_BEFORE: &str = "() => {\n    const src = fetch(new URL(\"./";
const FETCH_AFTER: &str = "\", import.meta.url));\n    src.catch(() => {});\n    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}\n";

/// The same function, written once: `fetchPart(file)` returns what the
/// splitter's inline function was.
const FETCH_PART: &str = "function fetchPart(file) {\n    return () => {\n        const src = fetch(new URL(\"./\" + file, import.meta.url));\n        src.catch(() => {});\n        return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n    };\n}\n";

/// Drops the comments and writes each module's fetch function as a call of
/// `fetchPart`. Refuses a file that has none of the splitter's fetch
/// functions (another version of the splitter writes something else: look
/// at it before shortening it).
pub fn compact(js: &str) -> Result<String> {
    let mut out = String::with_capacity(js.len() / 3);
    let mut rest = js;
    let mut fetchers = 0;
    while let Some(at) = rest.find(['/', '(']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("/*") {
            let end = after
                .find("*/")
                .ok_or("__wasm_split.js: a comment is not closed")?;
            rest = after[end + 2..]
                .strip_prefix('\n')
                .unwrap_or(&after[end + 2..]);
        } else if let Some(after) = rest.strip_prefix(FETCH_BEFORE) {
            let end = after
                .find('"')
                .ok_or("__wasm_split.js: a file name is not closed")?;
            let (file, after) = after.split_at(end);
            let after = after.strip_prefix(FETCH_AFTER).ok_or_else(|| {
                format!("__wasm_split.js: the fetch function of {file} is not the expected one")
            })?;
            out.push_str(&format!("fetchPart({file:?})\n"));
            rest = after;
            fetchers += 1;
        } else {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    if fetchers == 0 {
        return Err("__wasm_split.js: none of the splitter's fetch functions found".into());
    }
    // After the imports (the first blank line), before the first use.
    let at = out
        .find("\n\n")
        .ok_or("__wasm_split.js: no blank line after the imports")?;
    out.insert_str(at + 2, FETCH_PART);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetcher(file: &str) -> String {
        format!("{FETCH_BEFORE}{file}{FETCH_AFTER}")
    }

    #[test]
    fn comments_go_and_each_fetch_function_becomes_a_call() {
        let js = format!(
            "import {{ initSync }} from \"./chengnuo.js\";\n\nfunction makeLoad(fetcher, deps) {{ return fetcher; }}\n/* a, b, c */\nconst __chunk_1 = makeLoad({}, []);\n/* a */\nexport const __wasm_split_load_a = wrapAsyncCb(makeLoad({}, [__chunk_1]));\n",
            fetcher("chunk_1.wasm"),
            fetcher("split_a.wasm")
        );
        let out = compact(&js).unwrap();
        assert_eq!(
            out,
            format!(
                "import {{ initSync }} from \"./chengnuo.js\";\n\n{FETCH_PART}function makeLoad(fetcher, deps) {{ return fetcher; }}\nconst __chunk_1 = makeLoad(fetchPart(\"chunk_1.wasm\")\n, []);\nexport const __wasm_split_load_a = wrapAsyncCb(makeLoad(fetchPart(\"split_a.wasm\")\n, [__chunk_1]));\n"
            )
        );
    }

    #[test]
    fn division_and_calls_that_are_not_fetch_functions_stay() {
        let js = format!(
            "import x from \"./y.js\";\n\nconst a = 4 / 2; f(a);\nconst c = makeLoad({}, []);\n",
            fetcher("chunk_1.wasm")
        );
        let out = compact(&js).unwrap();
        assert!(out.contains("const a = 4 / 2; f(a);\n"), "{out}");
        assert!(out.contains("makeLoad(fetchPart(\"chunk_1.wasm\")\n, [])"));
    }

    #[test]
    fn another_splitter_output_is_refused_not_rewritten() {
        assert!(compact("import x from \"./y.js\";\n\nconst a = load(\"x.wasm\");\n").is_err());
        let changed = format!(
            "import x from \"./y.js\";\n\nconst c = makeLoad({}, []);\n",
            fetcher("chunk_1.wasm").replace("src.catch", "src.then")
        );
        assert!(compact(&changed).is_err());
        assert!(compact("import x;\n\n/* not closed\n").is_err());
    }
}
