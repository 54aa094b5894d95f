//! The core's layers, enforced (issue 13): a module may import only from the layers below it, and no
//! two files import each other. The rule reads every `crate::…` and `super::…` path in the product's
//! Rust files (the core in `src/`, the glue in `extension/*/src/`); code after a `#[cfg(test)]` line
//! is test code and not read.
//!
//! ```text
//!   app ─┬─ inpage                     application layer (what the glue calls)
//!        └──────── export              the export engine
//!   protocol   lightspeed   nuorder    wire types · one API each, side by side, never each other
//!   core                               money, scalars, ids, clock, account data
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What each top-level module of `src/` may import from (besides itself). Any module not listed
/// here fails the test: a new module must take its place in the picture.
const LAYERS: &[(&str, &[&str])] = &[
    ("core", &[]),
    ("lightspeed", &["core"]),
    ("nuorder", &["core"]),
    ("protocol", &["core"]),
    ("export", &["core", "lightspeed", "nuorder", "protocol"]),
    ("update", &["core", "lightspeed", "nuorder", "protocol", "export"]),
    ("inpage", &["core", "nuorder", "protocol"]),
    ("app", &["core", "lightspeed", "nuorder", "protocol", "export", "update", "inpage"]),
];

/// One Rust file: its path relative to the crate's `src/` folder and its text.
struct SourceFile {
    rel: PathBuf,
    text: String,
}

/// The module path of a file (`export/plan/mod.rs` → `["export", "plan"]`, `lib.rs` → `[]`).
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// The product code of a file: everything before its first `#[cfg(test)]` line, comments removed.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line.split(" //").next().unwrap_or(line));
        out.push('\n');
    }
    out
}

/// Every module path a file names: `crate::a::b`, `super::c` (resolved against the file's module),
/// and the items of grouped imports (`use crate::a::{b, c::d}` → `a::b`, `a::c::d`).
fn imports_of(file: &SourceFile) -> BTreeSet<Vec<String>> {
    let code = code_of(&file.text);
    let here = module_of(&file.rel);
    let mut found = BTreeSet::new();
    for start in ["crate::", "super::"] {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(start) {
            let boundary = rest[..at].chars().last().is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'));
            let tail = &rest[at..];
            rest = &rest[at + start.len()..];
            if !boundary {
                continue;
            }
            let mut base: Vec<String> = Vec::new();
            let mut path = tail;
            if let Some(p) = path.strip_prefix("crate::") {
                path = p;
            } else {
                // `super` from `a/b.rs` (module a::b) is `a`; from `a/b/mod.rs` (module a::b) it is `a` too.
                base = here.clone();
                while let Some(p) = path.strip_prefix("super::") {
                    base.pop();
                    path = p;
                }
            }
            for p in expand(path) {
                let mut full = base.clone();
                full.extend(p);
                if !full.is_empty() {
                    found.insert(full);
                }
            }
        }
    }
    found
}

/// The paths in `a::b::{c, d::e}` (up to the first character that is not part of a path).
fn expand(path: &str) -> Vec<Vec<String>> {
    let mut head: Vec<String> = Vec::new();
    let mut chars = path.char_indices().peekable();
    let mut word = String::new();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else if c == ':' && path[i..].starts_with("::") {
            chars.next();
            head.push(std::mem::take(&mut word));
        } else if c == '{' && word.is_empty() {
            let inner = group(&path[i + 1..]);
            let mut out = Vec::new();
            for item in split_top(inner) {
                for mut tail in expand(item.trim()) {
                    let mut p = head.clone();
                    p.append(&mut tail);
                    out.push(p);
                }
            }
            return out;
        } else {
            break;
        }
    }
    if !word.is_empty() && word != "self" && word != "*" {
        head.push(word);
    }
    vec![head]
}

/// The text inside a `{…}` group (the opening brace already consumed).
fn group(s: &str) -> &str {
    let mut depth = 1;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &s[..i];
                }
            }
            _ => {}
        }
    }
    s
}

/// Split a group's items at its top-level commas.
fn split_top(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut from) = (Vec::new(), 0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[from..]);
    out.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The file a module path lives in: the longest prefix of it that is a file of the crate.
fn file_of(files: &BTreeMap<Vec<String>, PathBuf>, path: &[String]) -> Option<PathBuf> {
    (1..=path.len()).rev().find_map(|n| files.get(&path[..n]).cloned())
}

