//! One harness for the command-line tests: the built `po-bridge` binary against an in-process
//! Lightspeed sandbox, with its own temporary folder for order and state files.
#![allow(dead_code)]

use crate::client_support::{start, Env};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;

pub struct Cli {
    pub env: Env,
    pub token: String,
    pub dir: PathBuf,
}

/// A sandbox with relaxed limits, a token for it and a fresh folder named after `what`.
pub fn cli(what: &str) -> Cli {
    let env = start();
    env.relax_limits();
    let token = env.mint(json!({})).access_token;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let dir = std::env::temp_dir().join(format!("po-bridge-{what}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Cli { env, token, dir }
}

/// A file under `tests/fixtures/nuorder/`.
pub fn fixture_path(rel: &str) -> String {
    format!("{}/tests/fixtures/nuorder/{rel}", env!("CARGO_MANIFEST_DIR"))
}

impl Cli {
    /// The state file of this test's folder.
    pub fn state(&self) -> String {
        self.path("state.json")
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }

    /// Writes `v` as `name` in this test's folder; its path.
    pub fn file(&self, name: &str, v: &Value) -> String {
        let p = self.path(name);
        std::fs::write(&p, v.to_string()).unwrap();
        p
    }

    /// `po-bridge ARGS` against the sandbox with the test's token and no account id; each of
    /// `env` is set (`Some`) or removed (`None`) after that.
    pub fn command(&self, args: &[&str], env: &[(&str, Option<&str>)]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_po-bridge"));
        c.args(args)
            .env("LIGHTSPEED_API_BASE", &self.env.base)
            .env("LIGHTSPEED_ACCESS_TOKEN", &self.token)
            .env_remove("LIGHTSPEED_ACCOUNT_ID");
        for (k, v) in env {
            match v {
                Some(v) => c.env(k, v),
                None => c.env_remove(k),
            };
        }
        c
    }
}
