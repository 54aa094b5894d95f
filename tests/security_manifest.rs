//! S5 (issue 8): the manifest's permissions, host permissions, content-script matches and
//! web-accessible resources equal the committed snapshot `tests/manifest-permissions.snapshot.json`.
//! A new permission (or a wider match) fails here until the snapshot is updated on purpose. The same
//! projection of `dist/manifest.json` is checked when a build exists.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sorted(v: Option<&Value>) -> Value {
    let mut items: Vec<String> = v
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    items.sort();
    json!(items)
}

/// The security-relevant part of a manifest, in the snapshot's shape.
fn projection(m: &Value) -> Value {
    let scripts: Vec<Value> = m["content_scripts"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    json!({
                        "matches": sorted(c.get("matches")),
                        "all_frames": c.get("all_frames").and_then(Value::as_bool).unwrap_or(false),
                        "match_about_blank": c.get("match_about_blank").and_then(Value::as_bool).unwrap_or(false),
                        "world": c.get("world").and_then(Value::as_str).unwrap_or("ISOLATED"),
                        "js": c.get("js").cloned().unwrap_or(json!([])),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let resources: Vec<Value> = m["web_accessible_resources"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|w| json!({"resources": sorted(w.get("resources")), "matches": sorted(w.get("matches"))}))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "permissions": sorted(m.get("permissions")),
        "optional_permissions": sorted(m.get("optional_permissions")),
        "host_permissions": sorted(m.get("host_permissions")),
        "optional_host_permissions": sorted(m.get("optional_host_permissions")),
        "content_scripts": scripts,
        "web_accessible_resources": resources,
        "externally_connectable": m.get("externally_connectable").cloned().unwrap_or(Value::Null),
        "content_security_policy": m.get("content_security_policy").cloned().unwrap_or(Value::Null),
    })
}

fn read(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).unwrap()
}

fn snapshot() -> Value {
    let mut s = read(&root().join("tests/manifest-permissions.snapshot.json"));
    s.as_object_mut().unwrap().remove("_comment");
    s
}

#[test]
fn manifest_permissions_match_the_committed_snapshot() {
    let got = projection(&read(&root().join("manifest.json")));
    assert_eq!(
        got,
        snapshot(),
        "manifest.json's permissions changed. If on purpose, update tests/manifest-permissions.snapshot.json in the same commit and say why.\nnow: {}",
        serde_json::to_string_pretty(&got).unwrap()
    );
}

#[test]
fn built_manifest_matches_too() {
    let built = root().join("dist/manifest.json");
    if !built.exists() {
        eprintln!("no dist/ (run ./build.sh): skipped");
        return;
    }
    assert_eq!(projection(&read(&built)), snapshot(), "dist/manifest.json differs from the snapshot");
}

#[test]
fn the_allowlist_itself_stays_narrow() {
    // Whatever the snapshot says, these never belong to PO Bridge (mv3-extension.md §5.6).
    let s = snapshot();
    let perms: Vec<&str> = s["permissions"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for banned in [
        "tabs",
        "scripting",
        "<all_urls>",
        "webRequest",
        "webRequestBlocking",
        "unlimitedStorage",
        "cookies",
        "history",
        "debugger",
        "nativeMessaging",
        "management",
    ] {
        assert!(!perms.contains(&banned), "permission {banned}");
    }
    let hosts = s["host_permissions"].to_string();
    assert!(
        !hosts.contains("<all_urls>") && !hosts.contains("*://*/") && !hosts.contains("https://*/"),
        "host permissions too wide: {hosts}"
    );
    assert!(s["externally_connectable"].is_null(), "no externally_connectable: pages must not message the background");
    for c in s["content_scripts"].as_array().unwrap() {
        assert_eq!(c["all_frames"], json!(false), "content scripts only in the top frame");
        for m in c["matches"].as_array().unwrap() {
            let m = m.as_str().unwrap();
            assert!(
                m == "https://app.nuorder.com/*" || m == "https://app.next.nuorder.com/*",
                "content-script match {m}"
            );
        }
    }
}
