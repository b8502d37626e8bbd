//! The layers of `src/`, read from the `crate::` and `super::` paths of every file: the
//! model imports only itself; the log only the model; the backend only the model and the
//! log (its session controller owns the log writer), and the leaf modules `safe_text`,
//! `usage`, `sys`; the UI nothing of the backend, the command line or
//! the front-ends; and no two files of `src/` import each other, directly or in a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/ui/app.rs` -> ["ui", "app"]; `src/ui/mod.rs` -> ["ui"]; `src/lib.rs` -> [].
fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.trim_end_matches(".rs");
    let mut segs: Vec<String> = rel.split('/').map(str::to_string).collect();
    if matches!(
        segs.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        segs.pop();
    }
    segs
}

/// The file a module path names: the longest prefix that is a file of `src/`.
fn file_of(files: &BTreeSet<String>, segs: &[String]) -> Option<String> {
    for n in (1..=segs.len()).rev() {
        let base = segs[..n].join("/");
        for cand in [format!("{base}.rs"), format!("{base}/mod.rs")] {
            if files.contains(&cand) {
                return Some(cand);
            }
        }
    }
    None
}

/// Every file each file of `src/` refers to.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let rel = |p: &Path| {
        p.strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/")
    };
    let files: BTreeSet<String> = paths.iter().map(|p| rel(p)).collect();
    let mut out = BTreeMap::new();
    for p in &paths {
        let me = rel(p);
        let module = module_of(&me);
        let text = std::fs::read_to_string(p).unwrap();
        let mut deps = BTreeSet::new();
        // Inside an inline `mod tests { .. }` `super::` is the file itself, not its parent.
        let mut inline_module = false;
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            let trimmed = code.trim_start();
            if (trimmed.starts_with("mod ") || trimmed.starts_with("pub mod "))
                && trimmed.trim_end().ends_with('{')
            {
                inline_module = true;
            }
            let supers = if inline_module {
                ("super::", module.clone())
            } else {
                ("super::", parent(&me, &module))
            };
            for (prefix, base) in [("crate::", vec![]), supers] {
                let mut rest = code;
                while let Some(i) = rest.find(prefix) {
                    let before = rest[..i].chars().last();
                    rest = &rest[i + prefix.len()..];
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                        continue;
                    }
                    let mut segs = base.clone();
                    segs.extend(
                        rest.split("::")
                            .map(|s| {
                                s.chars()
                                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                                    .collect::<String>()
                            })
                            .take_while(|s| !s.is_empty()),
                    );
                    if let Some(f) = file_of(&files, &segs) {
                        if f != me {
                            deps.insert(f);
                        }
                    }
                }
            }
        }
        out.insert(me, deps);
    }
    out
}

/// The module `super::` names from a file.
fn parent(file: &str, module: &[String]) -> Vec<String> {
    let mut m = module.to_vec();
    // In `a/b.rs` (module a::b) `super` is `a`; in `a/mod.rs` (module a) it is the root.
    let _ = file;
    m.pop();
    m
}

fn layer(file: &str) -> &str {
    file.split('/').next().unwrap().trim_end_matches(".rs")
}

#[test]
fn layers_import_only_what_they_may() {
    let mut wrong = Vec::new();
    for (file, deps) in imports() {
        for dep in deps {
            let (from, to) = (layer(&file), layer(&dep));
            let leaf = matches!(to, "safe_text" | "usage" | "sys");
            let allowed = match from {
                "model" => to == "model",
                "log" => leaf || to == "model" || to == from,
                "backend" => leaf || matches!(to, "model" | "log" | "backend"),
                "ui" => !matches!(to, "backend" | "cli" | "cmd"),
                _ => true,
            };
            if !allowed {
                wrong.push(format!("{file} imports {dep}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layer rules broken:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_file_of_src_is_in_an_import_cycle() {
    let graph = imports();
    // Tarjan-free: a file is in a cycle when it can reach itself.
    let mut cycles = Vec::new();
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        while let Some((f, path)) = stack.pop() {
            for d in graph.get(&f).into_iter().flatten() {
                if d == start {
                    let mut p = path.clone();
                    p.push(d.clone());
                    cycles.push(p.join(" -> "));
                } else if seen.insert(d.clone()) {
                    let mut p = path.clone();
                    p.push(d.clone());
                    stack.push((d.clone(), p));
                }
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}