/// Everything wrong with a crate's imports: upward imports (for the core's `src/`, `layered`) and
/// pairs of files that import each other.
fn violations(files: &[SourceFile], layered: bool) -> Vec<String> {
    let by_module: BTreeMap<Vec<String>, PathBuf> = files.iter().map(|f| (module_of(&f.rel), f.rel.clone())).collect();
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut edges: BTreeSet<(PathBuf, PathBuf)> = BTreeSet::new();
    let mut out = Vec::new();
    for f in files {
        let here = module_of(&f.rel);
        let top = here.first().map(String::as_str);
        if layered {
            if let Some(top) = top {
                if !allowed.contains_key(top) {
                    out.push(format!(
                        "{}: module `{top}` has no place in the layers (tests/layering.rs)",
                        f.rel.display()
                    ));
                }
            }
        }
        for import in imports_of(f) {
            let target_top = import[0].as_str();
            if layered {
                if let (Some(top), Some(may)) = (top, top.and_then(|t| allowed.get(t))) {
                    if target_top != top && by_module.contains_key(&import[..1]) && !may.contains(&target_top) {
                        out.push(format!(
                            "{}: `{top}` imports `{}` from a layer it may not use",
                            f.rel.display(),
                            import.join("::")
                        ));
                    }
                }
            }
            if let Some(target) = file_of(&by_module, &import) {
                if target != f.rel {
                    edges.insert((f.rel.clone(), target));
                }
            }
        }
    }
    for (a, b) in &edges {
        if a < b && edges.contains(&(b.clone(), a.clone())) {
            out.push(format!("{} and {} import each other", a.display(), b.display()));
        }
    }
    out
}

fn read_crate(src: &Path) -> Vec<SourceFile> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<SourceFile>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let rel = p.strip_prefix(root).unwrap().to_path_buf();
                if rel.starts_with("bin") || rel.file_name().is_some_and(|f| f == "tests.rs") {
                    continue;
                }
                out.push(SourceFile { text: std::fs::read_to_string(&p).unwrap(), rel });
            }
        }
    }
    let mut out = Vec::new();
    walk(src, src, &mut out);
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_core_imports_only_downward_and_no_two_files_import_each_other() {
    let found = violations(&read_crate(&root().join("src")), true);
    assert!(found.is_empty(), "layering broken:\n{}", found.join("\n"));
}

#[test]
fn no_two_files_of_the_browser_glue_import_each_other() {
    let mut found = Vec::new();
    for krate in ["background", "browser", "content", "ui", "popup", "dialog"] {
        let src = root().join("extension").join(krate).join("src");
        found.extend(violations(&read_crate(&src), false).into_iter().map(|v| format!("{krate}: {v}")));
    }
    assert!(found.is_empty(), "import cycles in the glue:\n{}", found.join("\n"));
}

// The checker itself, on made-up crates: each broken shape is reported.

fn file(rel: &str, text: &str) -> SourceFile {
    SourceFile { rel: PathBuf::from(rel), text: text.to_string() }
}

#[test]
fn an_upward_import_is_reported() {
    let files = [
        file("lib.rs", "pub mod core; pub mod nuorder; pub mod export;"),
        file("core/mod.rs", "pub struct Money;"),
        file("export/mod.rs", "use crate::nuorder::Order;"),
        file("nuorder/mod.rs", "use crate::core::Money;\nuse crate::export::{plan, codes::Code};"),
    ];
    let found = violations(&files, true);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found.iter().any(|v| v.contains("imports `export::plan`")), "{found:#?}");
    assert!(found.iter().any(|v| v.contains("imports `export::codes::Code`")), "{found:#?}");
    assert!(found.iter().any(|v| v.contains("import each other")), "{found:#?}");
}

#[test]
fn side_by_side_layers_may_not_use_each_other_and_unknown_modules_are_named() {
    let files = [
        file("lightspeed/mod.rs", "fn f() -> crate::nuorder::Order { todo!() }"),
        file("nuorder/mod.rs", ""),
        file("gadgets/mod.rs", "use crate::core::X;"),
        file("core/mod.rs", ""),
    ];
    let found = violations(&files, true);
    assert!(found.iter().any(|v| v.contains("`lightspeed` imports `nuorder::Order`")), "{found:#?}");
    assert!(found.iter().any(|v| v.contains("module `gadgets` has no place")), "{found:#?}");
}

#[test]
fn two_files_importing_each_other_through_super_are_reported_and_tests_are_ignored() {
    let files = [
        file("lib.rs", ""),
        file("state.rs", "use super::messaging::send;"),
        file("messaging.rs", "use crate::state;\n#[cfg(test)]\nmod tests { use crate::widgets; }"),
        file("widgets.rs", "// use crate::messaging;\n"),
    ];
    let found = violations(&files, false);
    assert_eq!(found, vec!["messaging.rs and state.rs import each other".to_string()], "{found:#?}");
}
