//! The layering of `src/`, checked by reading the sources (see docs/architecture.md): the import
//! graph between files has no circles, `domain` imports nothing but itself, `infra` and `repo`
//! import no layer above them, and the doors (`api`, `ui`) never reach `repo`.
//!
//! Written by hand because no crate reads a module graph without compiling the crate (such as
//! `cargo-modules`, a binary tool): a `use` scan is enough for a tree that writes its paths
//! from `crate::`, as this one does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Every `.rs` file under `src/` as its module path (`mod.rs` and `lib.rs` name their folder).
fn modules(root: &Path) -> BTreeMap<Module, PathBuf> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(root)
                    .expect("under src")
                    .with_extension("");
                let mut parts: Module = rel
                    .iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect();
                if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                    parts.pop();
                }
                out.insert(parts, path);
            }
        }
    }
    out
}

/// The code of a file without comments and without its test module.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read source");
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else {
        return vec![tree.to_string()];
    };
    let (prefix, body) = (
        &tree[..open],
        &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())],
    );
    let (mut parts, mut depth, mut current) = (Vec::new(), 0, String::new());
    for c in body.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |q| format!("{prefix}{q}")))
        .collect()
}

/// The module `super` names in `module`'s file (its parent, for `x.rs` and `x/mod.rs` alike).
fn parent(module: &[String]) -> &[String] {
    &module[..module.len().saturating_sub(1)]
}

/// A statement without whitespace and without `as` renames: `use a::{B as C, D}` → `usea::{B,D}`.
fn without_aliases(statement: &str) -> String {
    let mut out = String::new();
    let mut words = statement.split_whitespace();
    while let Some(word) = words.next() {
        if word == "as" {
            // keep what follows the alias (`,` or `}`)
            let alias = words.next().unwrap_or_default();
            out.extend(
                alias
                    .chars()
                    .filter(|c| !(c.is_alphanumeric() || *c == '_')),
            );
        } else {
            out.push_str(word);
        }
    }
    out
}

/// The files each file imports (by `use crate::…`, `use super::…` or an inline `crate::…` path).
fn imports(files: &BTreeMap<Module, PathBuf>) -> BTreeMap<Module, BTreeSet<Module>> {
    let resolve = |segments: &[String]| -> Option<Module> {
        (1..=segments.len())
            .rev()
            .map(|n| segments[..n].to_vec())
            .find(|m| files.contains_key(m))
    };
    let mut graph = BTreeMap::new();
    for (module, path) in files {
        let code = code(path);
        let mut paths = Vec::new();
        for statement in code.split(';') {
            let statement = without_aliases(statement);
            for (start, base) in [("usecrate::", &[][..]), ("usesuper::", parent(module))] {
                if let Some(at) = statement.find(start) {
                    for p in expand(&statement[at + start.len()..]) {
                        let mut segments = base.to_vec();
                        segments.extend(p.split("::").map(String::from));
                        paths.push(segments);
                    }
                }
            }
        }
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            paths.push(
                rest[..end]
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            );
        }
        let deps: BTreeSet<Module> = paths
            .iter()
            .filter_map(|p| resolve(p))
            .filter(|m| m != module && !m.is_empty())
            .collect();
        graph.insert(module.clone(), deps);
    }
    graph
}

/// A circle through `from`, if there is one: the files in order, `from` first and last.
fn circle(graph: &BTreeMap<Module, BTreeSet<Module>>, from: &Module) -> Option<Vec<Module>> {
    let mut stack = vec![(from.clone(), vec![from.clone()])];
    let mut seen = BTreeSet::new();
    while let Some((at, trail)) = stack.pop() {
        for next in graph.get(&at).into_iter().flatten() {
            if next == from {
                let mut trail = trail.clone();
                trail.push(from.clone());
                return Some(trail);
            }
            if seen.insert(next.clone()) {
                let mut trail = trail.clone();
                trail.push(next.clone());
                stack.push((next.clone(), trail));
            }
        }
    }
    None
}

fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    imports(&modules(&root))
}

fn name(m: &Module) -> String {
    m.join("/")
}

#[test]
fn the_import_graph_has_no_circles() {
    let graph = graph();
    assert!(graph.len() > 50, "the scan found the sources");
    for module in graph.keys() {
        if let Some(trail) = circle(&graph, module) {
            let names: Vec<String> = trail.iter().map(name).collect();
            panic!("import circle: {}", names.join(" → "));
        }
    }
}

#[test]
fn each_layer_imports_only_layers_below_it() {
    // (layer, layers it must not import)
    const BELOW_ONLY: [(&str, &[&str]); 5] = [
        (
            "domain",
            &["infra", "repo", "services", "seed", "state", "api", "ui"],
        ),
        ("infra", &["repo", "services", "seed", "state", "api", "ui"]),
        ("repo", &["services", "seed", "state", "api", "ui"]),
        ("services", &["seed", "api", "ui"]),
        ("api", &["repo"]),
    ];
    let graph = graph();
    let mut wrong = Vec::new();
    for (module, deps) in &graph {
        let Some(layer) = module.first() else {
            continue;
        };
        for (from, banned) in BELOW_ONLY {
            let door = layer == "ui" && from == "api";
            if layer != from && !door {
                continue;
            }
            for dep in deps {
                if banned.contains(&dep[0].as_str()) {
                    wrong.push(format!("{} imports {}", name(module), name(dep)));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // the scan sees a real import: the shop front imports the repositories it loads from
    assert!(graph[&vec!["services".into(), "storefront".into()]]
        .contains(&vec!["repo".into(), "products".into()]));
}
