//! Finds the system tools the integration tests drive (tmux, OpenSSH, Prometheus, Alertmanager,
//! node_exporter, openssl, tidy, headless Chromium,
//! and Python modules: the OpenMetrics parser, aiosmtpd). A test whose tool is
//! missing is compiled as `#[ignore = "needs <package>"]`, so `cargo test` counts it as ignored,
//! with the package to install, in its summary. With `MONTUI_E2E=require` nothing is ignored:
//! such a test runs and fails on the missing tool.

use std::path::{Path, PathBuf};

/// Each cfg, set when one of its programs is missing (the tests name the packages).
const TOOLS: &[(&str, &[&str])] = &[
    ("montui_no_tmux", &["tmux"]),
    ("montui_no_sshd", &["sshd", "ssh", "ssh-keygen"]),
    ("montui_no_alertmanager", &["prometheus-alertmanager"]),
    ("montui_no_node_exporter", &["prometheus-node-exporter"]),
    ("montui_no_prometheus", &["prometheus", "promtool"]),
    ("montui_no_openssl", &["openssl"]),
    ("montui_no_dbus", &["dbus-daemon"]),
    ("montui_no_tidy", &["tidy"]),
    ("montui_no_chromium", &["chromium-headless-shell"]),
];

/// Each cfg, set when a Python module (of Debian's python3) is missing.
const MODULES: &[(&str, &str)] = &[
    // The OpenMetrics export is checked by the Prometheus project's own parser.
    (
        "montui_no_om_parser",
        "prometheus_client.openmetrics.parser",
    ),
    // The email receiver is tested against a real SMTP server.
    ("montui_no_aiosmtpd", "aiosmtpd.controller"),
    // The desktop receiver is tested against a notification server on a private bus.
    ("montui_no_dbus_next", "dbus_next.aio"),
];

/// Where a program is: PATH, then /usr/sbin (sshd is there, often outside a user's PATH).
fn find(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin")])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=MONTUI_E2E");
    println!("cargo::rerun-if-env-changed=PATH");
    let require = std::env::var("MONTUI_E2E").as_deref() == Ok("require");
    for (cfg, programs) in TOOLS {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        let mut missing = false;
        for p in *programs {
            match find(p) {
                // Installed later or removed: look again.
                Some(at) => println!("cargo::rerun-if-changed={}", at.display()),
                None => {
                    missing = true;
                    // Watching where apt-get would put it notices the install.
                    for dir in ["/usr/bin", "/usr/sbin"] {
                        if Path::new(dir).is_dir() {
                            println!("cargo::rerun-if-changed={dir}");
                        }
                    }
                }
            }
        }
        if missing && !require {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    // Where apt-get puts them (a path that does not exist would rerun this script every build).
    let packages = ["/usr/lib/python3/dist-packages", "/usr/lib"];
    if let Some(dir) = packages.iter().find(|d| Path::new(d).is_dir()) {
        println!("cargo::rerun-if-changed={dir}");
    }
    for (cfg, module) in MODULES {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        let found = std::process::Command::new("/usr/bin/python3")
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !found && !require {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
